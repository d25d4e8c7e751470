import type { App } from 'aws-cdk-lib';
import {
  ENVIRONMENTS_CONTEXT_KEY,
  NAME_PREFIX_CONTEXT_KEY,
  parseEnvironmentsContext,
} from '../config/environment-config.js';
import { EnvironmentStage } from './environment-stage.js';
import { memoryNameFor, namePrefixError } from './physical-names.js';

export interface AgentAppOptions {
  /**
   * Prefix of every physical name of every environment.
   * @default - the `namePrefix` context value (`cdk.json`), else no prefix
   */
  readonly namePrefix?: string;
}

/**
 * Adds one stage per environment in the `environments` context (validated first, every
 * problem at once), each named with the app's name prefix.
 */
export function configureAgentApp(app: App, options: AgentAppOptions = {}): EnvironmentStage[] {
  const environments = parseEnvironmentsContext(app.node.tryGetContext(ENVIRONMENTS_CONTEXT_KEY));
  const namePrefix = options.namePrefix ?? (app.node.tryGetContext(NAME_PREFIX_CONTEXT_KEY) as unknown);
  if (namePrefix !== undefined && (typeof namePrefix !== 'string' || namePrefixError(namePrefix))) {
    throw new Error(
      `cdk.json context ${NAME_PREFIX_CONTEXT_KEY}: ${typeof namePrefix === 'string' ? namePrefixError(namePrefix) : `must be a string (got ${JSON.stringify(namePrefix)})`}`,
    );
  }
  const byMemoryName = new Map<string, string>();
  for (const { name } of environments) {
    const memoryName = memoryNameFor(name, namePrefix);
    const other = byMemoryName.get(memoryName);
    if (other !== undefined) {
      throw new Error(
        `cdk.json context ${ENVIRONMENTS_CONTEXT_KEY}: environments '${other}' and '${name}' would share the memory name '${memoryName}'; rename one`,
      );
    }
    byMemoryName.set(memoryName, name);
  }
  return environments.map((config) => new EnvironmentStage(app, config.name, { config, namePrefix }));
}
