import './support/environment.js';
import { RuntimeEnvironment } from '../../../lambda/contract/index.js';
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

  it('cuts each AgentCore attempt off after 5 s, so the write after the answer fits the 30 s kept before the timeout', async () => {
    const { agentCoreClient, AGENT_CORE_ATTEMPT_TIMEOUT_MS } = await import('../../../lambda/converse/clients.js');
    const handler = agentCoreClient().config.requestHandler as unknown as {
      configProvider: Promise<{ requestTimeout?: number }>;
    };
    // The options the handler applies to every request it sends.
    const options = await handler.configProvider;
    expect(AGENT_CORE_ATTEMPT_TIMEOUT_MS).toBe(5_000);
    expect(options.requestTimeout).toBe(AGENT_CORE_ATTEMPT_TIMEOUT_MS);
    expect(3 * AGENT_CORE_ATTEMPT_TIMEOUT_MS).toBeLessThan(30_000);
  });
});
