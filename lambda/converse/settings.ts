import { RuntimeEnvironment } from '../contract/index.js';
import { MissingEnvironmentError } from '../platform/errors.js';

/** What the function reads from its environment (names shared with the CDK constructs). */
export interface RuntimeSettings {
  readonly agentTableName: string;
  readonly sessionTableName: string;
  /** The memory the function is granted access to; agents name theirs in `memory_id`. */
  readonly memoryId?: string;
}

export { MissingEnvironmentError };

export function readRuntimeSettings(environment: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const required = (name: string): string => {
    const value = environment[name];
    if (value === undefined || value === '')
      throw new MissingEnvironmentError(`environment variable ${name} is not set`);
    return value;
  };
  return {
    agentTableName: required(RuntimeEnvironment.agentTableName),
    sessionTableName: required(RuntimeEnvironment.sessionTableName),
    memoryId: environment[RuntimeEnvironment.memoryId] || undefined,
  };
}
