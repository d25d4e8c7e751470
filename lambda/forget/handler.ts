/**
 * The forget function: `{ "userId": "...", "dryRun": false }` in, the audit report out
 * (also logged). Invoked by `npm run forget`, or by any caller allowed to invoke it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ForgetEnvironment, USER_ID_MAX_LENGTH, isValidUserId } from '../contract/index.js';
import {
  DEFAULT_SECOND_SWEEP_DELAY_SECONDS,
  type ForgetClients,
  type ForgetTarget,
  forgetUser,
} from './forget-user.js';
import type { ForgetReport } from './report.js';

export interface ForgetRequest {
  readonly userId: string;
  /** @default false */
  readonly dryRun?: boolean;
}

const logger = new Logger({ serviceName: 'agentcore-memory-forget' });

let clients: ForgetClients | undefined;

/** Created on first use; the SDK's own retries are off because forgetUser retries and counts every attempt. */
function defaultClients(): ForgetClients {
  clients ??= {
    agentCore: new BedrockAgentCoreClient({ maxAttempts: 1 }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 1 })),
  };
  return clients;
}

/** The target from the function's environment, as `ForgetFunction` sets it. */
export function forgetTargetFromEnvironment(environment: NodeJS.ProcessEnv = process.env): ForgetTarget {
  const templates: unknown = JSON.parse(environment[ForgetEnvironment.namespaceTemplates] ?? '[]');
  return {
    memoryId: environment[ForgetEnvironment.memoryId] ?? '',
    sessionTableName: environment[ForgetEnvironment.sessionTableName] ?? '',
    namespaceTemplates: Array.isArray(templates) ? templates.map(String) : [],
  };
}

export function parseForgetRequest(event: unknown): ForgetRequest {
  const { userId, dryRun } = (event ?? {}) as { userId?: unknown; dryRun?: unknown };
  if (typeof userId !== 'string' || !isValidUserId(userId)) {
    throw new Error(
      `userId must be the userId the converse API was called with: 1-${USER_ID_MAX_LENGTH} printable ASCII characters without spaces, starting with a letter or digit (got ${JSON.stringify(userId)})`,
    );
  }
  if (dryRun !== undefined && typeof dryRun !== 'boolean') {
    throw new Error(`dryRun must be true or false (got ${JSON.stringify(dryRun)})`);
  }
  return { userId, dryRun: dryRun ?? false };
}

export async function handler(event: unknown): Promise<ForgetReport> {
  const request = parseForgetRequest(event);
  const delay = Number(process.env[ForgetEnvironment.secondSweepDelaySeconds] ?? DEFAULT_SECOND_SWEEP_DELAY_SECONDS);
  const report = await forgetUser(request.userId, forgetTargetFromEnvironment(), defaultClients(), {
    dryRun: request.dryRun,
    secondSweepDelaySeconds: Number.isFinite(delay) && delay >= 0 ? delay : DEFAULT_SECOND_SWEEP_DELAY_SECONDS,
  });
  if (report.complete) logger.info('forget report', { report });
  else logger.error('forget report: incomplete', { report });
  return report;
}
