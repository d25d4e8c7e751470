import { agentCoreClient } from '../../../lambda/platform/clients/agentcore.js';
import { agentCoreControlClient } from '../../../lambda/platform/clients/agentcore-control.js';
import { bedrockRuntimeClient } from '../../../lambda/platform/clients/bedrock-runtime.js';
import { dynamoDocumentClient } from '../../../lambda/platform/clients/dynamodb.js';

/** The options the client's HTTP handler applies to every request it sends. */
async function handlerOptions(client: { config: { requestHandler: unknown } }): Promise<Record<string, unknown>> {
  return (client.config.requestHandler as { configProvider: Promise<Record<string, unknown>> }).configProvider;
}

const region = 'us-east-1';

describe('client factories', () => {
  test.each([
    ['AgentCore', () => agentCoreClient({ region, maxAttempts: 2, requestTimeoutMs: 3_000, connectionTimeoutMs: 500 })],
    [
      'AgentCore control plane',
      () => agentCoreControlClient({ region, maxAttempts: 2, requestTimeoutMs: 3_000, connectionTimeoutMs: 500 }),
    ],
    [
      'DynamoDB',
      () => dynamoDocumentClient({ region, maxAttempts: 2, requestTimeoutMs: 3_000, connectionTimeoutMs: 500 }),
    ],
  ])('%s: a request timeout really cuts the attempt off, and the attempts are as asked', async (_name, create) => {
    const client = create();
    expect(await handlerOptions(client)).toEqual(
      expect.objectContaining({ requestTimeout: 3_000, throwOnRequestTimeout: true, connectionTimeout: 500 }),
    );
    expect(await client.config.maxAttempts()).toBe(2);
    expect(await client.config.region()).toBe(region);
  });

  test('without options a client keeps the SDK defaults: no request timeout, three attempts', async () => {
    const client = agentCoreClient({ region });
    expect((await handlerOptions(client))?.requestTimeout).toBeUndefined();
    expect(await client.config.maxAttempts()).toBe(3);
  });

  test('Bedrock: the idle limit is the HTTP/2 session timeout, never a request timeout', async () => {
    const client = bedrockRuntimeClient({ region, maxAttempts: 3, idleTimeoutMs: 60_000, connectionTimeoutMs: 1_000 });
    const options = await handlerOptions(client);
    expect(options).toEqual(expect.objectContaining({ sessionTimeout: 60_000, connectionTimeout: 1_000 }));
    expect(options).not.toHaveProperty('requestTimeout');
  });

  test('the document client leaves attributes set to undefined out of an item', () => {
    expect(dynamoDocumentClient({ region }).config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  });

  test('each call creates its own client: the caller decides how long one lives', () => {
    expect(agentCoreClient({ region })).not.toBe(agentCoreClient({ region }));
  });
});
