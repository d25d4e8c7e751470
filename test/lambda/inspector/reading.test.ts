import { InspectorInputError } from '../../../lambda/inspector/index.js';
import { collect, inspectorHarness } from './inspector-harness.js';

const { state, open, seedBothUsers } = inspectorHarness();

describe('opening a user', () => {
  it("maps the userId to the actorId as the converse function does and resolves the user's roots from GetMemory", async () => {
    const inspector = await open('alice@example.com');
    expect(inspector.actorId).toBe('alice_40example_2ecom');
    expect(inspector.namespaces).toEqual([
      '/facts/alice_40example_2ecom/',
      '/preferences/alice_40example_2ecom/',
      '/summaries/alice_40example_2ecom/',
    ]);
    expect(state.control.getMemoryCalls()).toBe(1);
  });

  it('takes strategies given instead of reading them', async () => {
    const inspector = await open('u1', {
      strategies: [{ strategyId: 'facts-1', namespaceTemplates: ['/facts/{actorId}/'] }],
    });
    expect(inspector.namespaces).toEqual(['/facts/u1/']);
    expect(state.control.getMemoryCalls()).toBe(0);
  });

  it('refuses a userId the converse function would refuse, and a memory without per-actor namespaces', async () => {
    await expect(open('has space')).rejects.toThrow(InspectorInputError);
    await expect(open('u1', { strategies: [{ strategyId: 's', namespaceTemplates: ['/shared/'] }] })).rejects.toThrow(
      InspectorInputError,
    );
  });

  it("refuses a memory whose templates let one user's namespace lie under another's", async () => {
    // bob's session named 'alice' files his records under /x/alice/bob/, inside alice's /x/alice/.
    const strategies = [
      { strategyId: 'a', namespaceTemplates: ['/x/{actorId}/'] },
      { strategyId: 'b', namespaceTemplates: ['/x/{sessionId}/{actorId}/'] },
    ];
    await expect(open('alice', { strategies })).rejects.toThrow(/do not keep users apart/);
  });
});

describe("listing touches only the named user's records (u1 beside u10)", () => {
  it("lists every record of u1, with strategy, kind, namespace and time, and none of u10's nor the shared one", async () => {
    const seeded = await seedBothUsers();
    const records = await collect((await open('u1')).records());

    expect(records.map((record) => record.memoryRecordId).sort()).toEqual([...seeded.records.u1].sort());
    expect(records.find((record) => record.text === 'u1 drinks green tea')).toEqual({
      memoryRecordId: expect.any(String),
      text: 'u1 drinks green tea',
      strategyId: 'facts-1',
      strategyKind: 'SEMANTIC',
      namespace: '/facts/u1/',
      namespaces: ['/facts/u1/'],
      createdAt: '2026-01-02T00:00:00.000Z',
    });
    // Listed by subtree, each root ending with '/': never across the string prefix into u10's namespaces.
    const listed = state.agentCore.requests.filter((request) => request.operation === 'ListMemoryRecords');
    expect(new Set(listed.map((request) => request.input.namespacePath))).toEqual(
      new Set(['/facts/u1/', '/preferences/u1/', '/summaries/u1/']),
    );
  });

  it("keeps u10's records out where AgentCore's own templates end at the actor without '/' and the listing returns them", async () => {
    const strategies = [{ strategyId: 's1', namespaceTemplates: ['/strategies/{memoryStrategyId}/actors/{actorId}'] }];
    const own = state.agentCore.addRecord('/strategies/s1/actors/u1', { strategyId: 's1' });
    const other = state.agentCore.addRecord('/strategies/s1/actors/u10', { strategyId: 's1' });
    const inspector = await open('u1', { strategies });

    expect(inspector.namespaces).toEqual(['/strategies/s1/actors/u1']);
    const listed = state.agentCore.records.filter((record) => record.namespace.startsWith(inspector.namespaces[0]));
    expect(listed.map((record) => record.memoryRecordId)).toEqual([own, other]);
    expect((await collect(inspector.records())).map((record) => record.memoryRecordId)).toEqual([own]);
    expect(await inspector.deleteRecord(other)).toEqual({ status: 'refused', reason: 'notTheUsersRecord' });
    expect(state.agentCore.count('BatchDeleteMemoryRecords')).toBe(0);
  });

  it('lists one strategy on its own', async () => {
    await seedBothUsers();
    const records = await collect((await open('u10')).records({ strategyId: 'prefs-1' }));
    expect(records.map((record) => record.text)).toEqual(['u10 prefers short answers about tea']);
  });

  it("loads one record of the user, refuses u10's record and the shared one, and reports an unknown id as not found", async () => {
    const seeded = await seedBothUsers();
    const inspector = await open('u1');
    expect(await inspector.record(seeded.records.u1[0])).toEqual({
      status: 'loaded',
      value: expect.objectContaining({ memoryRecordId: seeded.records.u1[0] }),
    });
    expect(await inspector.record(seeded.records.u10[0])).toEqual({ status: 'refused', reason: 'notTheUsersRecord' });
    expect(await inspector.record(seeded.shared)).toEqual({ status: 'refused', reason: 'notTheUsersRecord' });
    expect(await inspector.record('record-unknown')).toEqual({ status: 'notFound' });
  });
});

