import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { EnvironmentStage, type EnvironmentConfig } from '../../lib/index.js';
import { expectedMemoryFromTemplate, type CfnTemplate, type ExpectedEnvironment } from './expected.js';

/**
 * Synthesizes one environment of this repository's app in this process (into a temporary
 * directory) and returns what its stacks say the memory must be.
 */
export function synthesizeExpected(config: EnvironmentConfig, context: Record<string, unknown>): ExpectedEnvironment {
  const outdir = mkdtempSync(path.join(tmpdir(), 'doctor-synth-'));
  try {
    const app = new App({ outdir, context });
    const stage = new EnvironmentStage(app, config.name, { config });
    const assembly = app.synth().getNestedAssembly(`assembly-${config.name}`);
    const stateful = assembly.getStackByName(stage.stateful.stackName);
    return {
      config,
      statefulStackName: stage.stateful.stackName,
      statelessStackName: stage.stateless.stackName,
      memory: expectedMemoryFromTemplate(stateful.template as CfnTemplate),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
