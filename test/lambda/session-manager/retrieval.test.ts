import {
  BedrockAgentCoreClient,
  type MemoryRecordSummary,
  RetrieveMemoryRecordsCommand,
  type RetrieveMemoryRecordsCommandInput,
} from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import { SEARCH_QUERY_MAX_LENGTH } from '../../../lambda/contract/index.js';
import { AgentCoreMemorySessionManager } from '../../../lambda/session-manager/index.js';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;

/** A record as AgentCore returns it, filed under `namespace` (one of `owner`'s by default). */
function record(id: string, score: number | undefined, namespace = '/facts/actor-1/'): MemoryRecordSummary {
  return {
    memoryRecordId: id,
    content: { text: `text of ${id}` },
    memoryStrategyId: 'strategy',
    namespaces: [namespace],
    createdAt: new Date(Date.UTC(2025, 0, 1)),
    ...(score !== undefined && { score }),
  };
}

function retrieveInputs(): RetrieveMemoryRecordsCommandInput[] {
  return agentCore.commandCalls(RetrieveMemoryRecordsCommand).map((call) => call.args[0].input);
}

beforeEach(() => agentCore.reset());

describe('RetrieveMemoryRecords input', () => {
  test("a query over AgentCore's 10,000 characters is cut at 10,000 characters, never inside an emoji", async () => {
    agentCore.on(RetrieveMemoryRecordsCommand).resolves({ memoryRecordSummaries: [] });
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, retrievalConfig: { '/x/{actorId}/': {} } });

    await sessionManager.retrieve(`${'a'.repeat(SEARCH_QUERY_MAX_LENGTH - 1)}😀b`);
    await sessionManager.retrieve('😀'.repeat(SEARCH_QUERY_MAX_LENGTH));

    const [cut, emojis] = retrieveInputs().map((input) => input.searchCriteria?.searchQuery);
    expect(cut).toBe(`${'a'.repeat(SEARCH_QUERY_MAX_LENGTH - 1)}😀`);
    expect(emojis).toBe('😀'.repeat(SEARCH_QUERY_MAX_LENGTH));
  });

  test('an abort signal reaches every namespace call; once aborted, every namespace is reported as failed', async () => {
    agentCore.on(RetrieveMemoryRecordsCommand).callsFake(
      (_input, getClient) =>
        new Promise((_resolve, reject) => {
          void getClient;
          setTimeout(() => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), 10);
        }),
    );
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/a/{actorId}/': {}, '/b/{actorId}/': {} },
    });
    const abort = new AbortController();
    abort.abort();

    const result = await sessionManager.retrieve('anything', { abortSignal: abort.signal });

    const signals = agentCore
      .commandCalls(RetrieveMemoryRecordsCommand)
      .map((call) => (call.args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined);
    expect(signals.map((options) => options?.abortSignal)).toEqual([abort.signal, abort.signal]);
    expect(result.failures.map((failure) => failure.namespace)).toEqual(['/a/actor-1/', '/b/actor-1/']);
  });

  test('an actor-level template is searched as a subtree (namespacePath): query, topK as searchCriteria.topK and maxResults', async () => {
    agentCore.on(RetrieveMemoryRecordsCommand).resolves({ memoryRecordSummaries: [] });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/preferences/{actorId}/': { topK: 5, relevanceScore: 0.7 } },
    });

    await sessionManager.retrieve('What does the user like for lunch?');

    expect(retrieveInputs()).toEqual([
      {
        memoryId: 'mem-1234567890',
        namespacePath: '/preferences/actor-1/',
        searchCriteria: { searchQuery: 'What does the user like for lunch?', topK: 5 },
        maxResults: 5,
      },
    ]);
  });

  test('several namespaces are all queried, with sessionId and memoryStrategyId resolved and the strategy filter sent; a template below the actor level names one namespace (namespace)', async () => {
    agentCore.on(RetrieveMemoryRecordsCommand).resolves({ memoryRecordSummaries: [] });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: {
        '/preferences/{actorId}/': {},
        '/summaries/{actorId}/{sessionId}/': { topK: 3 },
        '/strategies/{actorId}/{memoryStrategyId}/': { strategyId: 'semantic-123' },
      },
    });

    await sessionManager.retrieve('q');

    expect(retrieveInputs()).toEqual(
      expect.arrayContaining([
        {
          memoryId: owner.memoryId,
          namespacePath: '/preferences/actor-1/',
          searchCriteria: { searchQuery: 'q', topK: 10 },
          maxResults: 10,
        },
        {
          memoryId: owner.memoryId,
          namespace: '/summaries/actor-1/session-1/',
          searchCriteria: { searchQuery: 'q', topK: 3 },
          maxResults: 3,
        },
        {
          memoryId: owner.memoryId,
          namespace: '/strategies/actor-1/semantic-123/',
          searchCriteria: { searchQuery: 'q', topK: 10, memoryStrategyId: 'semantic-123' },
          maxResults: 10,
        },
      ]),
    );
    expect(retrieveInputs()).toHaveLength(3);
  });

  test('the namespaces are queried in parallel, not one after another', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    agentCore.on(RetrieveMemoryRecordsCommand).callsFake(async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      return { memoryRecordSummaries: [] };
    });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/a/{actorId}/': {}, '/b/{actorId}/': {}, '/c/{actorId}/': {} },
    });

    await sessionManager.retrieve('q');

    expect(maxInFlight).toBe(3);
  });

  test('without retrievalConfig nothing is called and the result is empty', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);

    await expect(sessionManager.retrieve('q')).resolves.toEqual({ records: [], failures: [], foreignRecords: [] });
    expect(retrieveInputs()).toHaveLength(0);
  });

  test('an empty query is refused before any call', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, retrievalConfig: { '/a/{actorId}/': {} } });

    await expect(sessionManager.retrieve('  ')).rejects.toThrow('query must be a non-empty string');
    expect(retrieveInputs()).toHaveLength(0);
  });
});

