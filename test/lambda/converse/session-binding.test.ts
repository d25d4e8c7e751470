import './support/environment.js';
import { isWellFormedUnicode, SessionTableKeys } from '../../../lambda/contract/index.js';
import { DYNAMODB_ITEM_MAX_BYTES, dynamoItemBytes } from '../../../lambda/converse/sessions/item-size.js';
import { CUT_MARKER } from '../../../lambda/converse/sessions/stored-exchange.js';
import { memoryAgent, useConverseHarness } from './support/harness.js';
import { textReply, toolUseReply } from './support/model-replies.js';

const harness = useConverseHarness();
/**
 * An independent upper bound of an item's size as DynamoDB counts it (dynalite counts
 * UTF-16 units, not UTF-8 bytes, so it lets four-byte text through at twice the limit):
 * names and strings in UTF-8, each number its 21-byte maximum, a boolean 1 byte.
 */
function itemBytesAtMost(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((sum, [name, value]) => {
    const valueBytes = typeof value === 'string' ? Buffer.byteLength(value) : typeof value === 'number' ? 21 : 1;
    return sum + Buffer.byteLength(name) + valueBytes;
  }, 0);
}

const otherAgent = memoryAgent({ agent_id: 'other', base_prompt: 'You are another assistant.' });

async function startSession(userId: string, agentId = 'default', message = 'My secret plan'): Promise<string> {
  harness.modelReplies(textReply(`Answer to ${message}`));
  const response = await harness.invoke({ agentId, userId, message });
  return String(response.events[0].data.sessionId);
}

describe('a session belongs to one user and one agent', () => {
  it('continuing it with another agent gets 409 before anything is read or written: no turns, no model call', async () => {
    await harness.putAgent(memoryAgent());
    await harness.putAgent(otherAgent);
    const sessionId = await startSession('alice');
    const itemsBefore = await harness.sessionItems(sessionId);
    const callsBefore = harness.awsCallCount();

    const response = await harness.invoke({ agentId: 'other', userId: 'alice', sessionId, message: 'What did I say?' });

    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: {
        type: 'Conflict',
        message: `session '${sessionId}' was started with another agent and cannot be continued with agent 'other'; start a new session`,
      },
    });
    expect(response.body).not.toContain('secret');
    expect(harness.awsCallCount().bedrock).toBe(callsBefore.bedrock);
    expect(harness.awsCallCount().agentCore).toBe(callsBefore.agentCore);
    expect(await harness.sessionItems(sessionId)).toEqual(itemsBefore);
  });

  it('one user racing to start one sessionId with two agents: one agent owns it, the other turn is refused and not stored', async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false } }));
    await harness.putAgent({ ...otherAgent, memory_feature: { enabled: false } });
    harness.modelReplies(textReply('from default'), textReply('from other'));

    const responses = await Promise.all([
      harness.invoke({ agentId: 'default', userId: 'alice', sessionId: 'contested', message: 'to default' }),
      harness.invoke({ agentId: 'other', userId: 'alice', sessionId: 'contested', message: 'to other' }),
    ]);

    const items = await harness.sessionItems('contested');
    const owner = String(items.find((item) => item.sk === '~meta')?.agent_id);
    expect(['default', 'other']).toContain(owner);
    const turns = items.filter((item) => String(item.sk).startsWith('turn#'));
    expect(turns.map((turn) => turn.user_message)).toEqual([`to ${owner}`]);
    expect(turns[0].agent_id).toBe(owner);
    const loser = responses[owner === 'default' ? 1 : 0];
    const loserEnd = loser.statusCode === 409 ? 'refused before streaming' : loser.events.at(-1)?.data.type;
    expect(['refused before streaming', 'Conflict']).toContain(loserEnd);
  });

  it("a turn item left without its owner item keeps the session its owner's: another user gets 403 and nothing of it", async () => {
    await harness.putAgent(memoryAgent());
    const sessionId = await startSession('alice');
    const ownerItem = (await harness.sessionItems(sessionId)).find((item) => item.sk === '~meta')!;
    await harness.deleteSessionItem(sessionId, String(ownerItem.sk));
    const itemsBefore = await harness.sessionItems(sessionId);
    const callsBefore = harness.awsCallCount();

    const response = await harness.invoke({
      agentId: 'default',
      userId: 'mallory',
      sessionId,
      message: 'What was said?',
    });

    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('secret');
    expect(harness.awsCallCount().bedrock).toBe(callsBefore.bedrock);
    expect(await harness.sessionItems(sessionId)).toEqual(itemsBefore);
  });

  it('every item of a session carries its owner, turn items too', async () => {
    await harness.putAgent(memoryAgent());
    const sessionId = await startSession('alice');
    harness.modelReplies(textReply('again'));
    await harness.invoke({ agentId: 'default', userId: 'alice', sessionId, message: 'Again' });

    const items = await harness.sessionItems(sessionId);
    expect(items).toHaveLength(3);
    for (const item of items) expect(item[SessionTableKeys.ownerAttribute]).toBe('alice');
  });
});

