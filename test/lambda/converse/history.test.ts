import './support/environment.js';
import type { ContentBlock, Message } from '@aws-sdk/client-bedrock-runtime';
import { MAX_MODEL_CALLS_PER_TURN } from '../../../lambda/converse/loop/agent-loop.js';
import { AGENT_CORE_MEMORY_TOOL_NAME } from '../../../lambda/converse/memory/tool.js';
import { AgentDefinitionRepository } from '../../../lambda/converse/agents/repository.js';
import { dynamoDocumentClient } from '../../../lambda/converse/clients.js';
import { CUT_MARKER } from '../../../lambda/converse/sessions/stored-exchange.js';
import { memoryAgent, useConverseHarness, withoutCachePoints } from './support/harness.js';
import { textReply, toolUseReply } from './support/model-replies.js';

const harness = useConverseHarness();

const CACHE_POINT = { cachePoint: { type: 'default' } };

function blocks(messages: Message[]): ContentBlock[] {
  return messages.flatMap((message) => message.content ?? []);
}

/** Each message as its role and the kinds of its blocks, e.g. `assistant:text,toolUse`. */
function shape(messages: Message[]): string[] {
  return messages.map(
    (message) =>
      `${message.role}:${(message.content ?? []).map((block) => Object.keys(block).find((key) => block[key as keyof ContentBlock] !== undefined)).join(',')}`,
  );
}

/** Every tool use is answered by a result in the very next message, and every result answers one. */
function expectToolUsesPaired(messages: Message[]): void {
  messages.forEach((message, index) => {
    for (const block of message.content ?? []) {
      if (block.toolUse) {
        const next = messages[index + 1]?.content ?? [];
        expect(next.some((candidate) => candidate.toolResult?.toolUseId === block.toolUse.toolUseId)).toBe(true);
      }
      if (block.toolResult) {
        const previous = messages[index - 1]?.content ?? [];
        expect(previous.some((candidate) => candidate.toolUse?.toolUseId === block.toolResult.toolUseId)).toBe(true);
      }
    }
  });
}

async function startSession(message: string): Promise<string> {
  const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message });
  return String(response.events[0].data.sessionId);
}

