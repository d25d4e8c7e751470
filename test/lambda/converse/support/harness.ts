import './environment.js';
import './awslambda-shim.js';
import {
  BedrockAgentCoreClient,
  CreateEventCommand,
  type CreateEventCommandInput,
  RetrieveMemoryRecordsCommand,
  type RetrieveMemoryRecordsCommandInput,
} from '@aws-sdk/client-bedrock-agentcore';
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SessionTableKeys, type AgentDefinitionInput } from '../../../../lambda/contract/index.js';
import { dynamoDocumentClient } from '../../../../lambda/converse/clients.js';
import type { TurnLimits } from '../../../../lambda/platform/deadlines.js';
import { buildDependencies, type ConverseDependencies } from '../../../../lambda/converse/dependencies.js';
import { createConverseHandler } from '../../../../lambda/converse/handler.js';
import { logger, metrics } from '../../../../lambda/converse/observability.js';
import { CapturedResponse } from './awslambda-shim.js';
import { createConverseTables } from './tables.js';
import type { ModelReply } from './model-replies.js';

export const MEMORY_ID = 'test_memory-abc1234567';
export const CLAUDE_MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

const startDynalite: (options: { createTableMs: number }) => Server = require('dynalite');

/** A stored long-term memory record the AgentCore fake searches by namespace path or exact namespace. */
export interface FakeMemoryRecord {
  namespace: string;
  memoryRecordId: string;
  text: string;
  score: number;
}

/** A stored record as RetrieveMemoryRecords returns it. */
export function memoryRecordSummary(record: FakeMemoryRecord) {
  return {
    memoryRecordId: record.memoryRecordId,
    content: { text: record.text },
    namespaces: [record.namespace],
    score: record.score,
    memoryStrategyId: 'strategy',
    createdAt: new Date(0),
  };
}

export interface InvokeOptions {
  base64?: boolean;
  method?: string;
  remainingTimeMs?: number;
  requestId?: string;
  rawBody?: string;
  /** The client disconnects once it has received this event, or before any response. */
  disconnectAfter?: 'session' | 'delta' | 'start';
  /** The client takes the first chunk and then never reads again. */
  stalled?: boolean;
}

let invocationCounter = 0;
let tableCounter = 0;

/**
 * Everything a converse test needs: DynamoDB served by dynalite (real conditions and
 * queries), Bedrock and AgentCore mocked, and the handler built on fresh tables per test.
 * Call once per test file, at its top level; it registers its own hooks.
 */