describe("no item over DynamoDB's 400 KB limit", () => {
  const FOUR_BYTE = '\u{1F600}';

  it('a 20,000-character four-byte message, a 100,000-character four-byte answer and large tool exchanges: the turn is saved, cuts marked', async () => {
    await harness.putAgent(memoryAgent());
    for (const id of ['a', 'b', 'c']) {
      harness.memoryRecords.push({
        namespace: '/preferences/u-1/',
        memoryRecordId: id,
        text: `${id} ${FOUR_BYTE.repeat(30_000)}`,
        score: 0.9,
      });
    }
    const message = FOUR_BYTE.repeat(20_000);
    const answer = FOUR_BYTE.repeat(100_000);
    harness.modelReplies(
      toolUseReply([{ toolUseId: 'r1', name: 'agent_core_memory', input: { action: 'retrieve', query: 'more' } }]),
      textReply(answer.slice(0, 100_000), answer.slice(100_000)),
    );

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message });

    expect(response.events.at(-1)?.event).toBe('done');
    expect(response.answer).toBe(answer);
    const items = await harness.sessionItems(String(response.events[0].data.sessionId));
    const [turn] = items.filter((item) => String(item.sk).startsWith('turn#'));
    expect(turn.user_message).toBe(message);
    expect(turn.answer_truncated).toBe(true);
    const stored = String(turn.assistant_message);
    expect(isWellFormedUnicode(stored)).toBe(true);
    expect(answer.startsWith(stored)).toBe(true);
    expect(stored.length).toBeGreaterThan(answer.length / 2);
    expect(turn.exchange_dropped).toBe(true);
    const sizes = items.map(itemBytesAtMost);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(DYNAMODB_ITEM_MAX_BYTES);
    items.forEach((item, index) => expect(dynamoItemBytes(item)).toBeLessThanOrEqual(sizes[index]));
    console.info(`largest session item: ${Math.max(...items.map((item) => dynamoItemBytes(item)))} bytes`);
  });

  it('a short answer with large tool exchanges: the answer whole, the exchange cut with a marker', async () => {
    await harness.putAgent(memoryAgent());
    for (const id of ['a', 'b', 'c']) {
      harness.memoryRecords.push({
        namespace: '/preferences/u-1/',
        memoryRecordId: id,
        text: `${id} ${FOUR_BYTE.repeat(40_000)}`,
        score: 0.9,
      });
    }
    harness.modelReplies(textReply('Short answer'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: FOUR_BYTE.repeat(20_000) });

    expect(response.events.at(-1)?.event).toBe('done');
    const [turn] = await harness.turnItems(String(response.events[0].data.sessionId));
    expect(turn.assistant_message).toBe('Short answer');
    expect(turn.answer_truncated).toBeUndefined();
    expect(turn.exchange_truncated).toBe(true);
    expect(String(turn.exchange)).toContain(CUT_MARKER.trim());
    expect(isWellFormedUnicode(String(turn.exchange))).toBe(true);
    expect(itemBytesAtMost(turn)).toBeLessThanOrEqual(DYNAMODB_ITEM_MAX_BYTES);
  });
});
