/**
 * The forget function: `{ "userId": "...", "dryRun": false }` in, the audit report out
 * (also logged). Invoked by `npm run forget`, or by any caller allowed to invoke it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DEFAULT_SECOND_SWEEP_DELAY_SECONDS, ForgetEnvironment } from '../contract/index.js';
import { agentCoreClient } from '../platform/clients/agentcore.js';
import { agentCoreControlClient } from '../platform/clients/agentcore-control.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { type ForgetClients, forgetUser } from './forget-user.js';
import type { ForgetReport } from './report.js';
import { parseForgetRequest } from './request.js';
import type { ForgetTarget } from './target.js';

const logger = new Logger({ serviceName: 'agentcore-memory-forget' });

let clients: ForgetClients | undefined;

/** Created on first use; the SDK's own retries are off because forgetUser retries and counts every attempt. */
function defaultClients(): ForgetClients {
  clients ??= {
    agentCore: agentCoreClient({ maxAttempts: 1 }),
    agentCoreControl: agentCoreControlClient({ maxAttempts: 1 }),
    dynamo: dynamoDocumentClient({ maxAttempts: 1 }),
  };
  return clients;
}

function jsonList(value: string | undefined): string[] {
  const parsed: unknown = JSON.parse(value ?? '[]');
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** The target from the function's environment, as `ForgetFunction` sets it. */
export function forgetTargetFromEnvironment(environment: NodeJS.ProcessEnv = process.env): ForgetTarget {
  return {
    memoryId: environment[ForgetEnvironment.memoryId] ?? '',
    sessionTableName: environment[ForgetEnvironment.sessionTableName] ?? '',
    namespaceTemplates: jsonList(environment[ForgetEnvironment.namespaceTemplates]),
    extraNamespaceTemplates: jsonList(environment[ForgetEnvironment.extraNamespaceTemplates]),
  };
}

/** The part of Lambda's context the handler reads. */
export interface ForgetContext {
  getRemainingTimeInMillis(): number;
}

export async function handler(event: unknown, context?: ForgetContext): Promise<ForgetReport> {
  const request = parseForgetRequest(event);
  const delay = Number(process.env[ForgetEnvironment.secondSweepDelaySeconds] ?? DEFAULT_SECOND_SWEEP_DELAY_SECONDS);
  const report = await forgetUser(request.userId, forgetTargetFromEnvironment(), defaultClients(), {
    dryRun: request.dryRun,
    secondSweepDelaySeconds: Number.isFinite(delay) && delay >= 0 ? delay : DEFAULT_SECOND_SWEEP_DELAY_SECONDS,
    ...(context !== undefined && { remainingTimeMs: () => context.getRemainingTimeInMillis() }),
  });
  if (report.complete) logger.info('forget report', { report });
  else logger.error('forget report: incomplete', { report });
  return report;
}
