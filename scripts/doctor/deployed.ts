import {
  BedrockAgentCoreControlClient,
  GetMemoryCommand,
  type GetMemoryCommandInput,
  type GetMemoryCommandOutput,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { IAMClient } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { HandlerExecutionContext, Pluggable } from '@smithy/types';
import { RuntimeEnvironment } from '../../lambda/contract/index.js';

/** The AWS clients the doctor reads with; tests hand in mocked ones. */
export interface DoctorClients {
  readonly cloudFormation: CloudFormationClient;
  readonly control: BedrockAgentCoreControlClient;
  readonly dynamo: DynamoDBDocumentClient;
  readonly lambda: LambdaClient;
  readonly iam: IAMClient;
}

/** A deployed strategy as GetMemory reports it. */
export interface DeployedStrategy {
  readonly strategyId: string;
  readonly name: string;
  readonly type: string;
  readonly namespaceTemplates: string[];
  /** ACTIVE, CREATING, DELETING or FAILED; undefined when GetMemory does not say. */
  readonly status?: string;
  /** Days before records expire; null when GetMemory says they do not; undefined when it does not say. */
  readonly recordExpiryDays?: number | null;
}

export interface DeployedMemory {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly failureReason?: string;
  readonly eventExpiryDays?: number;
  readonly strategies: DeployedStrategy[];
  /** Whether the response carried record expiry at all (the pinned SDK's model has no such field). */
  readonly reportsRecordExpiry: boolean;
}

export class StackNotFoundError extends Error {
  override readonly name = 'StackNotFoundError';
}

/** The outputs of a deployed stack; throws StackNotFoundError when CloudFormation has no such stack. */
export async function stackOutputs(client: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (!stack) throw new StackNotFoundError(`stack ${stackName} does not exist`);
    return Object.fromEntries(
      (stack.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']),
    );
  } catch (error) {
    // CloudFormation answers a missing stack with a ValidationError "Stack with id X does not exist".
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) {
      throw new StackNotFoundError(`stack ${stackName} does not exist`);
    }
    throw error;
  }
}

const RAW_STRATEGIES = Symbol('rawStrategies');
type RawStrategy = { strategyId?: string; recordExpirySpecification?: { recordExpiryDurationDays?: number } };
type CaptureContext = HandlerExecutionContext & { [RAW_STRATEGIES]?: RawStrategy[] };

/**
 * GetMemory's record expiry per strategy. The control plane documents
 * `recordExpirySpecification` on strategies, but the pinned SDK's model has no such member
 * and its deserializer drops it; this plugin keeps it: one middleware reads the raw JSON
 * before deserialization, another copies the field onto the parsed strategies.
 */
export const keepRecordExpiry: Pluggable<GetMemoryCommandInput, GetMemoryCommandOutput> = {
  applyToStack(stack) {
    stack.add(
      (next, context: CaptureContext) => async (args) => {
        const result = await next(args);
        const response = result.response as { body?: unknown };
        if (response.body === undefined) return result;
        const bytes = await collect(response.body);
        response.body = bytes;
        try {
          const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { memory?: { strategies?: RawStrategy[] } };
          context[RAW_STRATEGIES] = parsed.memory?.strategies ?? [];
        } catch {
          // Not JSON (an error page): the deserializer reports it.
        }
        return result;
      },
      { step: 'deserialize', priority: 'low', name: 'keepRecordExpiryRaw' },
    );
    stack.add(
      (next, context: CaptureContext) => async (args) => {
        const result = await next(args);
        const output = result.output as Partial<GetMemoryCommandOutput>;
        const raw = context[RAW_STRATEGIES];
        for (const strategy of output.memory?.strategies ?? []) {
          const match = raw?.find((candidate) => candidate.strategyId === strategy.strategyId);
          if (match && 'recordExpirySpecification' in match) {
            Object.assign(strategy, { recordExpirySpecification: match.recordExpirySpecification });
          }
        }
        return result;
      },
      { step: 'initialize', name: 'keepRecordExpiryParsed' },
    );
  },
};

