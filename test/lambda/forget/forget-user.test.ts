import {
  BatchDeleteMemoryRecordsCommand,
  DeleteEventCommand,
  ListMemoryExtractionJobsCommand,
  ListMemoryRecordsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { actorIdForUser } from '../../../lambda/contract/index.js';
import { installFakeAgentCore } from '../../support/agentcore-stand-in.js';
import { allItems, putSession } from './history-fixture.js';
import { EVENTS_PER_SESSION, MEMORY_ID, SESSIONS_PER_USER, forgetHarness } from './forget-harness.js';

/** More facts than one BatchDeleteMemoryRecords call takes. */
const FACTS_OF_FORGOTTEN_USER = 130;

const { state, agentCoreMock, seedUser, dataOf, forget } = forgetHarness();

describe('forgetting a user', () => {
  test('removes every event, record and history item of the user, and nothing of bob, whose id starts with hers', async () => {
    await seedUser('bo', FACTS_OF_FORGOTTEN_USER);
    await seedUser('bob');
    const bobBefore = await dataOf('bob');

    const report = await forget('bo');

    expect(await dataOf('bo')).toEqual({ events: 0, records: 0, history: 0 });
    expect(await dataOf('bob')).toEqual(bobBefore);
    expect(bobBefore).toEqual({ events: 15, records: 12, history: 9 });
    expect(report).toMatchObject({
      userId: 'bo',
      actorId: 'bo',
      dryRun: false,
      complete: true,
      failures: [],
      sweeps: 2,
      firstSweep: {
        agentCoreSessions: SESSIONS_PER_USER,
        events: SESSIONS_PER_USER * EVENTS_PER_SESSION,
        memoryRecords: 3 + 3 + 2 + 1 + FACTS_OF_FORGOTTEN_USER,
        historySessions: SESSIONS_PER_USER,
        historyItems: SESSIONS_PER_USER * 3,
      },
      secondSweep: { agentCoreSessions: 0, events: 0, memoryRecords: 0, historySessions: 0, historyItems: 0 },
      alreadyGone: { events: 0, memoryRecords: 0, historyItems: 0 },
      pendingExtractions: [],
      namespacePrefixes: ['/episodes/bo/', '/facts/bo/', '/preferences/bo/', '/summaries/bo/'],
    });
    // Session-scoped namespaces are reached through the actor's root.
    expect(report.namespacesTouched).toEqual(
      expect.arrayContaining(['/summaries/bo/bo-session-0/', '/episodes/bo/bo-session-2/', '/episodes/bo/']),
    );
    expect(report.namespacesTouched.some((namespace) => namespace.includes('/bob/'))).toBe(false);
    // BatchDeleteMemoryRecords takes at most 100 records.
    expect(Math.max(...state.agentCore.batchSizes)).toBeLessThanOrEqual(100);
    expect(state.agentCore.deleted.records).toHaveLength(report.total.memoryRecords);
  });

  test('lists each root as a subtree with namespacePath, deletes each record from its exact namespace', async () => {
    await seedUser('bo');

    await forget('bo');

    const listings = agentCoreMock.commandCalls(ListMemoryRecordsCommand).map((call) => call.args[0].input);
    expect(listings.length).toBeGreaterThan(0);
    for (const input of listings) {
      expect(input).toEqual({
        memoryId: MEMORY_ID,
        namespacePath: expect.stringMatching(/^\/(episodes|facts|preferences|summaries)\/bo\/$/),
        maxResults: 100,
        nextToken: input.nextToken,
      });
      expect(input).not.toHaveProperty('namespace');
    }
    const deletes = agentCoreMock
      .commandCalls(BatchDeleteMemoryRecordsCommand)
      .flatMap((call) => call.args[0].input.records!);
    expect(deletes).toContainEqual({ memoryRecordId: expect.any(String), namespace: '/summaries/bo/bo-session-0/' });
  });

  test("never touches a user whose id maps under hers: 'a' and 'a/b'", async () => {
    await seedUser('a');
    await seedUser('a/b');
    const neighbourBefore = await dataOf('a/b');

    const report = await forget('a');

    expect(report.actorId).toBe('a');
    expect(await dataOf('a')).toEqual({ events: 0, records: 0, history: 0 });
    expect(await dataOf('a/b')).toEqual(neighbourBefore);
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
        state.agentCore.addRecord(`/summaries/${actorId}/late-session/`);
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
    expect((await dataOf('alice@example.com')).records).toBe(0);
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
    const before = {
      events: [...state.agentCore.events],
      records: [...state.agentCore.records],
      history: await allItems(state.dynamo, state.target.sessionTableName),
    };

    const dryRun = await forget('bo', { dryRun: true });

    expect(state.agentCore.events).toEqual(before.events);
    expect(state.agentCore.records).toEqual(before.records);
    expect(await allItems(state.dynamo, state.target.sessionTableName)).toEqual(before.history);
    expect(agentCoreMock.commandCalls(BatchDeleteMemoryRecordsCommand)).toHaveLength(0);
    expect(agentCoreMock.commandCalls(DeleteEventCommand)).toHaveLength(0);
    expect(dryRun).toMatchObject({ dryRun: true, sweeps: 1, complete: true });
    expect(dryRun.secondSweep).toBeUndefined();

    const real = await forget('bo');
    expect(dryRun.total).toEqual(real.firstSweep);
  });

  test('a throttled call is retried and counted, a failed page is read again from its own token, and the run completes', async () => {
    await seedUser('bo');
    state.agentCore.failNext('ListSessions', 1);
    state.agentCore.failPage('ListMemoryRecords', '2', 2);
    state.agentCore.failNext('DeleteEvent', 2);
    state.agentCore.failNext('BatchDeleteMemoryRecords', 1, 'InternalServerException');

    const report = await forget('bo');

    expect(report).toMatchObject({ complete: true, failures: [] });
    expect(await dataOf('bo')).toEqual({ events: 0, records: 0, history: 0 });
    // First sweep: the throttled attempt, then two pages of sessions; second sweep: one empty page.
    expect(report.calls.ListSessions).toBe(1 + 2 + 1);
    expect(report.calls.DeleteEvent).toBe(SESSIONS_PER_USER * EVENTS_PER_SESSION + 2);
    // The first root listed (4 episodes and reflections) has two pages: its second page failed twice
    // and was asked for again by its own token, not the listing restarted from the first page.
    const episodePages = agentCoreMock
      .commandCalls(ListMemoryRecordsCommand)
      .filter((call) => call.args[0].input.namespacePath === '/episodes/bo/');
    expect(episodePages).toHaveLength(1 + 3 + 1);
    expect(report.calls.ListMemoryRecords).toBe(agentCoreMock.commandCalls(ListMemoryRecordsCommand).length);
  });

  test('refuses a userId the converse API would not accept, before any call', async () => {
    await expect(forget('not a user')).rejects.toThrow(/userId must be 1-64 printable ASCII characters/);
    expect(agentCoreMock.calls()).toHaveLength(0);
  });
});

describe('pending extraction', () => {
  test('asks ListMemoryExtractionJobs for the actor, in any status, after each later sweep', async () => {
    await seedUser('alice@example.com');

    await forget('alice@example.com');

    const inputs = agentCoreMock.commandCalls(ListMemoryExtractionJobsCommand).map((call) => call.args[0].input);
    expect(inputs).toEqual([
      { memoryId: MEMORY_ID, filter: { actorId: 'alice_40example_2ecom' }, maxResults: 50, nextToken: undefined },
    ]);
  });

  test('a record extracted after the second sweep is found by a further sweep, and the report is complete', async () => {
    const [sessionId] = await seedUser('bo');
    const jobId = state.agentCore.addJob('bo', sessionId);
    let waits = 0;

    const report = await forget('bo', {
      sleep: async () => {
        // The job, still listed after the second sweep, finishes during the next wait.
        if (++waits === 2) state.agentCore.finishJob(jobId, '/facts/bo/');
      },
    });

    expect(waits).toBe(2);
    expect(report).toMatchObject({ sweeps: 3, complete: true, pendingExtractions: [], failures: [] });
    expect(report.secondSweep?.memoryRecords).toBe(1);
    expect((await dataOf('bo')).records).toBe(0);
  });

  test('a job that stays pending makes the report incomplete and names it, after at most maxSweeps sweeps', async () => {
    const [sessionId] = await seedUser('bo');
    const jobId = state.agentCore.addJob('bo', sessionId);
    state.agentCore.addJob('bob', 'bob-session');

    const report = await forget('bo', { maxSweeps: 3 });

    expect(report).toMatchObject({
      sweeps: 3,
      complete: false,
      failures: [],
      pendingExtractions: [
        { jobId, sessionId, strategyId: 'strategy-1', status: 'FAILED', failureReason: 'model throttled' },
      ],
    });
    expect(agentCoreMock.commandCalls(ListMemoryExtractionJobsCommand)).toHaveLength(2);
  });

  test('a sweep that would not finish before the function ends is not started, and the report says so', async () => {
    await seedUser('bo');

    const report = await forget('bo', { secondSweepDelaySeconds: 90, remainingTimeMs: () => 60_000 });

    expect(report).toMatchObject({ sweeps: 1, complete: false });
    expect(report.failures).toEqual([
      {
        operation: 'Sweep',
        target: 'sweep 2',
        error: expect.stringMatching(
          /^not started: 60 s of the function's time left, the wait and a sweep need about 1\d\d s/,
        ),
      },
    ]);
  });

  test('new events during the run keep it sweeping, and events still arriving at the end make it incomplete', async () => {
    await seedUser('bo');

    const report = await forget('bo', {
      maxSweeps: 3,
      // The user keeps talking: every wait, a new event arrives.
      sleep: async () => void state.agentCore.addEvents('bo', 'bo-session-0', 1),
    });

    expect(report.sweeps).toBe(3);
    expect(report.secondSweep?.events).toBe(2);
    expect(report.complete).toBe(false);
    expect(report.failures).toEqual([
      {
        operation: 'ListEvents',
        target: 'actor bo',
        error: expect.stringMatching(/^1 new event\(s\) found by the last sweep/),
      },
    ]);
  });
});

describe('the number of calls', () => {
  test('10 sessions of 20 events and 1 turn, 250 records, at the service page size', async () => {
    agentCoreMock.reset();
    state.agentCore = installFakeAgentCore(agentCoreMock, MEMORY_ID, 100);
    for (let index = 0; index < 10; index++) {
      state.agentCore.addEvents('carol', `session-${index}`, 20);
      await putSession(state.dynamo, state.target.sessionTableName, `session-${index}`, 'carol', 1);
    }
    for (let index = 0; index < 250; index++) state.agentCore.addRecord(`/facts/carol/`);

    const report = await forget('carol');

    expect(report.total).toEqual({
      agentCoreSessions: 10,
      events: 200,
      memoryRecords: 250,
      historySessions: 10,
      historyItems: 20,
    });
    // Per sweep: 1 ListSessions page, 1 ListEvents page per session, 1 DeleteEvent per event, one
    // ListMemoryRecords page per 100 records and root (4 roots), 1 BatchDeleteMemoryRecords per
    // 100 records, 1 Query on the owner index, 1 Query and 1 DeleteItem per item; then one
    // ListMemoryExtractionJobs after the second sweep.
    expect(report.calls).toEqual({
      ListSessions: 1 + 1,
      ListEvents: 10 + 0,
      DeleteEvent: 200 + 0,
      ListMemoryRecords: 3 + 3 + 4,
      BatchDeleteMemoryRecords: 3 + 0,
      Query: 1 + 10 + 1,
      DeleteItem: 20 + 0,
      ListMemoryExtractionJobs: 1,
    });
    const total = Object.values(report.calls).reduce((sum, count) => sum + count, 0);
    // Before items carried their owner: 247 calls (Query 12, BatchWriteItem 10, no ListMemoryExtractionJobs).
    expect(total).toBe(258);
  });
});
