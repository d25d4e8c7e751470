import {
  BatchDeleteMemoryRecordsCommand,
  BedrockAgentCoreClient,
  ListMemoryRecordsCommand,
  ListSessionsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { forgetUser } from '../../../lambda/forget/index.js';
import { namespaceToForget } from '../../../lambda/forget/record-ownership.js';

const DEFAULT_TEMPLATES = ['/summaries/{actorId}/{sessionId}/', '/preferences/{actorId}/', '/facts/{actorId}/'];
const UNSAFE_TEMPLATES = ['/{actorId}/', '/preferences/{actorId}/'];

describe('namespaceToForget: which listed records are the actor’s to delete', () => {
  test.each<[string, string[] | undefined, string | undefined]>([
    ['its own preferences', ['/preferences/bo/'], '/preferences/bo/'],
    ['a summary of one of its sessions', ['/summaries/bo/s-1/'], '/summaries/bo/s-1/'],
    ['another actor whose id starts with its own', ['/preferences/bob/'], undefined],
    ['a record also filed under another actor', ['/preferences/bo/', '/preferences/bob/'], undefined],
    ['a record without namespaces', [], undefined],
    ['a record without the field', undefined, undefined],
    ['a namespace no template gives the actor', ['/other/bo/'], undefined],
    ['a malformed namespace', ['/preferences/bo/../bob/'], undefined],
  ])('%s', (_case, namespaces, expected) => {
    expect(namespaceToForget(namespaces, DEFAULT_TEMPLATES, 'bo')).toBe(expected);
  });

  test("under a layout in which one actor covers another's namespaces, a namespace two actors could own is nobody's to delete", () => {
    // With '/{actorId}/', the actor 'preferences' has the root '/preferences/', over alice's preferences.
    expect(namespaceToForget(['/preferences/alice/'], UNSAFE_TEMPLATES, 'preferences')).toBeUndefined();
    expect(namespaceToForget(['/preferences/preferences/'], UNSAFE_TEMPLATES, 'preferences')).toBe(
      '/preferences/preferences/',
    );
  });
});

describe('forgetting a user deletes only records that are the user’s own, checked per record', () => {
  const agentCore = mockClient(BedrockAgentCoreClient);
  const dynamo = mockClient(DynamoDBDocumentClient);

  afterAll(() => {
    agentCore.restore();
    dynamo.restore();
  });

  test("the user 'preferences' under '/{actorId}/' beside '/preferences/{actorId}/' keeps alice's and bob's preferences", async () => {
    agentCore.reset();
    dynamo.reset();
    agentCore.on(ListSessionsCommand).resolves({ sessionSummaries: [] });
    // A listing by prefix returns every record under '/preferences/'.
    agentCore.on(ListMemoryRecordsCommand).resolves({
      memoryRecordSummaries: [
        { memoryRecordId: 'own', namespaces: ['/preferences/preferences/'] },
        { memoryRecordId: 'alice', namespaces: ['/preferences/alice/'] },
        { memoryRecordId: 'bob', namespaces: ['/preferences/bob/'] },
      ].map((summary) => ({ ...summary, content: { text: 'x' }, memoryStrategyId: 's', createdAt: new Date(0) })),
    });
    agentCore.on(BatchDeleteMemoryRecordsCommand).resolves({ successfulRecords: [], failedRecords: [] });
    dynamo.on(QueryCommand).resolves({ Items: [] });

    await forgetUser(
      'preferences',
      { memoryId: 'agent_memory_test-AbCdEf1234', sessionTableName: 'sessions', namespaceTemplates: UNSAFE_TEMPLATES },
      {
        agentCore: new BedrockAgentCoreClient({ region: 'us-east-1' }),
        dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
      },
      { sleep: async () => undefined, retry: { attempts: 1, baseDelayMs: 1, sleep: async () => undefined } },
    );

    const deleted = agentCore
      .commandCalls(BatchDeleteMemoryRecordsCommand)
      .flatMap((call) => call.args[0].input.records ?? [])
      .map((record) => record.memoryRecordId);
    expect(deleted.length).toBeGreaterThan(0);
    expect(new Set(deleted)).toEqual(new Set(['own']));
  });
});
