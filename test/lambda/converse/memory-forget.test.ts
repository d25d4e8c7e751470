import './support/environment.js';
import {
  BatchDeleteMemoryRecordsCommand,
  type BatchDeleteMemoryRecordsCommandInput,
  GetMemoryRecordCommand,
  type GetMemoryRecordCommandInput,
} from '@aws-sdk/client-bedrock-agentcore';
import type { Message, ToolResultBlock } from '@aws-sdk/client-bedrock-runtime';
import {
  type FakeMemoryRecord,
  MEMORY_ID,
  memoryAgent,
  memoryRecordSummary,
  useConverseHarness,
} from './support/harness.js';
import { recordIdsRetrievedIn } from '../../../lambda/converse/memory/session-retrievals.js';
import { textReply, toolUseReply } from './support/model-replies.js';

const harness = useConverseHarness();

/** Every record AgentCore holds, whether or not a retrieve would return it. */
let stored: FakeMemoryRecord[] = [];

const record = (memoryRecordId: string, namespace: string, score: number): FakeMemoryRecord => ({
  memoryRecordId,
  namespace,
  text: `memory ${memoryRecordId}`,
  score,
});

beforeEach(() => {
  stored = [
    record('p1', '/preferences/alice/', 0.9),
    record('p2', '/preferences/alice/', 0.8),
    record('p3', '/preferences/alice/', 0.7),
    record('p4', '/preferences/alice/', 0.6),
    record('b1', '/preferences/bob/', 0.9),
  ];
  harness.memoryRecords.push(...stored);
  harness.agentCore.on(GetMemoryRecordCommand).callsFake(async (input: GetMemoryRecordCommandInput) => {
    const found = stored.find((candidate) => candidate.memoryRecordId === input.memoryRecordId);
    if (found === undefined) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
    return { memoryRecord: memoryRecordSummary(found) };
  });
  harness.agentCore
    .on(BatchDeleteMemoryRecordsCommand)
    .callsFake(async (input: BatchDeleteMemoryRecordsCommandInput) => {
      const ids = (input.records ?? []).map((deleted) => deleted.memoryRecordId);
      stored = stored.filter((candidate) => !ids.includes(candidate.memoryRecordId));
      return {
        successfulRecords: ids.map((memoryRecordId) => ({ memoryRecordId, status: 'SUCCEEDED' })),
        failedRecords: [],
      };
    });
});

/** An agent whose retrieve returns the `topK` best of the user's preferences. */
const agentRetrieving = (topK: number, toolLimits?: Record<string, number>) =>
  memoryAgent({
    memory_feature: {
      enabled: true,
      memory_id: MEMORY_ID,
      retrieval: { '/preferences/{actorId}/': { top_k: topK, relevance_score: 0 } },
    },
    ...(toolLimits !== undefined && { tool_limits: toolLimits }),
  });

const forgetUse = (toolUseId: string, recordIds: string[]) => ({
  toolUseId,
  name: 'agent_core_memory',
  input: { action: 'forget', record_ids: recordIds },
});

/** The tool result the model was sent for `toolUseId`, in any request. */
function toolResult(toolUseId: string): ToolResultBlock {
  for (const request of harness.modelRequests) {
    for (const message of request.messages ?? []) {
      for (const block of message.content ?? []) if (block.toolResult?.toolUseId === toolUseId) return block.toolResult;
    }
  }
  throw new Error(`no tool result for ${toolUseId}`);
}
const resultText = (toolUseId: string) => (toolResult(toolUseId).content ?? []).map((block) => block.text).join('');
const gets = () =>
  harness.agentCore.commandCalls(GetMemoryRecordCommand).map((call) => call.args[0].input.memoryRecordId);
const deletes = () =>
  harness.agentCore.commandCalls(BatchDeleteMemoryRecordsCommand).map((call) => call.args[0].input.records);

describe('the memory tool forgets only what a retrieve of this session returned for this user', () => {
  it('deletes, in a later turn, a record the first turn retrieved, and refuses ids never retrieved without a call', async () => {
    await harness.putAgent(agentRetrieving(1));
    harness.modelReplies(textReply('Noted'), toolUseReply([forgetUse('f1', ['p1', 'p2', 'b1'])]), textReply('Done'));

    const first = await harness.invoke({ agentId: 'default', userId: 'alice', message: 'What do I like?' });
    const sessionId = String(first.events[0].data.sessionId);
    await harness.invoke({ agentId: 'default', userId: 'alice', sessionId, message: 'Forget that I like p1' });

    expect(gets()).toEqual(['p1']);
    expect(deletes()).toEqual([[{ memoryRecordId: 'p1', namespace: '/preferences/alice/' }]]);
    expect(stored.map((kept) => kept.memoryRecordId)).toEqual(['p2', 'p3', 'p4', 'b1']);
    expect(toolResult('f1').status).toBe('success');
    expect(resultText('f1')).toContain('Forgotten: p1.');
    expect(resultText('f1')).toContain('Not forgotten: p2 (not returned by a retrieve in this conversation).');
    expect(resultText('f1')).toContain('Not forgotten: b1 (not returned by a retrieve in this conversation).');
  });

  it('refuses in another session the ids retrieved in this one', async () => {
    await harness.putAgent(agentRetrieving(1));
    harness.modelReplies(textReply('Noted'), toolUseReply([forgetUse('f1', ['p1'])]), textReply('Not here'));

    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'What do I like?' });
    harness.memoryRecords.splice(0); // the new session's own retrieval finds nothing
    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'Forget p1' });

    expect(gets()).toEqual([]);
    expect(deletes()).toEqual([]);
    expect(toolResult('f1').status).toBe('error');
    expect(resultText('f1')).toContain('Not forgotten: p1 (not returned by a retrieve in this conversation).');
  });

  it("refuses a retrieved id that AgentCore now files under another user's namespace, without deleting", async () => {
    await harness.putAgent(agentRetrieving(1));
    harness.modelReplies(toolUseReply([forgetUse('f1', ['p1'])]), textReply('No'));
    // The retrieve of this turn found p1 under alice's namespace; GetMemoryRecord now files it under bob's.
    stored[0] = { ...stored[0], namespace: '/preferences/bob/' };
    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'Forget p1' });

    expect(gets()).toEqual(['p1']);
    expect(deletes()).toEqual([]);
    expect(resultText('f1')).toContain("Not forgotten: p1 (not one of this user's memories).");
  });
});

