/**
 * `npm run build`: the package as users install it.
 * - `dist/cjs`: the constructs (`lib/`) and the runtime (`lambda/`) as CommonJS, with types;
 * - `dist/esm`: the runtime as ES modules, with types;
 * - `dist/converse-function/index.mjs` and the chunks it loads on demand: the converse Lambda,
 *   bundled once here with the options `ConverseFunction` uses from source, so consumers
 *   deploy these exact bytes;
 * - `dist/forget-function/index.mjs`: the forget Lambda, bundled the same way;
 * - `dist/agent-definition-writer/index.js`: the deploy-time writer of agent definitions;
 * - `dist/bin/agentcore-memory.js`: the Day-2 command (doctor, chat, forget, inspect), see
 *   binOptions, with the inspector's page beside it in `dist/bin/inspect-page/`.
 * Each file is transpiled on its own (no bundling) so the package keeps one module per
 * source file and its dependencies stay ordinary `require`/`import`s.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { build, buildSync, type BuildOptions, type Plugin } from 'esbuild';
import { CONVERSE_ENTRY, PACKAGED_CONVERSE_BUNDLE } from '../../lib/converse/converse-code.js';
import { converseBundleOptions } from '../../lib/converse/esbuild-code.js';
import { FORGET_ENTRY, PACKAGED_FORGET_BUNDLE } from '../../lib/forget/forget-code.js';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
/** Lambda entry points that run only inside their bundle (they use Lambda's `awslambda` global). */
const BUNDLE_ONLY_ENTRIES = new Set([relative(ROOT, CONVERSE_ENTRY)]);

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(folder, file))
    .filter((file) => !BUNDLE_ONLY_ENTRIES.has(file));
}

async function main(): Promise<void> {
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });

  const shared = {
    absWorkingDir: ROOT,
    outbase: '.',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  } as const;
  await build({
    ...shared,
    entryPoints: [...sourceFiles('lib'), ...sourceFiles('lambda')],
    outdir: 'dist/cjs',
    format: 'cjs',
  });
  await build({ ...shared, entryPoints: sourceFiles('lambda'), outdir: 'dist/esm', format: 'esm' });
  cpSync(join(DIST, 'types', 'lib'), join(DIST, 'cjs', 'lib'), { recursive: true });
  for (const format of ['cjs', 'esm'])
    cpSync(join(DIST, 'types', 'lambda'), join(DIST, format, 'lambda'), { recursive: true });
  rmSync(join(DIST, 'types'), { recursive: true });
  // Node decides a .js file's module system by the nearest package.json.
  writeFileSync(join(DIST, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(DIST, 'esm', 'package.json'), '{ "type": "module" }\n');

  buildSync(converseBundleOptions(CONVERSE_ENTRY, PACKAGED_CONVERSE_BUNDLE));
  buildSync(converseBundleOptions(FORGET_ENTRY, PACKAGED_FORGET_BUNDLE));
  cpSync(join(ROOT, 'lambda', 'agent-definition-writer'), join(DIST, 'agent-definition-writer'), { recursive: true });
  await build(binOptions());
  chmodSync(join(DIST, BIN_FILE), 0o755);
  // The inspector's web page: read beside the bin at run time (see scripts/inspect/page-assets.ts).
  cpSync(join(ROOT, 'scripts', 'inspect', 'inspect-page'), join(DIST, 'bin', 'inspect-page'), { recursive: true });
}

const BIN_FILE = join('bin', 'agentcore-memory.js');

/**
 * The `agentcore-memory` bin as one CommonJS file. The AWS SDK clients only the tools use
 * (CloudFormation, Lambda, IAM, the control plane, the credential chain) are bundled in, so
 * installing the package adds no dependency for them; the package's own dependencies and
 * peers stay `require`s; the package's `lib/` and `lambda/` modules are required from
 * `dist/cjs` (not copied), and the constructs with aws-cdk-lib load only for `--env`.
 */
function binOptions(): BuildOptions {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  const packageModules: Plugin = {
    name: 'package-modules',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = relative(ROOT, resolve(args.resolveDir, args.path));
        if (!/^(lib|lambda)[\\/]/.test(target)) return undefined;
        return { path: `../cjs/${target.split(sep).join('/')}`, external: true };
      });
    },
  };
  return {
    absWorkingDir: ROOT,
    entryPoints: ['scripts/cli/index.ts'],
    outfile: join('dist', BIN_FILE),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)],
    plugins: [packageModules],
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
