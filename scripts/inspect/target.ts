/**
 * Which memory, session table and user an `inspect` command opens, from its options: named
 * directly (`--memory-id`, `--session-table`), read from a deployed stack's outputs
 * (`--stack`), or from an environment of this repository's app (`--env`). The region and
 * credentials are resolved first, so a missing one fails before any call.
 */
import { homedir, hostname, userInfo } from 'node:os';
import * as path from 'node:path';
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isValidUserId } from '../../lambda/contract/index.js';
import {
  JsonLinesAuditLog,
  openMemoryInspector,
  type AuditLog,
  type MemoryInspector,
} from '../../lambda/inspector/index.js';
import { resolveAwsAccess, type AwsAccess } from '../cli/aws-preflight.js';
import { stringOption, UsageError, type OptionSpec, type ParsedOptions } from '../cli/command-line.js';
import { repositoryEnvironment } from '../cli/repository-environment.js';
import { stackOutputs } from '../doctor/deployed.js';

/** Where changes are recorded unless `--audit-log` says otherwise. */
export const DEFAULT_AUDIT_LOG = path.join(homedir(), '.agentcore-memory', 'inspect-audit.jsonl');

export const TARGET_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  user: {
    type: 'string',
    value: 'userId',
    description: 'The user whose memory to open, as the converse API knows them.',
  },
  'memory-id': { type: 'string', value: 'id', description: 'The AgentCore memory (wins over the stack’s MemoryId).' },
  'session-table': {
    type: 'string',
    value: 'table name',
    description:
      'The converse function’s session-history table, for the user’s turns (wins over the stack’s SessionTableName; without either, no turns are read).',
  },
  stack: {
    type: 'string',
    value: 'stack name',
    description: 'A deployed stack whose outputs name the memory (MemoryId) and the session table (SessionTableName).',
  },
  env: {
    type: 'string',
    value: 'env',
    description:
      'An environment of this package’s own app (reads ./cdk.json): its stack AgentMemory-<env>-Stateless, in the environment’s region.',
  },
  region: {
    type: 'string',
    value: 'region',
    description: 'The memory’s region (default: the environment’s with --env, else AWS_REGION or your profile’s).',
  },
};

export const CHANGE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'audit-log': {
    type: 'string',
    value: 'file',
    default: DEFAULT_AUDIT_LOG,
    description: 'Where every change, made or refused, is appended as one line of JSON.',
  },
  operator: {
    type: 'string',
    value: 'name',
    description: 'Who is making the change, for the audit log (default: <login>@<host>).',
  },
};

/** The AWS clients an inspector reads and writes with; tests hand in their own. */
export interface InspectClients {
  readonly agentCore: BedrockAgentCoreClient;
  readonly control: BedrockAgentCoreControlClient;
  readonly dynamo: DynamoDBDocumentClient;
  readonly cloudFormation: CloudFormationClient;
}

export interface InspectDependencies {
  readonly access?: (regionFlag: string | undefined, configuredRegion: string | undefined) => Promise<AwsAccess>;
  readonly clientsFor?: (access: AwsAccess) => InspectClients;
}

export interface OpenedInspector {
  readonly inspector: MemoryInspector;
  /** The audit log's file; undefined for a command that changes nothing. */
  readonly auditLogPath?: string;
  readonly region: string;
}

/** The userId of `--user`, checked as the converse API checks it. */
export function userOption(values: ParsedOptions): string {
  const user = stringOption(values, 'user');
  if (user === undefined) throw new UsageError('--user is required');
  if (!isValidUserId(user)) {
    throw new UsageError(`--user '${user}' is not a userId the converse API accepts, so it has no memory`);
  }
  return user;
}

/**
 * Opens the user's memory as the options name it. `changes`: the command writes, so the
 * inspector gets the audit log (without one the library refuses every change).
 */
export async function openInspector(
  values: ParsedOptions,
  dependencies: InspectDependencies,
  changes: boolean,
): Promise<OpenedInspector> {
  const userId = userOption(values);
  const env = stringOption(values, 'env');
  let memoryId = stringOption(values, 'memory-id');
  let sessionTableName = stringOption(values, 'session-table');
  let stackName = stringOption(values, 'stack');
  if (memoryId === undefined && stackName === undefined && env === undefined) {
    throw new UsageError('name the memory: --memory-id (and --session-table), --stack, or --env in this repository');
  }
  const repository = env === undefined ? undefined : await repositoryEnvironment(env);
  stackName ??= repository?.statelessStackName;

  const access = await (dependencies.access ?? resolveAwsAccess)(
    stringOption(values, 'region'),
    repository?.config.region,
  );
  const clients = (dependencies.clientsFor ?? awsClients)(access);
  if (stackName !== undefined && (memoryId === undefined || sessionTableName === undefined)) {
    const outputs = await stackOutputs(clients.cloudFormation, stackName);
    memoryId ??= outputs.MemoryId;
    sessionTableName ??= outputs.SessionTableName;
  }
  if (memoryId === undefined) throw new UsageError(`stack ${stackName} has no MemoryId output; pass --memory-id`);

  const auditLogPath = changes ? (stringOption(values, 'audit-log') ?? DEFAULT_AUDIT_LOG) : undefined;
  const auditLog: AuditLog | undefined = auditLogPath === undefined ? undefined : new JsonLinesAuditLog(auditLogPath);
  const inspector = await openMemoryInspector({
    memoryId,
    userId,
    operator: stringOption(values, 'operator') ?? defaultOperator(),
    agentCore: clients.agentCore,
    control: clients.control,
    ...(sessionTableName !== undefined && { sessionTable: { dynamo: clients.dynamo, tableName: sessionTableName } }),
    ...(auditLog !== undefined && { auditLog }),
  });
  return { inspector, auditLogPath, region: access.region };
}

function defaultOperator(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    // No entry for this uid in the password database (some containers).
    return `uid-${process.getuid?.() ?? 'unknown'}@${hostname()}`;
  }
}

function awsClients({ region, credentials }: AwsAccess): InspectClients {
  return {
    agentCore: new BedrockAgentCoreClient({ region, credentials }),
    control: new BedrockAgentCoreControlClient({ region, credentials }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region, credentials })),
    cloudFormation: new CloudFormationClient({ region, credentials }),
  };
}
