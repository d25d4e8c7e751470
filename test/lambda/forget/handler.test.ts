import {
  BedrockAgentCoreClient,
  ListMemoryRecordsCommand,
  ListSessionsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ForgetEnvironment } from '../../../lambda/contract/index.js';
import { forgetTargetFromEnvironment, handler, parseForgetRequest } from '../../../lambda/forget/index.js';

describe('the forget request', () => {
  test('takes a userId and an optional dryRun', () => {
    expect(parseForgetRequest({ userId: 'alice@example.com' })).toEqual({ userId: 'alice@example.com', dryRun: false });
    expect(parseForgetRequest({ userId: 'u-1', dryRun: true })).toEqual({ userId: 'u-1', dryRun: true });
  });

  test.each<[string, unknown, string]>([
    ['no userId', {}, 'userId must be the userId the converse API was called with'],
    ['a userId with a space', { userId: 'a b' }, 'userId must be the userId the converse API was called with'],
    ['dryRun as a string', { userId: 'u-1', dryRun: 'yes' }, 'dryRun must be true or false (got "yes")'],
  ])('rejects %s, naming the field', (_case, event, expected) => {
    expect(() => parseForgetRequest(event)).toThrow(expected);
  });
});

describe('the forget handler', () => {
  const agentCore = mockClient(BedrockAgentCoreClient);
  const dynamo = mockClient(DynamoDBDocumentClient);
  const environment = {
    [ForgetEnvironment.memoryId]: 'agent_memory_dev-AbCdEf1234',
    [ForgetEnvironment.sessionTableName]: 'sessions',
    [ForgetEnvironment.namespaceTemplates]: JSON.stringify(['/facts/{actorId}/', '/summaries/{actorId}/{sessionId}/']),
    [ForgetEnvironment.secondSweepDelaySeconds]: '0',
  };

  beforeEach(() => {
    Object.assign(process.env, environment);
    agentCore.reset();
    dynamo.reset();
    agentCore.on(ListSessionsCommand).resolves({ sessionSummaries: [] });
    agentCore.on(ListMemoryRecordsCommand).resolves({ memoryRecordSummaries: [] });
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  afterAll(() => {
    for (const name of Object.keys(environment)) delete process.env[name];
    agentCore.restore();
    dynamo.restore();
  });

  test('reads its target from the environment ForgetFunction sets', () => {
    expect(forgetTargetFromEnvironment()).toEqual({
      memoryId: 'agent_memory_dev-AbCdEf1234',
      sessionTableName: 'sessions',
      namespaceTemplates: ['/facts/{actorId}/', '/summaries/{actorId}/{sessionId}/'],
    });
  });

  test('sweeps the actor of the userId, as the converse runtime maps it, and returns the report', async () => {
    const report = await handler({ userId: 'alice@example.com' });

    expect(report).toMatchObject({ actorId: 'alice_40example_2ecom', complete: true, secondSweepDelaySeconds: 0 });
    expect(agentCore.commandCalls(ListSessionsCommand)[0].args[0].input).toMatchObject({
      memoryId: 'agent_memory_dev-AbCdEf1234',
      actorId: 'alice_40example_2ecom',
    });
    expect(agentCore.commandCalls(ListMemoryRecordsCommand).map((call) => call.args[0].input.namespace)).toEqual([
      '/facts/alice_40example_2ecom/',
      '/summaries/alice_40example_2ecom/',
      '/facts/alice_40example_2ecom/',
      '/summaries/alice_40example_2ecom/',
    ]);
    expect(dynamo.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({
      TableName: 'sessions',
      IndexName: 'by-owner',
      ExpressionAttributeValues: { ':userId': 'alice@example.com' },
    });
  });

  test('refuses an invalid target before any call', async () => {
    process.env[ForgetEnvironment.namespaceTemplates] = JSON.stringify(['/facts/']);
    await expect(handler({ userId: 'u-1' })).rejects.toThrow(
      "Cannot forget u-1: namespaceTemplates: namespace '/facts/' must contain '{actorId}'",
    );
    expect(agentCore.calls()).toHaveLength(0);
  });
});