describe("searching touches only the named user's records", () => {
  it("finds text in u1's records only, ignoring case", async () => {
    await seedBothUsers();
    const found = await (await open('u1')).searchText('TEA');
    expect(found.map((record) => record.text).sort()).toEqual([
      'u1 drinks green tea',
      'u1 prefers short answers about tea',
    ]);
  });

  it("searches semantically under u1's roots only, most relevant first", async () => {
    await seedBothUsers();
    const found = await (await open('u1')).searchSemantic('green tea', { topK: 5 });
    expect(found.map((record) => record.text)).toEqual(['u1 drinks green tea', 'u1 prefers short answers about tea']);
    expect(found[0].score).toBeGreaterThan(found[1].score);
    const retrieves = state.agentCore.requests.filter((request) => request.operation === 'RetrieveMemoryRecords');
    expect(new Set(retrieves.map((request) => request.input.namespacePath))).toEqual(
      new Set(['/facts/u1/', '/preferences/u1/', '/summaries/u1/']),
    );
  });

  it("checks AgentCore's limits before sending a search", async () => {
    const inspector = await open('u1');
    await expect(inspector.searchSemantic('x'.repeat(10_001))).rejects.toThrow(/at most 10000/);
    await expect(inspector.searchSemantic('tea', { topK: 101 })).rejects.toThrow(InspectorInputError);
    await expect(inspector.searchSemantic('  ')).rejects.toThrow(InspectorInputError);
    expect(state.agentCore.count('RetrieveMemoryRecords')).toBe(0);
  });
});

describe("short-term memory and history touch only the named user's", () => {
  it("lists u1's sessions and their events with payloads, page by page", async () => {
    await seedBothUsers();
    state.agentCore.events.push({
      actorId: 'u1',
      sessionId: 's-u1-a',
      eventId: 'event-with-text',
      eventTimestamp: new Date('2026-01-03T00:00:00Z'),
      payload: [{ conversational: { role: 'USER', content: { text: 'I like tea' } } }],
    });
    const inspector = await open('u1');
    const sessions = await collect(inspector.sessions());
    expect(sessions.map((session) => session.sessionId)).toEqual(['s-u1-a', 's-u1-b']);
    const events = await collect(inspector.events('s-u1-a'));
    expect(events).toHaveLength(4);
    expect(events.find((event) => event.eventId === 'event-with-text')).toEqual({
      eventId: 'event-with-text',
      sessionId: 's-u1-a',
      eventTimestamp: '2026-01-03T00:00:00.000Z',
      payload: [{ role: 'USER', text: 'I like tea' }],
    });
    // Events are listed for the user's actor: another user's session id yields nothing of theirs.
    expect(await collect(inspector.events('s-u10-a'))).toEqual([]);
    await expect(collect(inspector.events('not a session'))).rejects.toThrow(InspectorInputError);
  });

  it("lists u1's turns from the session table and none of u10's", async () => {
    await seedBothUsers();
    const history = await collect((await open('u1')).history());
    expect(history.map((item) => item.sessionId)).toEqual(['h-u1-a', 'h-u1-a', 'h-u1-b', 'h-u1-b']);
    expect(history[0]).toEqual(
      expect.objectContaining({ key: expect.stringMatching(/^turn#/), userMessage: 'hello', assistantMessage: 'hi' }),
    );
  });

  it('lists no history without a session table', async () => {
    await seedBothUsers();
    expect(await collect((await open('u1', { sessionTable: undefined })).history())).toEqual([]);
  });
});
