import {
  BatchDeleteMemoryRecordsCommand,
  BedrockAgentCoreClient,
  DeleteEventCommand,
  ListEventsCommand,
  ListMemoryExtractionJobsCommand,
  ListMemoryRecordsCommand,
  ListSessionsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { BedrockAgentCoreControlClient, GetMemoryCommand } from '@aws-sdk/client-bedrock-agentcore-control';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
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
    [
      'a misspelt dryRun',
      { userId: 'u-1', dry_run: true },
      'unknown field(s): "dry_run"; a forget request has only userId and dryRun (did you mean dry_run -> dryRun?)',
    ],
    ['an array', [{ userId: 'u-1' }], 'the forget request must be a JSON object'],
    ['nothing', null, 'the forget request must be a JSON object'],
  ])('rejects %s, naming the field', (_case, event, expected) => {
    expect(() => parseForgetRequest(event)).toThrow(expected);
  });

  test('names every problem at once', () => {
    expect(() => parseForgetRequest({ userID: 'u-1', dryRun: 'no' })).toThrow(
      'Invalid forget request: unknown field(s): "userID"; a forget request has only userId and dryRun (did you mean userID -> userId?); userId must be the userId the converse API was called with: 1-64 printable ASCII characters without spaces, starting with a letter or digit (got nothing); dryRun must be true or false (got "no")',
    );
  });

  test('names at most five unknown fields, each cut short, and counts the rest', () => {
    const event: Record<string, unknown> = { userId: 'u-1' };
    for (let index = 0; index < 100_000; index++) event[`field-${index}-${'x'.repeat(60)}`] = index;

    const message = (() => {
      try {
        parseForgetRequest(event);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();

    expect(message).toContain(`"field-0-${'x'.repeat(32)}..."`);
    expect(message).toContain('"field-4-');
    expect(message).not.toContain('"field-5-');
    expect(message).toContain('and 99995 more');
    expect(message.length).toBeLessThan(600);
  });
});

describe('the forget handler', () => {
  const agentCore = mockClient(BedrockAgentCoreClient);
  const control = mockClient(BedrockAgentCoreControlClient);
  const dynamo = mockClient(DynamoDBDocumentClient);
  const environment = {
    [ForgetEnvironment.memoryId]: 'agent_memory_dev-AbCdEf1234',
    [ForgetEnvironment.sessionTableName]: 'sessions',
    [ForgetEnvironment.namespaceTemplates]: JSON.stringify(['/facts/{actorId}/', '/summaries/{actorId}/{sessionId}/']),
    [ForgetEnvironment.extraNamespaceTemplates]: JSON.stringify(['/old-notes/{actorId}/']),
    [ForgetEnvironment.secondSweepDelaySeconds]: '0',
  };

  beforeEach(() => {
    Object.assign(process.env, environment);
    agentCore.reset();
    control.reset();
    dynamo.reset();
    agentCore.on(ListSessionsCommand).resolves({ sessionSummaries: [{ sessionId: 's-1', actorId: 'u-1' } as never] });
    agentCore.on(ListEventsCommand).resolves({ events: [{ eventId: 'e-1' } as never] });
    agentCore.on(ListMemoryRecordsCommand).resolves({
      memoryRecordSummaries: [{ memoryRecordId: 'r-1', namespaces: ['/facts/u-1/'] } as never],
    });
    agentCore.on(ListMemoryExtractionJobsCommand).resolves({ jobs: [] });
    agentCore.on(DeleteEventCommand).resolves({ eventId: 'e-1' });
    agentCore.on(BatchDeleteMemoryRecordsCommand).resolves({
      successfulRecords: [{ memoryRecordId: 'r-1', status: 'SUCCEEDED' }],
      failedRecords: [],
    });
    control.on(GetMemoryCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(DeleteCommand).resolves({});
  });

  afterAll(() => {
    for (const name of Object.keys(environment)) delete process.env[name];
    agentCore.restore();
    control.restore();
    dynamo.restore();
  });

  test('reads its target from the environment ForgetFunction sets', () => {
    expect(forgetTargetFromEnvironment()).toEqual({
      memoryId: 'agent_memory_dev-AbCdEf1234',
      sessionTableName: 'sessions',
      namespaceTemplates: ['/facts/{actorId}/', '/summaries/{actorId}/{sessionId}/'],
      extraNamespaceTemplates: ['/old-notes/{actorId}/'],
    });
  });

  test('refuses {"userId":"u-1","dry_run":true} before any call: nothing is listed or deleted', async () => {
    await expect(handler({ userId: 'u-1', dry_run: true })).rejects.toThrow(
      'Invalid forget request: unknown field(s): "dry_run"',
    );
    expect(agentCore.calls()).toHaveLength(0);
    expect(control.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });

  test('sweeps the actor of the userId, as the converse runtime maps it, and returns the report', async () => {
    const report = await handler({ userId: 'alice@example.com' });

    expect(report).toMatchObject({ actorId: 'alice_40example_2ecom', secondSweepDelaySeconds: 0 });
    expect(agentCore.commandCalls(ListSessionsCommand)[0].args[0].input).toMatchObject({
      memoryId: 'agent_memory_dev-AbCdEf1234',
      actorId: 'alice_40example_2ecom',
    });
    // The deployed templates, the extra one and the default roots; GetMemory was denied and skipped.
    const firstSweepRoots = agentCore
      .commandCalls(ListMemoryRecordsCommand)
      .map((call) => call.args[0].input.namespacePath)
      .slice(0, 5);
    expect(firstSweepRoots).toEqual([
      '/episodes/alice_40example_2ecom/',
      '/facts/alice_40example_2ecom/',
      '/old-notes/alice_40example_2ecom/',
      '/preferences/alice_40example_2ecom/',
      '/summaries/alice_40example_2ecom/',
    ]);
    expect(control.commandCalls(GetMemoryCommand)[0].args[0].input).toEqual({
      memoryId: 'agent_memory_dev-AbCdEf1234',
    });
    expect(dynamo.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({
      TableName: 'sessions',
      IndexName: 'by-owner',
      ExpressionAttributeValues: { ':userId': 'alice@example.com' },
    });
  });

  test('passes the invocation deadline on: a run without time for the second sweep says so', async () => {
    process.env[ForgetEnvironment.secondSweepDelaySeconds] = '90';
    const report = await handler({ userId: 'u-1' }, { getRemainingTimeInMillis: () => 30_000 });
    expect(report.complete).toBe(false);
    expect(report.failures.map((failure) => failure.operation)).toEqual(['Sweep']);
  });

  test('refuses an invalid target before any call', async () => {
    process.env[ForgetEnvironment.namespaceTemplates] = JSON.stringify(['/facts/']);
    await expect(handler({ userId: 'u-1' })).rejects.toThrow(
      "Cannot forget u-1: namespaceTemplates: namespace '/facts/' must contain '{actorId}'",
    );
    expect(agentCore.calls()).toHaveLength(0);
  });
});