async function collect(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/** GetMemory, reduced to what the doctor compares; undefined when the memory does not exist. */
export async function getMemory(client: BedrockAgentCoreControlClient, memoryId: string) {
  try {
    const command = new GetMemoryCommand({ memoryId });
    command.middlewareStack.use(keepRecordExpiry);
    return toDeployedMemory(await client.send(command));
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

export function toDeployedMemory(output: GetMemoryCommandOutput): DeployedMemory {
  const memory = output.memory;
  if (!memory) throw new Error('GetMemory returned no memory');
  let reportsRecordExpiry = false;
  const strategies = (memory.strategies ?? []).map((strategy) => {
    const spec = (strategy as { recordExpirySpecification?: { recordExpiryDurationDays?: number } | null })
      .recordExpirySpecification;
    if (spec !== undefined) reportsRecordExpiry = true;
    return {
      strategyId: strategy.strategyId ?? '',
      name: strategy.name ?? '',
      type: strategy.type ?? '',
      namespaceTemplates: strategy.namespaceTemplates ?? strategy.namespaces ?? [],
      ...(strategy.status === undefined ? {} : { status: strategy.status }),
      recordExpiryDays: spec === undefined ? undefined : (spec?.recordExpiryDurationDays ?? null),
    };
  });
  return {
    id: memory.id ?? '',
    name: memory.name ?? '',
    status: memory.status ?? 'UNKNOWN',
    failureReason: memory.failureReason,
    eventExpiryDays: memory.eventExpiryDuration,
    strategies,
    reportsRecordExpiry,
  };
}

export interface WaitResult {
  /** The memory as it last was (undefined: it does not exist). */
  readonly memory: DeployedMemory | undefined;
  /** Whether the timeout passed before the memory was ACTIVE or FAILED. */
  readonly timedOut: boolean;
}

/**
 * Polls GetMemory until the memory is ACTIVE or FAILED, at most `timeoutSeconds`, backing
 * off from `minDelaySeconds` to 30 s. Only errors that retrying can fix (throttling, 5xx,
 * a dropped connection) are retried; any other (AccessDenied, ValidationException, no
 * credentials) is thrown at once, and a memory that does not exist ends the wait.
 */
export async function waitForActive(
  client: BedrockAgentCoreControlClient,
  memoryId: string,
  timeoutSeconds: number,
  minDelaySeconds = 2,
): Promise<WaitResult> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let delayMs = minDelaySeconds * 1000;
  for (;;) {
    let memory: DeployedMemory | undefined;
    try {
      memory = await getMemory(client, memoryId);
      if (memory === undefined || memory.status === 'ACTIVE' || memory.status === 'FAILED') {
        return { memory, timedOut: false };
      }
    } catch (error) {
      if (!isRetryable(error) || Date.now() + delayMs > deadline) throw error;
    }
    if (Date.now() + delayMs > deadline) return { memory, timedOut: true };
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 1.5, 30_000);
  }
}

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'InternalServerException',
  'RequestTimeout',
  'TimeoutError',
]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/** Whether an AWS call may succeed if made again: throttling, a server error, a dropped connection. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  return (
    RETRYABLE_NAMES.has(error.name) ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    (code !== undefined && RETRYABLE_CODES.has(code))
  );
}

/** Every item of the agent-definition table. */
export async function agentItems(client: DynamoDBDocumentClient, tableName: string) {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client }, { TableName: tableName })) items.push(...(page.Items ?? []));
  return items;
}

/** The deployed converse function: its MEMORY_ID, ARN and role. */
export interface DeployedFunction {
  readonly functionName: string;
  readonly functionArn: string;
  readonly roleArn: string;
  readonly memoryId?: string;
}

export async function deployedFunction(client: LambdaClient, functionName: string): Promise<DeployedFunction> {
  const configuration = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return {
    functionName: configuration.FunctionName ?? functionName,
    functionArn: configuration.FunctionArn ?? '',
    roleArn: configuration.Role ?? '',
    memoryId: configuration.Environment?.Variables?.[RuntimeEnvironment.memoryId],
  };
}