describe('the conversation keeps its tool exchanges', () => {
  it('a memory retrieved on turn 1 is inside a tool result on turns 2 and 3, and nowhere else', async () => {
    await harness.putAgent(memoryAgent());
    harness.memoryRecords.push({
      namespace: '/preferences/u-1/',
      memoryRecordId: 'p',
      text: 'Prefers tea',
      score: 0.9,
    });
    harness.modelReplies(textReply('Hi'), textReply('Two'), textReply('Three'));

    const sessionId = await startSession('Hello');
    const retrievals = harness.retrieveCalls().length;
    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'second' });
    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'third' });

    expect(harness.retrieveCalls()).toHaveLength(retrievals);
    for (const request of harness.modelRequests.slice(1)) {
      const messages = withoutCachePoints(request.messages);
      const holders = blocks(messages).filter((block) => JSON.stringify(block).includes('Prefers tea'));
      expect(holders).toHaveLength(1);
      expect(holders[0].toolResult?.status).toBe('success');
      expect(JSON.stringify([request.system, request.toolConfig])).not.toContain('Prefers tea');
      expect(JSON.stringify(messages)).not.toContain('[System note');
      expectToolUsesPaired(messages);
    }
    expect(shape(withoutCachePoints(harness.modelRequests[2].messages))).toEqual([
      'user:text',
      'assistant:toolUse',
      'user:toolResult',
      'assistant:text',
      'user:text',
      'assistant:text',
      'user:text',
    ]);
  });

  it("sends back the model's own retrieve, record and built-in tool calls in order, each use with its result", async () => {
    await harness.putAgent(memoryAgent({ tools: ['current_time'] }));
    harness.modelReplies(textReply('Hi'));
    const sessionId = await startSession('Hello');
    harness.modelReplies(
      toolUseReply(
        [
          { toolUseId: 'time-1', name: 'current_time', input: {} },
          { toolUseId: 'rec-1', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'record', content: 'Likes jazz' } },
        ],
        'One moment.',
      ),
      toolUseReply([
        { toolUseId: 'ret-1', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'retrieve', query: 'music' } },
      ]),
      textReply('Noted, and it is noon.'),
      textReply('You like jazz.'),
    );

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'Remember I like jazz' });
    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'What do I like?' });

    const messages = withoutCachePoints(harness.modelRequests.at(-1)!.messages);
    expect(shape(messages)).toEqual([
      'user:text',
      'assistant:toolUse',
      'user:toolResult',
      'assistant:text',
      'user:text',
      'assistant:text,toolUse,toolUse',
      'user:toolResult,toolResult',
      'assistant:toolUse',
      'user:toolResult',
      'assistant:text',
      'user:text',
    ]);
    expect(messages[4]).toEqual({ role: 'user', content: [{ text: 'Remember I like jazz' }] });
    expect(blocks(messages).flatMap((block) => (block.toolUse ? [block.toolUse.toolUseId] : []))).toEqual([
      expect.stringMatching(/^memory_prefetch_/),
      'time-1',
      'rec-1',
      'ret-1',
    ]);
    expect(messages[9]).toEqual({ role: 'assistant', content: [{ text: 'Noted, and it is noon.' }] });
    expectToolUsesPaired(messages);
  });

  it('sends an exchange with a tool the agent no longer offers as text, and leaves memory out once memory is off', async () => {
    await harness.putAgent(memoryAgent({ tools: ['current_time'] }));
    harness.memoryRecords.push({
      namespace: '/preferences/u-1/',
      memoryRecordId: 'p',
      text: 'Prefers tea',
      score: 0.9,
    });
    harness.modelReplies(
      toolUseReply([{ toolUseId: 'time-1', name: 'current_time', input: { timezone: 'UTC' } }]),
      textReply('It is noon.'),
      textReply('Bye'),
    );
    const sessionId = await startSession('What time is it?');
    // The agent is reconfigured (no tools, memory off) and read afresh: a session stays with its agent.
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false } }));
    harness.override({
      agents: new AgentDefinitionRepository({
        tableName: harness.dependencies.settings.agentTableName,
        documentClient: dynamoDocumentClient,
      }),
    });

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'Thanks' });

    const request = harness.modelRequests.at(-1)!;
    expect(request.toolConfig).toBeUndefined();
    const messages = withoutCachePoints(request.messages);
    expect(blocks(messages).every((block) => block.text !== undefined)).toBe(true);
    expect(JSON.stringify(messages)).not.toContain('Prefers tea');
    expect(messages).toEqual([
      { role: 'user', content: [{ text: 'What time is it?' }] },
      { role: 'assistant', content: [{ text: '[called the tool current_time with {"timezone":"UTC"}]' }] },
      {
        role: 'user',
        content: [{ text: expect.stringMatching(/^\[the tool current_time answered: .*UTC/) }],
      },
      { role: 'assistant', content: [{ text: 'It is noon.' }] },
      { role: 'user', content: [{ text: 'Thanks' }] },
    ]);
  });

  it('never sends back a tool use left without its result (a turn stopped at its last model call)', async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false }, tools: ['current_time'] }));
    for (let call = 0; call < MAX_MODEL_CALLS_PER_TURN; call++) {
      harness.modelReplies(toolUseReply([{ toolUseId: `t${call}`, name: 'current_time', input: {} }]));
    }
    const sessionId = await startSession('Loop');
    harness.modelReplies(textReply('ok'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'Next' });

    const messages = withoutCachePoints(harness.modelRequests.at(-1)!.messages);
    expectToolUsesPaired(messages);
    const toolUses = blocks(messages).filter((block) => block.toolUse);
    expect(toolUses).toHaveLength(MAX_MODEL_CALLS_PER_TURN - 1);
    expect(JSON.stringify(messages)).not.toContain(`"t${MAX_MODEL_CALLS_PER_TURN - 1}"`);
    // The last answered tool results and the new message share the user's turn, results first.
    expect(shape(messages).at(-1)).toBe('user:toolResult,text');
  });

  it("cuts tool results that would not fit DynamoDB's 400 KB item, and still saves the turn", async () => {
    await harness.putAgent(memoryAgent());
    for (const id of ['a', 'b', 'c']) {
      harness.memoryRecords.push({
        namespace: '/preferences/u-1/',
        memoryRecordId: id,
        text: `${id} ${'é'.repeat(100_000)}`,
        score: 0.9,
      });
    }
    harness.modelReplies(textReply('Hi'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    expect(response.events.at(-1)?.event).toBe('done');
    const [turn] = await harness.turnItems(String(response.events[0].data.sessionId));
    expect(String(turn.exchange)).toContain(CUT_MARKER.trim());
    expect(Buffer.byteLength(JSON.stringify(turn))).toBeLessThan(400 * 1024);
  });
});

