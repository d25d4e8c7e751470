/** The default warning sink: a Powertools Logger, created on the first warning. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SessionManagerLogger } from './types.js';

let sharedLogger: SessionManagerLogger | undefined;

export function defaultSessionManagerLogger(): SessionManagerLogger {
  sharedLogger ??= new Logger({ serviceName: 'agentcore-memory-session-manager' });
  return sharedLogger;
}
