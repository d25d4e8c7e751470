/**
 * Runs the real converse handler in-process against AWS clients that answer after fixed
 * simulated latencies, and reports AWS calls per service, time to first token and time to
 * the end of the turn, for the first turn of a memory session and for a later turn.
 */
import {
  BedrockAgentCoreClient,
  CreateEventCommand,
  RetrieveMemoryRecordsCommand,
  type RetrieveMemoryRecordsCommandInput,
} from '@aws-sdk/client-bedrock-agentcore';
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import '../../test/lambda/converse/support/awslambda-shim.js';
import { CapturedResponse } from '../../test/lambda/converse/support/awslambda-shim.js';
import { buildDependencies } from '../../lambda/converse/dependencies.js';
import { createConverseHandler } from '../../lambda/converse/handler.js';
import {
  DEFAULT_EPISODIC_NAMESPACES,
  DEFAULT_RETRIEVAL_CONFIG,
  retrievalTemplateFor,
} from '../../lambda/contract/index.js';

/** The simulated service latencies the issue fixes, in ms. */
export const SIMULATED_LATENCY_MS = {
  dynamoDb: 10,
  agentCoreRetrieve: 300,
  agentCoreCreateEvent: 100,
  modelFirstByte: 400,
  modelStream: 100,
} as const;

/** The best a turn can do: one round of parallel reads, then the model's first byte. */
export const IDEAL_FIRST_TOKEN_MS = {
  firstTurn:
    Math.max(SIMULATED_LATENCY_MS.dynamoDb, SIMULATED_LATENCY_MS.agentCoreRetrieve) +
    SIMULATED_LATENCY_MS.modelFirstByte,
  laterTurn: SIMULATED_LATENCY_MS.dynamoDb + SIMULATED_LATENCY_MS.modelFirstByte,
} as const;

export interface TurnFigures {
  readonly firstTokenMs: number;
  readonly doneEventMs: number;
  readonly endOfTurnMs: number;
  readonly callsByService: { dynamoDb: number; agentCore: number; agentCoreWrites: number; bedrock: number };
  readonly modelCalls: number;
}

const MODEL_ID = 'anthropic.claude-3-5-haiku-20241022-v1:0';
/** What the app seeds its default agent with: the three default strategies' namespaces (no episodic strategy). */
const APP_DEFAULT_RETRIEVAL = Object.fromEntries(
  Object.entries(DEFAULT_RETRIEVAL_CONFIG).filter(
    ([template]) => template !== retrievalTemplateFor(DEFAULT_EPISODIC_NAMESPACES.episodes),
  ),
);
const AGENT = {
  agent_id: 'default',
  base_prompt: 'You are a helpful assistant.',
  foundation_model: MODEL_ID,
  memory_feature: { enabled: true, memory_id: 'bench_memory-abc1234567', retrieval: APP_DEFAULT_RETRIEVAL },
};
const STREAM_CHUNKS = 5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Records when the first `delta` and the `done` event were written. */
class TimedResponse extends CapturedResponse {
  firstDeltaAt: number | undefined;
  doneAt: number | undefined;

  override _write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = chunk.toString();
    if (this.firstDeltaAt === undefined && text.includes('event: delta')) this.firstDeltaAt = performance.now();
    if (text.includes('event: done')) this.doneAt = performance.now();
    super._write(chunk, encoding, callback);
  }
}

async function* modelStream(): AsyncGenerator<ConverseStreamOutput> {
  yield { messageStart: { role: 'assistant' } };
  for (let chunk = 0; chunk < STREAM_CHUNKS; chunk++) {
    if (chunk > 0) await sleep(SIMULATED_LATENCY_MS.modelStream / (STREAM_CHUNKS - 1));
    yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: `part ${chunk} ` } } };
  }
  yield { contentBlockStop: { contentBlockIndex: 0 } };
  yield { messageStop: { stopReason: 'end_turn' } };
  yield { metadata: { usage: { inputTokens: 900, outputTokens: 10, totalTokens: 910 }, metrics: { latencyMs: 500 } } };
}

