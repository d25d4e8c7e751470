import {
  BedrockAgentCoreControlClient,
  GetMemoryCommand,
  waitUntilMemoryCreated,
  type GetMemoryCommandInput,
  type GetMemoryCommandOutput,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
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
}

/** A deployed strategy as GetMemory reports it. */
export interface DeployedStrategy {
  readonly strategyId: string;
  readonly name: string;
  readonly type: string;
  readonly namespaceTemplates: string[];
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

/**
 * Waits with the SDK's waiter until the memory is ACTIVE (it stops early on FAILED), at
 * most `timeoutSeconds`; returns the memory as it then is.
 */
export async function waitForActive(
  client: BedrockAgentCoreControlClient,
  memoryId: string,
  timeoutSeconds: number,
  minDelaySeconds = 2,
): Promise<DeployedMemory | undefined> {
  try {
    await waitUntilMemoryCreated(
      { client, maxWaitTime: timeoutSeconds, minDelay: minDelaySeconds, maxDelay: Math.max(minDelaySeconds, 30) },
      { memoryId },
    );
  } catch {
    // Timed out or FAILED: the memory as it is now says which.
  }
  return getMemory(client, memoryId);
}

/** Every item of the agent-definition table. */
export async function agentItems(client: DynamoDBDocumentClient, tableName: string) {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client }, { TableName: tableName })) items.push(...(page.Items ?? []));
  return items;
}

/** The MEMORY_ID the deployed function runs with. */
export async function functionMemoryId(client: LambdaClient, functionName: string): Promise<string | undefined> {
  const configuration = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return configuration.Environment?.Variables?.[RuntimeEnvironment.memoryId];
}
