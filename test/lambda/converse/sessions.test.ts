import './support/environment.js';
import { NEW_SESSION_MEMORY_NUDGE } from '../../../lambda/converse/memory/prompts.js';
import type { Message } from '@aws-sdk/client-bedrock-runtime';
import { memoryAgent, useConverseHarness, withoutCachePoints } from './support/harness.js';
import { textReply } from './support/model-replies.js';

const harness = useConverseHarness();

/** Fake only `Date`: timers and the event loop keep running for real. */
const NOT_THE_CLOCK = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

async function startSession(userId: string, message = 'Hello'): Promise<string> {
  harness.modelReplies(textReply(`Answer to ${message}`));
  const response = await harness.invoke({ agentId: 'default', userId, message });
  return String(response.events[0].data.sessionId);
}

describe('session ownership', () => {
  it("a new request without sessionId gets a fresh id that fits AgentCore's sessionId pattern, owned by its user", async () => {
    await harness.putAgent(memoryAgent());

    const sessionId = await startSession('u-1');

    expect(sessionId).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9-_]{0,99}$/);
    const metadata = (await harness.sessionItems(sessionId)).find((item) => item.sk === '~meta');
    expect(metadata).toEqual(
      expect.objectContaining({ user_id: 'u-1', agent_id: 'default', created_at: expect.any(String) }),
    );
  });

  it('another user naming that sessionId gets 403 and sees nothing of it, with no model call and no write', async () => {
    await harness.putAgent(memoryAgent());
    const sessionId = await startSession('alice', 'My secret plan');
    const itemsBefore = await harness.sessionItems(sessionId);
    const modelCallsBefore = harness.modelRequests.length;
    const agentCoreCallsBefore = harness.awsCallCount().agentCore;

    const response = await harness.invoke({
      agentId: 'default',
      userId: 'mallory',
      sessionId,
      message: 'What did alice say?',
    });

    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: { type: 'Forbidden', message: `session '${sessionId}' belongs to another user` },
    });
    expect(response.body).not.toContain('secret');
    expect(harness.modelRequests).toHaveLength(modelCallsBefore);
    expect(harness.awsCallCount().agentCore).toBe(agentCoreCallsBefore);
    expect(await harness.sessionItems(sessionId)).toEqual(itemsBefore);
  });

  it('the owner keeps using the session', async () => {
    await harness.putAgent(memoryAgent());
    const sessionId = await startSession('alice');
    harness.modelReplies(textReply('Sure'));

    const response = await harness.invoke({ agentId: 'default', userId: 'alice', sessionId, message: 'Again' });

    expect(response.statusCode).toBe(200);
    expect(response.events[0].data).toEqual({ sessionId, newSession: false });
  });
});

