import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';
import { converseBundleOptions } from '../../lib/converse/esbuild-code.js';

const BASELINE_SDK = '@strands-agents/sdk@1.19.0';

export interface BundleFigures {
  /** The entry file, which Lambda imports. */
  readonly file: string;
  /** The entry and every chunk beside it: what the function deploys. */
  readonly bytes: number;
}

function bundleBytes(directory: string): number {
  return readdirSync(directory).reduce((total, name) => total + statSync(join(directory, name)).size, 0);
}

/** The converse function's bundle in a synthesized cloud assembly (`index.mjs` of the dev stage, and its chunks). */
export function findConverseBundle(cloudAssembly: string): BundleFigures {
  const candidates: string[] = [];
  const visit = (directory: string, depth: number): void => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      if (entry === 'index.mjs' && readFileSync(path, 'utf8').includes('agent_core_memory')) candidates.push(path);
      else if (depth < 3 && statSync(path).isDirectory()) visit(path, depth + 1);
    }
  };
  visit(cloudAssembly, 0);
  // cdk.out keeps the assets of earlier syntheses: measure the one the dev stage deploys now.
  const current = candidates.filter((file) => referencedAssets(cloudAssembly).has(basename(dirname(file))));
  if (current.length === 0)
    throw new Error(`no converse bundle (index.mjs with agent_core_memory) under ${cloudAssembly}; run npm run synth`);
  return { file: current[0], bytes: bundleBytes(dirname(current[0])) };
}

/** The asset directories the dev stage's stacks name in their asset manifests. */
function referencedAssets(cloudAssembly: string): Set<string> {
  const stage = join(cloudAssembly, 'assembly-dev');
  const manifests = readdirSync(stage).filter((file) => file.endsWith('.assets.json'));
  return new Set(
    manifests.flatMap((file) =>
      [...readFileSync(join(stage, file), 'utf8').matchAll(/asset\.[0-9a-f]{64}/g)].map(([name]) => name),
    ),
  );
}

/** Bundles the Strands Agents baseline with the converse function's own esbuild options. */
export async function buildBaselineBundle(workDirectory: string, projectRoot: string): Promise<BundleFigures> {
  const packageDirectory = join(workDirectory, 'baseline');
  if (!existsSync(join(packageDirectory, 'node_modules', '@strands-agents', 'sdk'))) {
    execFileSync(
      'npm',
      ['install', '--prefix', packageDirectory, '--no-audit', '--no-fund', '--no-save', BASELINE_SDK],
      {
        stdio: 'ignore',
      },
    );
  }
  const outfile = join(workDirectory, 'baseline-bundle', 'index.mjs');
  rmSync(dirname(outfile), { recursive: true, force: true });
  await build({
    ...converseBundleOptions(
      join(projectRoot, 'scripts', 'bench', 'baseline', 'strands-handler.mjs'),
      dirname(outfile),
    ),
    nodePaths: [join(packageDirectory, 'node_modules'), join(projectRoot, 'node_modules')],
    logLevel: 'silent',
  });
  return { file: outfile, bytes: bundleBytes(dirname(outfile)) };
}

/** Import times of each bundle, each in its own fresh Node.js process, runs interleaved. */
export function measureImportTimes(files: readonly string[], runs: number): number[][] {
  const timer = join(__dirname, 'import-timer.mjs');
  const samples = files.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    files.forEach((file, index) => {
      samples[index].push(Number(execFileSync(process.execPath, [timer, file], { encoding: 'utf8' })));
    });
  }
  return samples;
}
