import {
  BatchDeleteMemoryRecordsCommand,
  BedrockAgentCoreClient,
  DeleteEventCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionTableKeys, actorIdForUser } from '../../../lambda/contract/index.js';
import { SessionHistoryStore } from '../../../lambda/converse/sessions/store.js';
import { type ForgetOptions, type ForgetTarget, forgetUser } from '../../../lambda/forget/index.js';
import { type FakeAgentCore, installFakeAgentCore } from './fake-agentcore.js';

const startDynalite: (options: { createTableMs: number }) => Server = require('dynalite');

const MEMORY_ID = 'agent_memory_test-AbCdEf1234';
const TEMPLATES = [
  '/summaries/{actorId}/{sessionId}/',
  '/preferences/{actorId}/',
  '/facts/{actorId}/',
  '/episodes/{actorId}/{sessionId}/',
  '/episodes/{actorId}/',
];
const SESSIONS_PER_USER = 3;
const EVENTS_PER_SESSION = 5;
/** More facts than one BatchDeleteMemoryRecords call takes. */
const FACTS_OF_FORGOTTEN_USER = 130;

const agentCoreMock = mockClient(BedrockAgentCoreClient);
let server: Server;
let dynamo: DynamoDBDocumentClient;
let agentCore: FakeAgentCore;
let target: ForgetTarget;
let tableCounter = 0;
const noWait = { sleep: async () => undefined, retry: { attempts: 4, baseDelayMs: 1, sleep: async () => undefined } };

beforeAll(async () => {
  server = startDynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
});