describe('what is stored', () => {
  it("the user's message exactly as typed, never the nudge, the answer, and retrieved memories only in the tool exchange", async () => {
    await harness.putAgent(memoryAgent());
    harness.memoryRecords.push({
      namespace: '/preferences/u-1/',
      memoryRecordId: 'p',
      text: 'Prefers tea',
      score: 0.9,
    });
    const typed = '  Hello,\nwhat should I drink?  ';
    harness.modelReplies(textReply('Tea.'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: typed });

    // The model did get the nudge and the memory ...
    expect(JSON.stringify(harness.modelRequests[0].messages)).toContain('[System note');
    expect(JSON.stringify(harness.modelRequests[0].messages)).toContain('Prefers tea');
    // ... the history keeps the memory only inside the retrieval's tool result, never the nudge.
    const sessionId = String(response.events[0].data.sessionId);
    const turns = await harness.turnItems(sessionId);
    expect(turns).toEqual([
      expect.objectContaining({ user_message: typed, assistant_message: 'Tea.', stop_reason: 'end_turn' }),
    ]);
    const stored = JSON.stringify(await harness.sessionItems(sessionId));
    expect(stored).not.toContain(NEW_SESSION_MEMORY_NUDGE);
    expect(stored).not.toContain('[System note');
    const exchange = JSON.parse(String(turns[0].exchange)) as Message[];
    const [toolUse, toolResult, answer] = exchange;
    expect(toolUse.content![0].toolUse?.input).toEqual({ action: 'retrieve', query: typed });
    expect(JSON.stringify(toolResult.content![0].toolResult)).toContain('Prefers tea');
    expect(answer).toEqual({ role: 'assistant', content: [{ text: 'Tea.' }] });
    expect(JSON.stringify({ ...turns[0], exchange: undefined })).not.toContain('Prefers tea');
  });

  it("every item expires through the table's TTL attribute", async () => {
    await harness.putAgent(memoryAgent());
    const sessionId = await startSession('u-1');

    const nowSeconds = Date.now() / 1000;
    for (const item of await harness.sessionItems(sessionId)) {
      expect(item.expires_at).toBeGreaterThan(nowSeconds + 29 * 24 * 3600);
    }
  });

  it('keeps alternating roles when a stored turn has no answer (a turn that timed out before any text)', async () => {
    await harness.putAgent(memoryAgent());
    const sessionId = 'gap-session';
    await harness.putSessionItem({
      session_id: sessionId,
      sk: '~meta',
      user_id: 'u-1',
      agent_id: 'default',
      created_at: '2025-01-01T00:00:00.000Z',
    });
    await harness.putSessionItem({
      session_id: sessionId,
      sk: 'turn#2025-01-01T00:00:00.000Z#r1',
      user_message: 'first',
      assistant_message: '',
      created_at: '2025-01-01T00:00:00.000Z',
    });
    harness.modelReplies(textReply('ok'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'second' });

    expect(withoutCachePoints(harness.modelRequests[0].messages)).toEqual([
      { role: 'user', content: [{ text: 'first' }, { text: 'second' }] },
    ]);
  });
  it('skips stored turns whose user message is missing, empty or not text, and reads a missing answer as none', async () => {
    await harness.putAgent(memoryAgent());
    const sessionId = 'odd-session';
    await harness.putSessionItem({
      session_id: sessionId,
      sk: '~meta',
      user_id: 'u-1',
      agent_id: 'default',
      created_at: '2025-01-01T00:00:00.000Z',
    });
    const turn = (minute: number, fields: Record<string, unknown>) =>
      harness.putSessionItem({
        session_id: sessionId,
        sk: `turn#2025-01-01T00:0${minute}:00.000Z#r${minute}`,
        ...fields,
      });
    await turn(1, { user_message: 'kept', assistant_message: 'answer' });
    await turn(2, { assistant_message: 'no question' });
    await turn(3, { user_message: '', assistant_message: 'empty question' });
    await turn(4, { user_message: 42, assistant_message: 'numeric question' });
    await turn(5, { user_message: 'no answer' });
    await turn(6, { user_message: 'odd answer', assistant_message: { text: 'x' } });
    harness.modelReplies(textReply('ok'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'latest' });

    expect(response.events.at(-1)?.event).toBe('done');
    expect(withoutCachePoints(harness.modelRequests[0].messages)).toEqual([
      { role: 'user', content: [{ text: 'kept' }] },
      { role: 'assistant', content: [{ text: 'answer' }] },
      { role: 'user', content: [{ text: 'no answer' }, { text: 'odd answer' }, { text: 'latest' }] },
    ]);
  });
});

describe('racing turns', () => {
  it('two turns of one session sent at once are both stored, neither overwrites the other', async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false } }));
    const sessionId = await startSession('u-1', 'first');
    harness.modelReplies(textReply('A'), textReply('B'));
    // Both arrive in the same millisecond: only the request id tells their items apart.
    jest.useFakeTimers({ now: new Date('2025-06-01T12:00:00.000Z'), doNotFake: [...NOT_THE_CLOCK] });

    const [a, b] = await Promise.all([
      harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'race A' }, { requestId: 'req-a' }),
      harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'race B' }, { requestId: 'req-b' }),
    ]).finally(() => jest.useRealTimers());

    expect([a.events.at(-1)?.event, b.events.at(-1)?.event]).toEqual(['done', 'done']);
    const stored = (await harness.turnItems(sessionId)).map((turn) => turn.user_message).sort();
    expect(stored).toEqual(['first', 'race A', 'race B']);
  });

  it("two users racing to start one sessionId: exactly one owns it, the other's turn is refused and not stored", async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false } }));
    harness.modelReplies(textReply('for alice'), textReply('for bob'));

    const responses = await Promise.all([
      harness.invoke({ agentId: 'default', userId: 'alice', sessionId: 'contested', message: 'alice here' }),
      harness.invoke({ agentId: 'default', userId: 'bob', sessionId: 'contested', message: 'bob here' }),
    ]);

    const items = await harness.sessionItems('contested');
    const owner = String(items.find((item) => item.sk === '~meta')?.user_id);
    expect(['alice', 'bob']).toContain(owner);
    const turns = items.filter((item) => String(item.sk).startsWith('turn#'));
    expect(turns.map((turn) => turn.user_message)).toEqual([`${owner} here`]);
    const loser = responses[owner === 'alice' ? 1 : 0];
    const loserEnd = loser.statusCode === 403 ? 'forbidden before streaming' : loser.events.at(-1)?.data.type;
    expect(['forbidden before streaming', 'Forbidden']).toContain(loserEnd);
  });
});
