import { EXPORT_FORMAT, exportUserMemory } from '../../../lambda/inspector/index.js';
import { putSession } from '../forget/history-fixture.js';
import { FIXED_NOW, MEMORY_ID, inspectorHarness } from './inspector-harness.js';

const { state, open, seedBothUsers } = inspectorHarness();

interface ExportDocument {
  format: string;
  exportedAt: string;
  memoryId: string;
  userId: string;
  actorId: string;
  namespaces: string[];
  records: { memoryRecordId: string; text: string }[];
  sessions: { sessionId: string; events: { eventId: string }[] }[];
  history: { sessionId: string; key: string }[];
  counts: { records: number; sessions: number; events: number; historyItems: number };
}

/** u1 with several pages of everything (pages hold 2): records in every namespace, sessions, events, turns. */
async function seedLargeUser(records: number, sessions: number, eventsPerSession: number, turnsPerSession: number) {
  const namespaces = ['/facts/u1/', '/preferences/u1/', '/summaries/u1/s-1/'];
  for (let index = 0; index < records; index++) {
    state.agentCore.addRecord(namespaces[index % namespaces.length], { text: `memory ${index} of u1` });
  }
  for (let session = 0; session < sessions; session++) {
    state.agentCore.addEvents('u1', `s-u1-${session}`, eventsPerSession);
    await putSession(state.dynamo, state.tableName, `h-u1-${session}`, 'u1', turnsPerSession);
  }
}

async function exportOf(userId: string): Promise<{ text: string; chunks: number }> {
  let text = '';
  let chunks = 0;
  for await (const chunk of exportUserMemory(await open(userId), { now: () => FIXED_NOW })) {
    text += chunk;
    chunks++;
  }
  return { text, chunks };
}

describe('exporting everything held about a user', () => {
  it('is one JSON document with every record, session, event and turn of the user across pages, and the counts', async () => {
    await seedBothUsers();
    await seedLargeUser(9, 5, 5, 3);
    const document = JSON.parse((await exportOf('u1')).text) as ExportDocument;

    expect(document).toEqual(
      expect.objectContaining({
        format: EXPORT_FORMAT,
        exportedAt: FIXED_NOW.toISOString(),
        memoryId: MEMORY_ID,
        userId: 'u1',
        actorId: 'u1',
      }),
    );
    const expectedRecords = state.agentCore.records.filter((record) =>
      (record.namespaces ?? [record.namespace]).every((namespace) => /^\/[a-z]+\/u1\//.test(namespace)),
    );
    expect(document.records.map((record) => record.memoryRecordId).sort()).toEqual(
      expectedRecords.map((record) => record.memoryRecordId).sort(),
    );
    const expectedEvents = state.agentCore.events.filter((event) => event.actorId === 'u1');
    expect(document.sessions.flatMap((session) => session.events.map((event) => event.eventId)).sort()).toEqual(
      expectedEvents.map((event) => event.eventId).sort(),
    );
    expect(document.sessions).toHaveLength(7);
    expect(document.history).toHaveLength(2 * 2 + 5 * 3);
    expect(document.history.every((item) => item.sessionId.startsWith('h-u1-'))).toBe(true);
    expect(document.counts).toEqual({
      records: expectedRecords.length,
      sessions: 7,
      events: expectedEvents.length,
      historyItems: 19,
    });
    expect(JSON.stringify(document)).not.toMatch(/u10/);
  });

  it('streams: the first record is out before the last page of records, and before any event, is fetched', async () => {
    await seedLargeUser(20, 4, 6, 2);
    const chunks = exportUserMemory(await open('u1'), { now: () => FIXED_NOW })[Symbol.asyncIterator]();
    let seen = '';
    while (!seen.includes('"memoryRecordId"')) seen += (await chunks.next()).value as string;

    // 20 records in pages of 2 over three roots: at least 10 pages, of which one has been read.
    expect(state.agentCore.count('ListMemoryRecords')).toBe(1);
    expect(state.agentCore.count('ListSessions')).toBe(0);
    expect(state.agentCore.count('ListEvents')).toBe(0);

    // The rest is read as it is consumed, and the whole is complete.
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) seen += next.value;
    const document = JSON.parse(seen) as ExportDocument;
    expect(document.counts).toEqual({ records: 20, sessions: 4, events: 24, historyItems: 8 });
  });

  it('exports nothing of another user to a user who has nothing', async () => {
    await seedBothUsers();
    const document = JSON.parse((await exportOf('u100')).text) as ExportDocument;
    expect(document.counts).toEqual({ records: 0, sessions: 0, events: 0, historyItems: 0 });
    expect(document.records).toEqual([]);
  });

  it('costs one call per page: figures for a user with N records and M sessions', async () => {
    const [records, sessions, events, turns] = [200, 20, 10, 5];
    await seedLargeUser(records, sessions, events, turns);
    const startedAt = performance.now();
    const { text, chunks } = await exportOf('u1');
    const elapsedMs = performance.now() - startedAt;
    const document = JSON.parse(text) as ExportDocument;

    expect(document.counts).toEqual({ records, sessions, events: sessions * events, historyItems: sessions * turns });
    // Pages of 2: each root's records, the sessions, each session's events, one request past the last page never.
    const recordPages = [67, 67, 66].reduce((total, count) => total + Math.ceil(count / 2), 0);
    expect(state.agentCore.count('ListMemoryRecords')).toBe(recordPages);
    expect(state.agentCore.count('ListSessions')).toBe(sessions / 2);
    expect(state.agentCore.count('ListEvents')).toBe(sessions * (events / 2));
    if (process.env.INSPECTOR_FIGURES !== undefined) {
      process.stdout.write(
        `export of ${records} records, ${sessions} sessions x ${events} events, ${sessions * turns} turns: ` +
          `${JSON.stringify(Object.fromEntries(['ListMemoryRecords', 'ListSessions', 'ListEvents'].map((op) => [op, state.agentCore.count(op as 'ListEvents')])))}, ` +
          `${chunks} chunks, ${text.length} characters, ${elapsedMs.toFixed(0)} ms\n`,
      );
    }
  });
});