describe('topK bounds', () => {
  test.each([1, 37, 100])('topK %p is sent as configured, as searchCriteria.topK and maxResults', async (topK) => {
    agentCore.on(RetrieveMemoryRecordsCommand).resolves({ memoryRecordSummaries: [] });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/facts/{actorId}/': { topK } },
    });

    await sessionManager.retrieve('q');

    expect(retrieveInputs()[0].searchCriteria?.topK).toBe(topK);
    expect(retrieveInputs()[0].maxResults).toBe(topK);
  });

  test.each([0, -3, 2.7, 101, 1000])(
    'topK %p is rejected, as the agent definition rejects it, never clamped',
    (topK) => {
      expect(
        () => new AgentCoreMemorySessionManager({ ...owner, retrievalConfig: { '/facts/{actorId}/': { topK } } }),
      ).toThrow(`retrievalConfig['/facts/{actorId}/'].topK must be a whole number from 1 to 100 (got ${topK})`);
    },
  );
});

describe('a query AgentCore would refuse', () => {
  test('half of a character (an unpaired surrogate) is refused before any call, naming the field', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, retrievalConfig: { '/a/{actorId}/': {} } });

    await expect(sessionManager.retrieve(`tea ${'😀'.slice(0, 1)}`)).rejects.toThrow(
      'query holds an unpaired UTF-16 surrogate (half of a character)',
    );
    expect(retrieveInputs()).toHaveLength(0);
  });
});

describe('relevance filtering', () => {
  test('records below the namespace threshold or without a score are left out; the rest come best first', async () => {
    agentCore
      .on(RetrieveMemoryRecordsCommand, { namespacePath: '/preferences/actor-1/' })
      .resolves({
        memoryRecordSummaries: [
          record('p-high', 0.9, '/preferences/actor-1/'),
          record('p-edge', 0.7, '/preferences/actor-1/'),
          record('p-low', 0.69, '/preferences/actor-1/'),
        ],
      })
      .on(RetrieveMemoryRecordsCommand, { namespacePath: '/facts/actor-1/' })
      .resolves({ memoryRecordSummaries: [record('f-mid', 0.8), record('f-low', 0.29), record('f-none', undefined)] });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: {
        '/preferences/{actorId}/': { relevanceScore: 0.7 },
        '/facts/{actorId}/': { relevanceScore: 0.3 },
      },
    });

    const result = await sessionManager.retrieve('q');

    expect(result.failures).toEqual([]);
    expect(result.records).toEqual([
      {
        namespace: '/preferences/actor-1/',
        namespaces: ['/preferences/actor-1/'],
        memoryRecordId: 'p-high',
        text: 'text of p-high',
        score: 0.9,
        createdAt: new Date(Date.UTC(2025, 0, 1)),
      },
      {
        namespace: '/facts/actor-1/',
        namespaces: ['/facts/actor-1/'],
        memoryRecordId: 'f-mid',
        text: 'text of f-mid',
        score: 0.8,
        createdAt: new Date(Date.UTC(2025, 0, 1)),
      },
      {
        namespace: '/preferences/actor-1/',
        namespaces: ['/preferences/actor-1/'],
        memoryRecordId: 'p-edge',
        text: 'text of p-edge',
        score: 0.7,
        createdAt: new Date(Date.UTC(2025, 0, 1)),
      },
    ]);
  });

  test('the default threshold is 0.2', async () => {
    agentCore
      .on(RetrieveMemoryRecordsCommand)
      .resolves({ memoryRecordSummaries: [record('kept', 0.2), record('dropped', 0.19)] });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/facts/{actorId}/': {} },
    });

    const { records } = await sessionManager.retrieve('q');

    expect(records.map((r) => r.memoryRecordId)).toEqual(['kept']);
  });

  test('a record found under two overlapping namespaces is returned once', async () => {
    agentCore.on(RetrieveMemoryRecordsCommand).resolves({ memoryRecordSummaries: [record('same', 0.9)] });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/facts/{actorId}/': {}, '/facts/{actorId}/{sessionId}/': {} },
    });

    const { records } = await sessionManager.retrieve('q');

    expect(records.map((r) => r.memoryRecordId)).toEqual(['same']);
  });
});