export function useConverseHarness(overrides: Partial<ConverseDependencies> = {}) {
  const bedrock = mockClient(BedrockRuntimeClient);
  const agentCore = mockClient(BedrockAgentCoreClient);
  let server: Server;
  let admin: DynamoDBDocumentClient;

  const state = {
    agentTable: '',
    sessionTable: '',
    dependencies: undefined as unknown as ConverseDependencies,
    modelReplies: [] as ModelReply[],
    /** Each ConverseStream request as it was when sent (the loop keeps appending later). */
    modelRequests: [] as ConverseStreamCommandInput[],
    memoryRecords: [] as FakeMemoryRecord[],
    /** The response of the invocation running now. */
    response: undefined as CapturedResponse | undefined,
    dynamoSend: undefined as unknown as jest.SpyInstance,
    warn: undefined as unknown as jest.SpyInstance,
    error: undefined as unknown as jest.SpyInstance,
    addMetric: undefined as unknown as jest.SpyInstance,
  };

  beforeAll(async () => {
    logger.setLogLevel('SILENT');
    server = startDynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The runtime's own client reads its endpoint from the standard SDK variable.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
    admin = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }), {
      marshallOptions: { removeUndefinedValues: true },
    });
  });

  afterAll(async () => {
    bedrock.restore();
    agentCore.restore();
    admin.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(async () => {
    tableCounter++;
    state.agentTable = `agents-${tableCounter}`;
    state.sessionTable = `sessions-${tableCounter}`;
    await createConverseTables(admin, state);
    await new Promise((resolve) => setTimeout(resolve, 5));
    state.dependencies = buildDependencies(
      { agentTableName: state.agentTable, sessionTableName: state.sessionTable, memoryId: MEMORY_ID },
      overrides,
    );
    state.modelReplies = [];
    state.modelRequests = [];
    state.memoryRecords = [];

    bedrock.reset();
    bedrock.on(ConverseStreamCommand).callsFake(async (input: ConverseStreamCommandInput) => {
      state.modelRequests.push(structuredClone(input));
      const reply = state.modelReplies.shift();
      if (reply === undefined) throw new Error('the model was called more often than the test scripted');
      if (reply.kind === 'reject') throw reply.error;
      return { stream: reply.events() };
    });
    agentCore.reset();
    agentCore.on(RetrieveMemoryRecordsCommand).callsFake(async (input: RetrieveMemoryRecordsCommandInput) => ({
      // `namespacePath` covers the records under a path, `namespace` only one namespace; ranked by relevance.
      memoryRecordSummaries: state.memoryRecords
        .filter((record) =>
          input.namespacePath === undefined
            ? record.namespace === input.namespace
            : record.namespace.startsWith(input.namespacePath),
        )
        .sort((a, b) => b.score - a.score)
        .slice(0, input.searchCriteria?.topK ?? 10)
        .map(memoryRecordSummary),
    }));
    agentCore.on(CreateEventCommand).resolves({});

    jest.restoreAllMocks();
    state.dynamoSend = jest.spyOn(dynamoDocumentClient(), 'send');
    state.warn = jest.spyOn(logger, 'warn');
    state.error = jest.spyOn(logger, 'error');
    state.addMetric = jest.spyOn(metrics, 'addMetric');
  });

  const harness = {
    bedrock,
    agentCore,
    get dependencies() {
      return state.dependencies;
    },
    get modelRequests() {
      return state.modelRequests;
    },
    get memoryRecords() {
      return state.memoryRecords;
    },
    get warn() {
      return state.warn;
    },
    get error() {
      return state.error;
    },
    get addMetric() {
      return state.addMetric;
    },
    get sessionTable() {
      return state.sessionTable;
    },
    /** The response the running invocation is writing (for checks made while it runs). */
    get response() {
      return state.response;
    },

    /** Replaces some of this test's dependencies. */
    override(overrides: Partial<ConverseDependencies>): void {
      state.dependencies = { ...state.dependencies, ...overrides };
    },

    /** Replaces some of this test's time limits (short ones make a stalled dependency quick to test). */
    limits(limits: Partial<TurnLimits>): void {
      state.dependencies = { ...state.dependencies, limits: { ...state.dependencies.limits, ...limits } };
    },

    /** Scripts the next model calls, in order. */
    modelReplies(...replies: ModelReply[]): void {
      state.modelReplies.push(...replies);
    },

    async putAgent(agent: AgentDefinitionInput | Record<string, unknown>): Promise<void> {
      await admin.send(new PutCommand({ TableName: state.agentTable, Item: agent }));
    },

    async putSessionItem(item: Record<string, unknown>): Promise<void> {
      await admin.send(new PutCommand({ TableName: state.sessionTable, Item: item }));
    },

    async deleteSessionItem(sessionId: string, sortKey: string): Promise<void> {
      await admin.send(
        new DeleteCommand({
          TableName: state.sessionTable,
          Key: { [SessionTableKeys.partitionKey]: sessionId, [SessionTableKeys.sortKey]: sortKey },
        }),
      );
    },

    /** Every item of a session, in sort-key order. */
    async sessionItems(sessionId: string): Promise<Record<string, unknown>[]> {
      const { Items = [] } = await admin.send(
        new QueryCommand({
          TableName: state.sessionTable,
          KeyConditionExpression: '#pk = :id',
          ExpressionAttributeNames: { '#pk': SessionTableKeys.partitionKey },
          ExpressionAttributeValues: { ':id': sessionId },
        }),
      );
      return Items;
    },

    async turnItems(sessionId: string): Promise<Record<string, unknown>[]> {
      return (await harness.sessionItems(sessionId)).filter((item) => String(item.sk).startsWith('turn#'));
    },

    async invoke(body: unknown, options: InvokeOptions = {}): Promise<CapturedResponse> {
      invocationCounter++;
      const rawBody = options.rawBody ?? JSON.stringify(body);
      const event = {
        version: '2.0',
        rawPath: '/',
        requestContext: { http: { method: options.method ?? 'POST', path: '/' } },
        headers: { 'content-type': 'application/json' },
        body: options.base64 ? Buffer.from(rawBody, 'utf8').toString('base64') : rawBody,
        isBase64Encoded: options.base64 ?? false,
      } as unknown as APIGatewayProxyEventV2;
      const remaining = options.remainingTimeMs ?? 120_000;
      const deadline = Date.now() + remaining;
      const context = {
        awsRequestId: options.requestId ?? `request-${invocationCounter}`,
        functionName: 'converse',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:converse',
        memoryLimitInMB: '1024',
        logGroupName: '/aws/lambda/converse',
        logStreamName: 'stream',
        callbackWaitsForEmptyEventLoop: false,
        getRemainingTimeInMillis: () => deadline - Date.now(),
      } as unknown as Context;
      const response = new CapturedResponse(options.disconnectAfter, options.stalled);
      if (options.disconnectAfter === 'start') response.destroy();
      state.response = response;
      const handler = createConverseHandler(() => state.dependencies);
      await handler(event, response, context);
      return response;
    },

    retrieveCalls(): RetrieveMemoryRecordsCommandInput[] {
      return agentCore.commandCalls(RetrieveMemoryRecordsCommand).map((call) => call.args[0].input);
    },

    createEventCalls(): CreateEventCommandInput[] {
      return agentCore.commandCalls(CreateEventCommand).map((call) => call.args[0].input);
    },

    /** Calls the handler made to DynamoDB, Bedrock and AgentCore. */
    awsCallCount(): { dynamodb: number; bedrock: number; agentCore: number } {
      return {
        dynamodb: state.dynamoSend.mock.calls.length,
        bedrock: bedrock.calls().length,
        agentCore: agentCore.calls().length,
      };
    },

    /** The ERROR log entries as text, an error with its name, message and cause as Powertools writes it. */
    errorLogText(): string {
      return JSON.stringify(state.error.mock.calls, (_key, value: unknown) =>
        value instanceof Error ? { ...value, name: value.name, message: value.message, cause: value.cause } : value,
      );
    },

    /** The values recorded for one metric. */
    metricValues(name: string): number[] {
      return state.addMetric.mock.calls.filter(([metricName]) => metricName === name).map((call) => call[2] as number);
    },
  };
  return harness;
}

/** An agent with memory on (the contract's two fields only), for Claude. */
export function memoryAgent(overrides: Partial<AgentDefinitionInput> = {}): AgentDefinitionInput {
  return {
    agent_id: 'default',
    base_prompt: 'You are a helpful assistant.',
    foundation_model: CLAUDE_MODEL,
    memory_feature: { enabled: true, memory_id: MEMORY_ID },
    ...overrides,
  };
}

/** The text of every block of a message, joined; tool uses and results are skipped. */
export function textOf(message: { content?: { text?: string }[] } | undefined): string {
  return (message?.content ?? []).map((block) => block.text ?? '').join('');
}

/** The messages without their cache points, for tests about what the conversation says. */
export function withoutCachePoints<T extends { role?: string; content?: { cachePoint?: unknown }[] }>(
  messages: T[] | undefined,
): T[] {
  return (messages ?? []).map((message) => ({
    ...message,
    content: (message.content ?? []).filter((block) => block.cachePoint === undefined),
  }));
}