describe('prompt caching of the conversation', () => {
  it('puts cache points after the system prompt, the tools, the stored history and the last message: four', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hi'), textReply('Fine'));
    const sessionId = await startSession('Hello');

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'How are you?' });

    const request = harness.modelRequests[1];
    expect(request.system!.at(-1)).toEqual(CACHE_POINT);
    expect(request.toolConfig!.tools!.at(-1)).toEqual(CACHE_POINT);
    const messages = request.messages!;
    // The history ends with the first answer; the cache point follows it, then the new message and its own.
    expect(messages.at(-2)).toEqual({ role: 'assistant', content: [{ text: 'Hi' }, CACHE_POINT] });
    expect(messages.at(-1)).toEqual({ role: 'user', content: [{ text: 'How are you?' }, CACHE_POINT] });
    const everyBlock = [...request.system!, ...request.toolConfig!.tools!, ...blocks(messages)];
    expect(everyBlock.filter((block) => 'cachePoint' in block && block.cachePoint)).toHaveLength(4);
  });

  it('moves the last cache point to the end of the conversation on each model call of a turn', async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false }, tools: ['current_time'] }));
    harness.modelReplies(toolUseReply([{ toolUseId: 't1', name: 'current_time', input: {} }]), textReply('Noon'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Time?' });

    const [first, second] = harness.modelRequests.map((request) => request.messages!);
    expect(first).toEqual([{ role: 'user', content: [{ text: 'Time?' }, CACHE_POINT] }]);
    expect(second.map((message) => message.content!.at(-1))).toEqual([
      { text: 'Time?' },
      { toolUse: expect.anything() },
      CACHE_POINT,
    ]);
    // What is stored is the conversation without cache points.
    expect(blocks(second).filter((block) => block.cachePoint)).toHaveLength(1);
  });

  it('stores no cache point in the session history', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hi'));

    const sessionId = await startSession('Hello');

    expect(JSON.stringify(await harness.sessionItems(sessionId))).not.toContain('cachePoint');
  });

  it('keeps the window where the previous turn started it while the history fits, so the cached prefix stays', async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false } }));
    const sessionId = 'windowed';
    await harness.putSessionItem({ session_id: sessionId, sk: '~meta', user_id: 'u-1', agent_id: 'default' });
    for (let turn = 0; turn < 5; turn++) {
      await harness.putSessionItem({
        session_id: sessionId,
        sk: `turn#2025-01-01T00:0${turn}:00.000Z#r${turn}`,
        user_message: `question ${turn}`,
        assistant_message: `answer ${turn}`,
        // The newest turn's request started its window at turn 2.
        window_start: 'turn#2025-01-01T00:02:00.000Z#r2',
      });
    }
    harness.modelReplies(textReply('ok'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'latest' });

    const messages = withoutCachePoints(harness.modelRequests[0].messages);
    expect(messages[0]).toEqual({ role: 'user', content: [{ text: 'question 2' }] });
    expect(messages).toHaveLength(7);
    const newest = (await harness.turnItems(sessionId)).at(-1)!;
    expect(newest).toEqual(
      expect.objectContaining({ user_message: 'latest', window_start: 'turn#2025-01-01T00:02:00.000Z#r2' }),
    );
  });
});

describe('loading the history', () => {
  it("reads on past DynamoDB's 1 MB page until it reaches where the window started", async () => {
    const sessionId = 'big-turns';
    await harness.putSessionItem({ session_id: sessionId, sk: '~meta', user_id: 'u-1', agent_id: 'default' });
    const keys = [0, 1, 2, 3, 4, 5].map((turn) => `turn#2025-01-01T00:0${turn}:00.000Z#r${turn}`);
    for (const [turn, sk] of keys.entries()) {
      await harness.putSessionItem({
        session_id: sessionId,
        sk,
        user_message: `${turn} ${'x'.repeat(300_000)}`,
        assistant_message: `answer ${turn}`,
        window_start: keys[1],
      });
    }

    const lookup = await harness.dependencies.sessions.load(sessionId, { userId: 'u-1', agentId: 'default' });

    expect(lookup.status).toBe('owned');
    const turns = lookup.status === 'owned' ? lookup.turns : [];
    // One page holds about three of these turns: the window's first turn is on a later page.
    expect(turns.map((turn) => turn.key)).toEqual(expect.arrayContaining(keys.slice(1)));
    expect(turns.at(-1)?.key).toBe(keys[5]);
  });
});
