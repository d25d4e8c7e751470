import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
  if (candidates.length === 0)
    throw new Error(`no converse bundle (index.mjs with agent_core_memory) under ${cloudAssembly}; run npm run synth`);
  return { file: candidates[0], bytes: bundleBytes(dirname(candidates[0])) };
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