function installSimulatedServices(historyTurns: number) {
  const dynamoDb = mockClient(DynamoDBDocumentClient);
  const agentCore = mockClient(BedrockAgentCoreClient);
  const bedrock = mockClient(BedrockRuntimeClient);
  const afterDynamoDb = async <T>(value: T): Promise<T> => {
    await sleep(SIMULATED_LATENCY_MS.dynamoDb);
    return value;
  };
  dynamoDb.on(GetCommand).callsFake(() => afterDynamoDb({ Item: AGENT }));
  dynamoDb.on(QueryCommand).callsFake(() =>
    afterDynamoDb({
      Items: [
        { session_id: 'bench-session', sk: '~meta', user_id: 'bench-user' },
        ...Array.from({ length: historyTurns }, (_, turn) => ({
          session_id: 'bench-session',
          sk: `turn#2026-11-21T00:00:0${turn}.000Z#request-${turn}`,
          user_message: `earlier question ${turn}`,
          assistant_message: `earlier answer ${turn}`,
          created_at: `2026-11-21T00:00:0${turn}.000Z`,
        })),
      ],
    }),
  );
  for (const write of [PutCommand, UpdateCommand, TransactWriteCommand] as const) {
    dynamoDb.on(write as typeof PutCommand).callsFake(() => afterDynamoDb({}));
  }
  agentCore.on(RetrieveMemoryRecordsCommand).callsFake(async (input: RetrieveMemoryRecordsCommandInput) => {
    await sleep(SIMULATED_LATENCY_MS.agentCoreRetrieve);
    return {
      memoryRecordSummaries: [
        {
          memoryRecordId: 'mem-1',
          content: { text: 'Prefers short answers.' },
          score: 0.9,
          // Filed under the namespace searched, as the actor's own records are.
          namespaces: [input.namespacePath ?? input.namespace ?? ''],
          memoryStrategyId: 's',
          createdAt: new Date(),
        },
      ],
    };
  });
  agentCore.on(CreateEventCommand).callsFake(async () => {
    await sleep(SIMULATED_LATENCY_MS.agentCoreCreateEvent);
    return { event: { eventId: 'event-1' } };
  });
  bedrock.on(ConverseStreamCommand).callsFake(async () => {
    await sleep(SIMULATED_LATENCY_MS.modelFirstByte);
    return { stream: modelStream() };
  });
  return { dynamoDb, agentCore, bedrock };
}

function functionUrlEvent(body: Record<string, unknown>): APIGatewayProxyEventV2 {
  return {
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST' } },
  } as unknown as APIGatewayProxyEventV2;
}

const lambdaContext = { awsRequestId: 'bench-request', getRemainingTimeInMillis: () => 300_000 } as unknown as Context;

/**
 * One turn: `firstTurn` starts a new session, the later turn continues one with three
 * earlier turns. On a warm container (most turns) the agent definition is already cached;
 * on a cold one it is read in the turn.
 */
export async function measureTurn(
  kind: 'firstTurn' | 'laterTurn',
  container: 'warm' | 'cold' = 'warm',
): Promise<TurnFigures> {
  const services = installSimulatedServices(kind === 'laterTurn' ? 3 : 0);
  try {
    const dependencies = buildDependencies({
      agentTableName: 'agents',
      sessionTableName: 'sessions',
      memoryId: AGENT.memory_feature.memory_id,
    });
    const handler = createConverseHandler(() => dependencies);
    const request = { agentId: 'default', userId: 'bench-user', message: 'What should I cook tonight?' };
    if (container === 'warm') {
      // Fill the container's agent cache, then count only the measured turn's calls.
      await handler(functionUrlEvent({ ...request, sessionId: 'warm-up' }), new CapturedResponse(), lambdaContext);
      for (const service of Object.values(services)) service.resetHistory();
    }

    const response = new TimedResponse();
    const body = kind === 'laterTurn' ? { ...request, sessionId: 'bench-session' } : request;
    const started = performance.now();
    await handler(functionUrlEvent(body), response, lambdaContext);
    const ended = performance.now();
    if (response.firstDeltaAt === undefined || response.doneAt === undefined) {
      throw new Error(`the ${kind} did not stream an answer: ${response.body}`);
    }
    return {
      firstTokenMs: response.firstDeltaAt - started,
      doneEventMs: response.doneAt - started,
      endOfTurnMs: ended - started,
      callsByService: {
        dynamoDb: services.dynamoDb.calls().length,
        agentCore: services.agentCore.calls().length,
        agentCoreWrites: services.agentCore.commandCalls(CreateEventCommand).length,
        bedrock: services.bedrock.calls().length,
      },
      modelCalls: services.bedrock.commandCalls(ConverseStreamCommand).length,
    };
  } finally {
    for (const service of Object.values(services)) service.restore();
  }
}