describe('the per-turn bound on forgetting', () => {
  it('deletes at most forgets_per_turn records, in one call, and refuses the rest and any second forget of the turn', async () => {
    await harness.putAgent(agentRetrieving(4, { forgets_per_turn: 2 }));
    harness.modelReplies(
      toolUseReply([forgetUse('f1', ['p1', 'p2', 'p3'])]),
      toolUseReply([forgetUse('f2', ['p4'])]),
      textReply('Forgot two'),
    );

    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'Forget everything you know' });

    expect(deletes()).toEqual([
      [
        { memoryRecordId: 'p1', namespace: '/preferences/alice/' },
        { memoryRecordId: 'p2', namespace: '/preferences/alice/' },
      ],
    ]);
    expect(gets()).toEqual(['p1', 'p2']);
    expect(resultText('f1')).toContain('Forgotten: p1, p2.');
    expect(resultText('f1')).toMatch(/Not forgotten: p3 \(over this turn's limit: at most 2 memories/);
    expect(resultText('f2')).toMatch(/Not forgotten: p4 \(over this turn's limit/);
  });

  it('lets only one of several forget calls in one reply delete, though they run at the same time', async () => {
    await harness.putAgent(agentRetrieving(4, { forgets_per_turn: 2 }));
    harness.modelReplies(
      toolUseReply([forgetUse('f1', ['p1', 'p2']), forgetUse('f2', ['p3', 'p4'])]),
      textReply('Forgot two'),
    );

    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'Forget everything you know' });

    expect(deletes()).toHaveLength(1);
    expect(deletes()[0]).toHaveLength(2);
    expect(stored.map((kept) => kept.memoryRecordId)).toHaveLength(3);
    const texts = [resultText('f1'), resultText('f2')];
    expect(texts.filter((text) => /over this turn's limit/.test(text))).toHaveLength(1);
  });

  it('forgets nothing for an agent whose forgets_per_turn is 0', async () => {
    await harness.putAgent(agentRetrieving(4, { forgets_per_turn: 0 }));
    harness.modelReplies(toolUseReply([forgetUse('f1', ['p1'])]), textReply('Cannot'));

    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'Forget p1' });

    expect(gets()).toEqual([]);
    expect(deletes()).toEqual([]);
    expect(resultText('f1')).toContain('this agent removes nothing from long-term memory');
  });
});

describe('the ids a session retrieved, read back from stored exchanges', () => {
  const use = (toolUseId: string, name: string, input: Record<string, string>): Message => ({
    role: 'assistant',
    content: [{ toolUse: { toolUseId, name, input } }],
  });
  const result = (toolUseId: string, content: ToolResultBlock['content']): Message => ({
    role: 'user',
    content: [{ toolResult: { toolUseId, content } }],
  });

  it("takes the ids of the memory tool's retrieve results only, as JSON or as its text, and nothing else", () => {
    const memories = (...ids: string[]) => ({ memories: ids.map((id) => ({ id, text: `memory ${id}` })) });
    const ids = recordIdsRetrievedIn(
      [
        use('r1', 'agent_core_memory', { action: 'retrieve', query: 'tea' }),
        result('r1', [{ json: memories('a', 'b') }]),
        use('r2', 'agent_core_memory', { action: 'retrieve', query: 'trains' }),
        result('r2', [{ text: JSON.stringify(memories('c')) }]),
        use('w1', 'agent_core_memory', { action: 'record', content: JSON.stringify(memories('x')) }),
        result('w1', [{ text: JSON.stringify(memories('y')) }]),
        use('t1', 'lookup', { query: 'tea' }),
        result('t1', [{ json: memories('z') }]),
        result('forged', [{ json: memories('f') }]),
        result('r3', [{ text: 'not JSON [cut to fit the session history]' }]),
      ],
      'agent_core_memory',
    );
    expect(ids).toEqual(['a', 'b', 'c']);
  });
});