afterAll(async () => {
  agentCoreMock.restore();
  dynamo.destroy();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  agentCoreMock.reset();
  agentCore = installFakeAgentCore(agentCoreMock, MEMORY_ID);
  target = { memoryId: MEMORY_ID, sessionTableName: `sessions-${++tableCounter}`, namespaceTemplates: TEMPLATES };
  // The table as SessionHistoryTable defines it, owner index included.
  await dynamo.send(
    new CreateTableCommand({
      TableName: target.sessionTableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: SessionTableKeys.partitionKey, AttributeType: 'S' },
        { AttributeName: SessionTableKeys.sortKey, AttributeType: 'S' },
        { AttributeName: SessionTableKeys.ownerAttribute, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: SessionTableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: SessionTableKeys.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: SessionTableKeys.ownerIndexName,
          KeySchema: [{ AttributeName: SessionTableKeys.ownerAttribute, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
});

/** What the converse runtime leaves behind for a user: sessions with events and history, records in every namespace. */
async function seedUser(userId: string, facts = 3): Promise<void> {
  const actorId = actorIdForUser(userId);
  const store = new SessionHistoryStore(target.sessionTableName, () => dynamo);
  for (let index = 0; index < SESSIONS_PER_USER; index++) {
    const sessionId = `${actorId.replace(/_/g, '-')}-session-${index}`;
    agentCore.addEvents(actorId, sessionId, EVENTS_PER_SESSION);
    for (let turn = 0; turn < 2; turn++) {
      // The converse runtime's own store writes the owner item the index reads.
      await store.saveTurn({
        sessionId,
        userId,
        agentId: 'default',
        requestId: `request-${turn}`,
        receivedAt: new Date(Date.UTC(2026, 0, 1, 0, turn)),
        userMessage: 'hello',
        assistantMessage: 'hi',
        exchange: [{ role: 'assistant', content: [{ text: 'hi' }] }],
        windowStart: undefined,
        stopReason: 'end_turn',
      });
    }
    agentCore.addRecord(`/summaries/${actorId}/${sessionId}/`);
    agentCore.addRecord(`/episodes/${actorId}/${sessionId}/`);
  }
  agentCore.addRecord(`/preferences/${actorId}/`);
  agentCore.addRecord(`/preferences/${actorId}/`);
  agentCore.addRecord(`/episodes/${actorId}/`);
  for (let index = 0; index < facts; index++) agentCore.addRecord(`/facts/${actorId}/`);
}

async function historyOf(userId: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: target.sessionTableName }));
  const sessions = new Set(
    Items.filter((item) => item[SessionTableKeys.ownerAttribute] === userId).map(
      (item) => item[SessionTableKeys.partitionKey] as string,
    ),
  );
  return Items.filter((item) => sessions.has(item[SessionTableKeys.partitionKey] as string));
}

function dataOf(userId: string) {
  const actorId = actorIdForUser(userId);
  return {
    events: agentCore.events.filter((event) => event.actorId === actorId).length,
    records: agentCore.records.filter((record) => record.namespace.split('/')[2] === actorId).length,
  };
}

const forget = (userId: string, options: ForgetOptions = {}) =>
  forgetUser(
    userId,
    target,
    { agentCore: new BedrockAgentCoreClient({ region: 'us-east-1' }), dynamo },
    {
      ...noWait,
      ...options,
    },
  );

describe('forgetting a user', () => {
  test('removes every event, record and history item of the user, and nothing of bob, whose id starts with hers', async () => {
    await seedUser('bo', FACTS_OF_FORGOTTEN_USER);
    await seedUser('bob');
    const bobBefore = { ...dataOf('bob'), history: (await historyOf('bob')).length };

    const report = await forget('bo');

    expect(dataOf('bo')).toEqual({ events: 0, records: 0 });
    expect(await historyOf('bo')).toEqual([]);
    expect({ ...dataOf('bob'), history: (await historyOf('bob')).length }).toEqual(bobBefore);
    expect(bobBefore).toEqual({ events: 15, records: 12, history: 9 });
    expect(report).toMatchObject({
      userId: 'bo',
      actorId: 'bo',
      dryRun: false,
      complete: true,
      failures: [],
      firstSweep: {
        agentCoreSessions: SESSIONS_PER_USER,
        events: SESSIONS_PER_USER * EVENTS_PER_SESSION,
        memoryRecords: 3 + 3 + 2 + 1 + FACTS_OF_FORGOTTEN_USER,
        historySessions: SESSIONS_PER_USER,
        historyItems: SESSIONS_PER_USER * 3,
      },
      secondSweep: { agentCoreSessions: 0, events: 0, memoryRecords: 0, historySessions: 0, historyItems: 0 },
      namespacePrefixes: ['/episodes/bo/', '/facts/bo/', '/preferences/bo/', '/summaries/bo/'],
    });
    // Session-scoped namespaces are reached through the actor's prefix.
    expect(report.namespacesTouched).toEqual(
      expect.arrayContaining(['/summaries/bo/bo-session-0/', '/episodes/bo/bo-session-2/', '/episodes/bo/']),
    );
    expect(report.namespacesTouched.some((namespace) => namespace.includes('/bob/'))).toBe(false);
    // BatchDeleteMemoryRecords takes at most 100 records.
    expect(Math.max(...agentCore.batchSizes)).toBeLessThanOrEqual(100);
    expect(agentCore.batchSizes.reduce((sum, size) => sum + size, 0)).toBe(report.firstSweep.memoryRecords);
  });

  test("never touches a user whose id maps under hers: 'a' and 'a/b'", async () => {
    await seedUser('a');
    await seedUser('a/b');
    const neighbourBefore = { ...dataOf('a/b'), history: (await historyOf('a/b')).length };

    const report = await forget('a');

    expect(report.actorId).toBe('a');
    expect(dataOf('a')).toEqual({ events: 0, records: 0 });
    expect({ ...dataOf('a/b'), history: (await historyOf('a/b')).length }).toEqual(neighbourBefore);
    expect(neighbourBefore.records).toBeGreaterThan(0);
  });

  test('the second sweep, after the delay, removes what extraction wrote meanwhile and reports it', async () => {
    await seedUser('alice@example.com');
    const actorId = actorIdForUser('alice@example.com');
    const waited: number[] = [];

    const report = await forget('alice@example.com', {
      secondSweepDelaySeconds: 45,
      // Extraction finishing during the wait: one more summary record appears.
      sleep: async (ms) => {
        waited.push(ms);
        agentCore.addRecord(`/summaries/${actorId}/late-session/`);
      },
    });

    expect(waited).toEqual([45_000]);
    expect(report.secondSweepDelaySeconds).toBe(45);
    expect(report.secondSweep).toEqual({
      agentCoreSessions: 0,
      events: 0,
      memoryRecords: 1,
      historySessions: 0,
      historyItems: 0,
    });
    expect(report.total.memoryRecords).toBe(report.firstSweep.memoryRecords + 1);
    expect(dataOf('alice@example.com').records).toBe(0);
  });

  test('is idempotent: a second run finds nothing and reports zero', async () => {
    await seedUser('bo');
    await forget('bo');

    const again = await forget('bo');

    expect(again.complete).toBe(true);
    expect(again.total).toEqual({
      agentCoreSessions: 0,
      events: 0,
      memoryRecords: 0,
      historySessions: 0,
      historyItems: 0,
    });
  });

  test('a dry run changes nothing and reports what a real run removes', async () => {
    await seedUser('bo');
    await seedUser('bob');
    const before = { events: [...agentCore.events], records: [...agentCore.records], history: await historyOf('bo') };

    const dryRun = await forget('bo', { dryRun: true });

    expect(agentCore.events).toEqual(before.events);
    expect(agentCore.records).toEqual(before.records);
    expect(await historyOf('bo')).toEqual(before.history);
    expect(agentCoreMock.commandCalls(BatchDeleteMemoryRecordsCommand)).toHaveLength(0);
    expect(agentCoreMock.commandCalls(DeleteEventCommand)).toHaveLength(0);
    expect(dryRun.dryRun).toBe(true);
    expect(dryRun.secondSweep).toBeUndefined();

    const real = await forget('bo');
    expect(dryRun.total).toEqual(real.firstSweep);
  });

  test('a throttled call is retried, counted, and the run completes', async () => {
    await seedUser('bo');
    agentCore.failNext('ListSessions', 1);
    agentCore.failNext('DeleteEvent', 2);
    agentCore.failNext('BatchDeleteMemoryRecords', 1, 'InternalServerException');

    const report = await forget('bo');

    expect(report.complete).toBe(true);
    expect(dataOf('bo')).toEqual({ events: 0, records: 0 });
    // First sweep: two pages of sessions plus the throttled attempt; second sweep: one empty page.
    expect(report.calls.ListSessions).toBe(2 + 1 + 1);
    expect(report.calls.DeleteEvent).toBe(SESSIONS_PER_USER * EVENTS_PER_SESSION + 2);
  });

  test('a call that keeps failing is reported, with the rest still removed', async () => {
    await seedUser('bo');
    agentCore.failNext('BatchDeleteMemoryRecords', 100, 'AccessDeniedException');

    const report = await forget('bo');

    expect(report.complete).toBe(false);
    expect(report.failures[0]).toEqual({
      operation: 'BatchDeleteMemoryRecords',
      target: expect.stringMatching(/records$/),
      error: 'AccessDeniedException: AccessDeniedException from the stand-in',
    });
    // Not retryable: one attempt per batch and sweep.
    expect(report.calls.BatchDeleteMemoryRecords).toBe(2);
    expect(dataOf('bo').events).toBe(0);
    expect(await historyOf('bo')).toEqual([]);
  });

  test('leaves a session whose owner item names another user, even when the owner index lists it', async () => {
    await seedUser('bob');
    const [bobSession] = (await historyOf('bob')).map((item) => item[SessionTableKeys.partitionKey] as string);
    // A stray item carrying bo's id in bob's session: the index lists the session under bo.
    await dynamo.send(
      new PutCommand({
        TableName: target.sessionTableName,
        Item: { session_id: bobSession, sk: 'turn#stray', user_id: 'bo' },
      }),
    );
    const before = (await historyOf('bob')).length;

    const report = await forget('bo');

    expect(report.firstSweep.historySessions).toBe(0);
    expect((await historyOf('bob')).length).toBe(before);
  });

  test('takes a known number of calls: 10 sessions of 20 events, 250 records, at the service page size', async () => {
    agentCoreMock.reset();
    agentCore = installFakeAgentCore(agentCoreMock, MEMORY_ID, 100);
    const actorId = actorIdForUser('carol');
    const store = new SessionHistoryStore(target.sessionTableName, () => dynamo);
    for (let index = 0; index < 10; index++) {
      agentCore.addEvents(actorId, `session-${index}`, 20);
      await store.saveTurn({
        sessionId: `session-${index}`,
        userId: 'carol',
        agentId: 'default',
        requestId: 'request',
        receivedAt: new Date(0),
        userMessage: 'hello',
        assistantMessage: 'hi',
        exchange: [{ role: 'assistant', content: [{ text: 'hi' }] }],
        windowStart: undefined,
        stopReason: 'end_turn',
      });
    }
    for (let index = 0; index < 250; index++) agentCore.addRecord(`/facts/${actorId}/`);

    const report = await forget('carol');

    expect(report.total).toEqual({
      agentCoreSessions: 10,
      events: 200,
      memoryRecords: 250,
      historySessions: 10,
      historyItems: 20,
    });
    // Per sweep: 1 ListSessions page, 1 ListEvents page per session, 1 DeleteEvent per event, one
    // ListMemoryRecords page per 100 records and prefix (4 prefixes), 1 BatchDeleteMemoryRecords
    // per 100 records, 1 Query on the owner index, 1 Query and 1 BatchWriteItem per session.
    expect(report.calls).toEqual({
      ListSessions: 1 + 1,
      ListEvents: 10 + 0,
      DeleteEvent: 200 + 0,
      ListMemoryRecords: 3 + 3 + 4,
      BatchDeleteMemoryRecords: 3 + 0,
      Query: 1 + 10 + 1,
      BatchWriteItem: 10 + 0,
    });
    const total = Object.values(report.calls).reduce((sum, count) => sum + count, 0);
    expect(total).toBe(247);
  });

  test('refuses a userId the converse API would not accept, before any call', async () => {
    await expect(forget('not a user')).rejects.toThrow(/userId must be 1-64 printable ASCII characters/);
    expect(agentCoreMock.calls()).toHaveLength(0);
  });
});
