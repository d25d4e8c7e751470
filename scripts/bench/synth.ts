import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const OFFLINE = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' };

/** Wall time of one `cdk synth` of every stack of an app into a scratch directory, in ms. */
function timeSynth(projectRoot: string, outputDirectory: string, app?: string): number {
  rmSync(outputDirectory, { recursive: true, force: true });
  const cli = join(projectRoot, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  const appArguments = app ? ['--app', app] : [];
  const started = performance.now();
  execFileSync(
    process.execPath,
    [cli, 'synth', '**', '--quiet', '--no-notices', '--output', outputDirectory, ...appArguments],
    {
      cwd: projectRoot,
      env: OFFLINE,
      stdio: 'ignore',
    },
  );
  return performance.now() - started;
}

/** Synth times of the whole app and of the minimal app, runs interleaved. */
export function measureSynthTimes(
  projectRoot: string,
  workDirectory: string,
  runs: number,
): { app: number[]; minimal: number[] } {
  // The same runner as cdk.json's app, so only the apps differ.
  const minimalApp = `node --import tsx ${join('scripts', 'bench', 'minimal', 'app.ts')}`;
  const app: number[] = [];
  const minimal: number[] = [];
  for (let run = 0; run < runs; run++) {
    app.push(timeSynth(projectRoot, join(workDirectory, 'cdk.out.app')));
    minimal.push(timeSynth(projectRoot, join(workDirectory, 'cdk.out.minimal'), minimalApp));
  }
  return { app, minimal };
}
