import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

// The writer is plain CommonJS, deployed inline.
const writer = require('../../../lambda/agent-definition-writer/index.js') as {
  handler: (event: Record<string, unknown>) => Promise<void>;
};

const dynamodb = mockClient(DynamoDBClient);
const responses: Record<string, unknown>[] = [];
let server: Server;
let responseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      responses.push({ method: request.method, ...(JSON.parse(body) as Record<string, unknown>) });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response?signed`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  dynamodb.reset();
  responses.length = 0;
});

const item = { agent_id: { S: 'default' }, base_prompt: { S: 'Hi' }, inference: { M: { max_tokens: { N: '512' } } } };

function event(requestType: string, deleteOnRemoval = 'false', physicalResourceId?: string) {
  return {
    RequestType: requestType,
    ResponseURL: responseUrl,
    StackId: 'stack-1',
    RequestId: 'request-1',
    LogicalResourceId: 'AgentDefault',
    ...(physicalResourceId ? { PhysicalResourceId: physicalResourceId } : {}),
    ResourceProperties: {
      ServiceToken: 'arn',
      TableName: 'agents',
      Key: JSON.stringify({ agent_id: { S: 'default' } }),
      Item: JSON.stringify(item),
      DeleteOnRemoval: deleteOnRemoval,
    },
  };
}

describe('agent definition writer', () => {
  test.each(['Create', 'Update'])('%s puts the item as given and reports success to CloudFormation', async (type) => {
    await writer.handler(event(type));
    expect(dynamodb.commandCalls(PutItemCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'agents', Item: item },
    ]);
    expect(responses).toEqual([
      {
        method: 'PUT',
        Status: 'SUCCESS',
        Reason: 'written',
        PhysicalResourceId: 'agents/default',
        StackId: 'stack-1',
        RequestId: 'request-1',
        LogicalResourceId: 'AgentDefault',
      },
    ]);
  });

  test('Delete removes the item only when the table deletes its data', async () => {
    await writer.handler(event('Delete', 'false', 'agents/default'));
    expect(dynamodb.commandCalls(DeleteItemCommand)).toHaveLength(0);
    await writer.handler(event('Delete', 'true', 'agents/default'));
    expect(dynamodb.commandCalls(DeleteItemCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'agents', Key: { agent_id: { S: 'default' } } },
    ]);
    expect(responses.map((response) => response.Status)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  test('Delete of a resource whose create failed touches nothing', async () => {
    await writer.handler(event('Delete', 'true', 'some-failed-create-id'));
    expect(dynamodb.commandCalls(DeleteItemCommand)).toHaveLength(0);
    expect(responses[0].Status).toBe('SUCCESS');
  });

  test('a failed write is reported to CloudFormation as FAILED with its reason, so the deployment rolls back', async () => {
    dynamodb
      .on(PutItemCommand)
      .rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    await writer.handler(event('Create'));
    expect(responses).toEqual([
      expect.objectContaining({ Status: 'FAILED', Reason: 'ResourceNotFoundException: Requested resource not found' }),
    ]);
  });
});
