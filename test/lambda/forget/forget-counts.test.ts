import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { allItems, putSession } from './history-fixture.js';
import { forgetHarness } from './forget-harness.js';

const { state, seedUser, dataOf, forget } = forgetHarness();

/** What the stand-ins really lost: events and records the fake deleted, history items gone from the table. */
async function removedByTheFakes(historyBefore: string[]) {
  const historyAfter = new Set(await allItems(state.dynamo, state.target.sessionTableName));
  return {
    events: state.agentCore.deleted.events.length,
    memoryRecords: state.agentCore.deleted.records.length,
    historyItems: historyBefore.filter((item) => !historyAfter.has(item)).length,
  };
}

describe('the audit report counts what this run removed', () => {
  test('under partial failures: items that fail once are removed by a later sweep and counted once', async () => {
    const sessions = await seedUser('bo');
    const events = state.agentCore.events.filter((event) => event.sessionId === sessions[0]).map((e) => e.eventId);
    const records = state.agentCore.records.filter((record) => record.namespace.startsWith('/facts/bo/'));
    // Fails every attempt of the first sweep (4 attempts), then succeeds.
    state.agentCore.failItem(events[0], 4);
    state.agentCore.failItem(records[0].memoryRecordId, 4);
    const historyBefore = await allItems(state.dynamo, state.target.sessionTableName);

    const report = await forget('bo');

    expect(await dataOf('bo')).toEqual({ events: 0, records: 0, history: 0 });
    const removed = await removedByTheFakes(historyBefore);
    expect({
      events: report.total.events,
      memoryRecords: report.total.memoryRecords,
      historyItems: report.total.historyItems,
    }).toEqual(removed);
    expect(report.firstSweep.events).toBe(removed.events - 1);
    expect(report.secondSweep).toMatchObject({ events: 1, memoryRecords: 1, agentCoreSessions: 1 });
    // The session with the failed event is emptied by the second sweep: counted there, once.
    expect(report.firstSweep.agentCoreSessions + report.secondSweep!.agentCoreSessions).toBe(3);
    // The first sweep's failures were fixed by the second: the run is complete.
    expect(report).toMatchObject({ complete: true, failures: [] });
  });

  test('under persistent failures: only what was really deleted is counted, and what is left is listed', async () => {
    const sessions = await seedUser('bo');
    const events = state.agentCore.events.filter((event) => event.sessionId === sessions[0]).map((e) => e.eventId);
    const records = state.agentCore.records.filter((record) => record.namespace.startsWith('/facts/bo/'));
    state.agentCore.failItem(events[0], 1000);
    state.agentCore.failItem(events[1], 1000);
    state.agentCore.failItem(records[0].memoryRecordId, 1000);
    const historyBefore = await allItems(state.dynamo, state.target.sessionTableName);

    const report = await forget('bo', { maxSweeps: 2 });

    const removed = await removedByTheFakes(historyBefore);
    expect({
      events: report.total.events,
      memoryRecords: report.total.memoryRecords,
      historyItems: report.total.historyItems,
    }).toEqual(removed);
    expect(removed).toEqual({ events: 13, memoryRecords: 11, historyItems: 9 });
    // The session with the two events left is not removed; the other two are.
    expect(report.total.agentCoreSessions).toBe(2);
    expect(report.complete).toBe(false);
    expect(report.failures).toEqual([
      { operation: 'DeleteEvent', target: `event ${events[0]} of session ${sessions[0]}`, error: expect.any(String) },
      { operation: 'DeleteEvent', target: `event ${events[1]} of session ${sessions[0]}`, error: expect.any(String) },
      { operation: 'BatchDeleteMemoryRecords', target: `record ${records[0].memoryRecordId}`, error: '500 internal' },
    ]);
    // The second sweep listed the failed items again and failed again: counted in neither sweep.
    expect(report.secondSweep).toMatchObject({ events: 0, memoryRecords: 0, agentCoreSessions: 0 });
  });

  test('deletes answered "not found" are already gone, not removed by this run', async () => {
    const sessions = await seedUser('bo');
    const [event] = state.agentCore.events.filter((e) => e.sessionId === sessions[1]);
    const [record] = state.agentCore.records.filter((r) => r.namespace.startsWith('/preferences/bo/'));
    // Listed, but deleted by someone else before this run's delete arrives.
    state.agentCore.vanish(event.eventId);
    state.agentCore.vanish(record.memoryRecordId);
    const historyBefore = await allItems(state.dynamo, state.target.sessionTableName);
    // A history item that TTL removes between the index Query and the delete.
    const original = state.dynamo.send.bind(state.dynamo);
    let expired = false;
    jest.spyOn(state.dynamo, 'send').mockImplementation((async (command: unknown) => {
      if (command instanceof DeleteCommand && !expired) {
        expired = true;
        await original(new DeleteCommand({ TableName: command.input.TableName, Key: command.input.Key }));
      }
      return original(command as never);
    }) as never);

    const report = await forget('bo');
    jest.restoreAllMocks();

    expect(report.alreadyGone).toEqual({ events: 1, memoryRecords: 1, historyItems: 1 });
    const removed = await removedByTheFakes(historyBefore);
    expect(report.total.events).toBe(removed.events);
    expect(report.total.memoryRecords).toBe(removed.memoryRecords);
    // The expired item left the table, but not through this run's delete.
    expect(report.total.historyItems).toBe(removed.historyItems - 1);
    expect(report.complete).toBe(true);
  });

  test('a history session is counted as removed once, when its last item goes', async () => {
    await putSession(state.dynamo, state.target.sessionTableName, 'only-history', 'bo', 3);

    const report = await forget('bo');

    expect(report.total).toMatchObject({ historySessions: 1, historyItems: 4 });
    expect(report.firstSweep).toMatchObject({ historySessions: 1, historyItems: 4 });
  });
});