describe('a failing namespace', () => {
  test('is reported in failures while the other namespaces still return their records', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
    agentCore
      .on(RetrieveMemoryRecordsCommand, { namespacePath: '/preferences/actor-1/' })
      .rejects(throttled)
      .on(RetrieveMemoryRecordsCommand, { namespacePath: '/facts/actor-1/' })
      .resolves({ memoryRecordSummaries: [record('fact', 0.5)] });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/preferences/{actorId}/': {}, '/facts/{actorId}/': {} },
    });

    const result = await sessionManager.retrieve('q');

    expect(result.records.map((r) => [r.namespace, r.memoryRecordId])).toEqual([['/facts/actor-1/', 'fact']]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0].namespace).toBe('/preferences/actor-1/');
    expect(result.failures[0].error).toBeInstanceOf(Error);
    expect(result.failures[0].error.message).toBe('Rate exceeded');
  });
});

describe("records outside the actor's namespaces", () => {
  test('never reach the result, whatever the service returned, and are listed in foreignRecords', async () => {
    agentCore.on(RetrieveMemoryRecordsCommand).resolves({
      memoryRecordSummaries: [
        record('mine', 0.9, '/preferences/actor-1/'),
        record('other-actor', 0.95, '/preferences/actor-10/'),
        record('covered-by-prefix', 0.95, '/preferences/actor-1x/'),
        record('two-owners', 0.95, '/preferences/actor-1/'),
        { ...record('no-namespace', 0.95), namespaces: undefined },
      ].map((summary) =>
        summary.memoryRecordId === 'two-owners'
          ? { ...summary, namespaces: ['/preferences/actor-1/', '/preferences/actor-2/'] }
          : summary,
      ),
    });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/preferences/{actorId}/': {} },
    });

    const result = await sessionManager.retrieve('q');

    expect(result.records.map((r) => r.memoryRecordId)).toEqual(['mine']);
    expect(result.foreignRecords).toEqual([
      { memoryRecordId: 'other-actor', namespaces: ['/preferences/actor-10/'], retrievedFrom: '/preferences/actor-1/' },
      {
        memoryRecordId: 'covered-by-prefix',
        namespaces: ['/preferences/actor-1x/'],
        retrievedFrom: '/preferences/actor-1/',
      },
      {
        memoryRecordId: 'two-owners',
        namespaces: ['/preferences/actor-1/', '/preferences/actor-2/'],
        retrievedFrom: '/preferences/actor-1/',
      },
      { memoryRecordId: 'no-namespace', namespaces: [], retrievedFrom: '/preferences/actor-1/' },
    ]);
  });

  test("a session's summaries are searched by path at the actor level, so earlier sessions' records are found", async () => {
    agentCore.on(RetrieveMemoryRecordsCommand).resolves({
      memoryRecordSummaries: [record('earlier-session', 0.9, '/summaries/actor-1/session-0/')],
    });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/summaries/{actorId}/': {} },
    });

    const result = await sessionManager.retrieve('q');

    expect(retrieveInputs()[0]).toMatchObject({ namespacePath: '/summaries/actor-1/' });
    expect(retrieveInputs()[0]).not.toHaveProperty('namespace');
    expect(result.records.map((r) => r.memoryRecordId)).toEqual(['earlier-session']);
  });
});
