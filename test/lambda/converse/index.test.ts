import './support/environment.js';
import { RuntimeEnvironment } from '../../../lambda/contract/index.js';
import { DEFAULT_TURN_LIMITS } from '../../../lambda/platform/deadlines.js';
import { CapturedResponse } from './support/awslambda-shim.js';
import { memoryAgent, useConverseHarness } from './support/harness.js';
import { textReply } from './support/model-replies.js';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

const harness = useConverseHarness();

const event = (body: unknown) =>
  ({
    requestContext: { http: { method: 'POST' } },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;
const context = { awsRequestId: 'index-1', getRemainingTimeInMillis: () => 120_000 } as unknown as Context;

describe('the bundled entry (lambda/converse/index.ts)', () => {
  it('exports a streaming handler wired to the tables and memory its environment names', async () => {
    const sessionTable = harness.sessionTable;
    process.env[RuntimeEnvironment.agentTableName] = harness.dependencies.settings.agentTableName;
    process.env[RuntimeEnvironment.sessionTableName] = sessionTable;
    process.env[RuntimeEnvironment.memoryId] = harness.dependencies.settings.memoryId;
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hello from the entry'));
    const { handler } = await import('../../../lambda/converse/index.js');

    const response = new CapturedResponse();
    await handler(
      event({ agentId: 'default', userId: 'u-1', sessionId: 'entry-session', message: 'Hi' }),
      response as unknown as awslambda.HttpResponseStream,
      context,
    );

    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'done']);
    expect(response.answer).toBe('Hello from the entry');
    expect(await harness.turnItems('entry-session')).toHaveLength(1);
    expect(harness.createEventCalls()).toHaveLength(1);
  });
});

describe('SDK clients', () => {
  it('are not created when the entry module loads, and each is created once, on first use', () => {
    const constructed: string[] = [];
    const counting = (packageName: string, className: string) => {
      const actual = jest.requireActual(packageName);
      return {
        ...actual,
        [className]: class extends actual[className] {
          constructor(...args: unknown[]) {
            super(...args);
            constructed.push(className);
          }
        },
      };
    };
    jest.isolateModules(() => {
      jest.doMock('@aws-sdk/client-bedrock-runtime', () =>
        counting('@aws-sdk/client-bedrock-runtime', 'BedrockRuntimeClient'),
      );
      jest.doMock('@aws-sdk/client-bedrock-agentcore', () =>
        counting('@aws-sdk/client-bedrock-agentcore', 'BedrockAgentCoreClient'),
      );
      jest.doMock('@aws-sdk/client-dynamodb', () => counting('@aws-sdk/client-dynamodb', 'DynamoDBClient'));
      require('../../../lambda/converse/index.js');
      expect(constructed).toEqual([]);

      const clients = require('../../../lambda/converse/clients.js');
      const first = [clients.bedrockRuntimeClient(), clients.agentCoreClient(), clients.dynamoDocumentClient()];
      const again = [clients.bedrockRuntimeClient(), clients.agentCoreClient(), clients.dynamoDocumentClient()];
      expect(again).toEqual(first);
      expect(again.every((client, index) => client === first[index])).toBe(true);
      expect(constructed.sort()).toEqual(['BedrockAgentCoreClient', 'BedrockRuntimeClient', 'DynamoDBClient']);
    });
    jest.dontMock('@aws-sdk/client-bedrock-runtime');
    jest.dontMock('@aws-sdk/client-bedrock-agentcore');
    jest.dontMock('@aws-sdk/client-dynamodb');
  });

  it('cut each DynamoDB and AgentCore attempt off (throwOnRequestTimeout), and the attempts with their backoff fit the call limits', async () => {
    const clients = await import('../../../lambda/converse/clients.js');
    const handlerOptions = async (client: { config: { requestHandler: unknown } }) =>
      // The options the handler applies to every request it sends.
      (client.config.requestHandler as { configProvider: Promise<Record<string, unknown>> }).configProvider;
    const dynamoDb = await handlerOptions(clients.dynamoDocumentClient());
    const agentCore = await handlerOptions(clients.agentCoreClient());
    expect(dynamoDb).toEqual(
      expect.objectContaining({ requestTimeout: clients.DYNAMODB_ATTEMPT_TIMEOUT_MS, throwOnRequestTimeout: true }),
    );
    expect(agentCore).toEqual(
      expect.objectContaining({ requestTimeout: clients.AGENT_CORE_ATTEMPT_TIMEOUT_MS, throwOnRequestTimeout: true }),
    );
    // Bedrock's idle limit is the HTTP/2 session's timeout; a requestTimeout would hold each
    // call's stream for that long after it ended.
    const bedrock = await handlerOptions(clients.bedrockRuntimeClient());
    expect(bedrock).toEqual(expect.objectContaining({ sessionTimeout: clients.BEDROCK_IDLE_TIMEOUT_MS }));
    expect(bedrock).not.toHaveProperty('requestTimeout');
    expect(await clients.agentCoreClient().config.maxAttempts()).toBe(clients.MAX_ATTEMPTS);
    expect(await clients.dynamoDocumentClient().config.maxAttempts()).toBe(clients.MAX_ATTEMPTS);

    // An attempt's requestTimeout runs from the moment it is sent, connecting included. The
    // SDK's longest backoff before the 2nd and 3rd attempts of a throttled call: 0.5 s, then 1 s.
    const longestBackoffMs = 1_500;
    const worstCase = (attemptMs: number) => clients.MAX_ATTEMPTS * attemptMs + longestBackoffMs;
    expect(worstCase(clients.AGENT_CORE_ATTEMPT_TIMEOUT_MS)).toBeLessThanOrEqual(DEFAULT_TURN_LIMITS.memoryWriteMs);
    expect(worstCase(clients.DYNAMODB_ATTEMPT_TIMEOUT_MS)).toBeLessThanOrEqual(DEFAULT_TURN_LIMITS.dynamoDbMs);
    // The writes after the answer fit the time kept before the function's timeout.
    expect(
      DEFAULT_TURN_LIMITS.dynamoDbMs + DEFAULT_TURN_LIMITS.memoryWriteMs + DEFAULT_TURN_LIMITS.responseEndMs,
    ).toBeLessThan(DEFAULT_TURN_LIMITS.reserveMs);
  });
});

describe('the Node.js running these tests', () => {
  it('is the major version the test command asked for (24, the function runtime, under npm run test:lambda-node)', () => {
    const expected = process.env.EXPECTED_NODE_MAJOR ?? process.versions.node.split('.')[0];
    expect(process.versions.node.split('.')[0]).toBe(expected);
  });
});
