/**
 * `--env <name>`: an environment of this repository's app, read from the `cdk.json` in the
 * current directory. Only this path loads the constructs (and aws-cdk-lib), so the tools
 * run from an adopter's project, given names directly, without either.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EnvironmentConfig } from '../../lib/config/environment-config.js';
import { UsageError } from './command-line.js';

export interface RepositoryEnvironment {
  readonly config: EnvironmentConfig;
  /** The whole `cdk.json` context (the synth needs it). */
  readonly context: Record<string, unknown>;
  /** The stack whose outputs name the memory, the tables and the functions. */
  readonly statelessStackName: string;
  /** The app's `namePrefix` (cdk.json), which every physical name starts with. */
  readonly namePrefix: string | undefined;
}

/** The environment `name` of the `cdk.json` in `directory`; a UsageError when there is none. */
export async function repositoryEnvironment(name: string, directory = process.cwd()): Promise<RepositoryEnvironment> {
  const file = path.join(directory, 'cdk.json');
  if (!existsSync(file)) {
    throw new UsageError(
      `--env reads the environments of this package's own app from ./cdk.json, and ${directory} has none; from your own project name what to check directly (see --help)`,
    );
  }
  const context = (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  const { ENVIRONMENTS_CONTEXT_KEY, NAME_PREFIX_CONTEXT_KEY, parseEnvironmentsContext } =
    await import('../../lib/config/environment-config.js');
  const { stackNameFor } = await import('../../lib/stages/physical-names.js');
  const configs = parseEnvironmentsContext(context[ENVIRONMENTS_CONTEXT_KEY]);
  const config = configs.find((candidate) => candidate.name === name);
  if (!config) {
    throw new UsageError(`--env '${name}' is not in cdk.json; it defines ${configs.map((c) => c.name).join(', ')}`);
  }
  const prefix = context[NAME_PREFIX_CONTEXT_KEY];
  const namePrefix = typeof prefix === 'string' && prefix !== '' ? prefix : undefined;
  return { config, context, namePrefix, statelessStackName: stackNameFor(config.name, 'Stateless', namePrefix) };
}
