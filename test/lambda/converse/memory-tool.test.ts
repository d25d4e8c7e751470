import './support/environment.js';
import { CreateEventCommand, RetrieveMemoryRecordsCommand } from '@aws-sdk/client-bedrock-agentcore';
import {
  CONVERSATIONAL_TEXT_MAX_LENGTH,
  SEARCH_QUERY_MAX_LENGTH,
  actorIdForUser,
  isWellFormedUnicode,
} from '../../../lambda/contract/index.js';
import { NEW_SESSION_MEMORY_NUDGE } from '../../../lambda/converse/memory/prompts.js';
import {
  AGENT_CORE_MEMORY_TOOL_NAME,
  MEMORY_UNAVAILABLE_TEXT,
  RECORD_SAVED_TEXT,
} from '../../../lambda/converse/memory/tool.js';
import { MetricName } from '../../../lambda/converse/observability.js';
import { MEMORY_ID, memoryAgent, useConverseHarness } from './support/harness.js';
import { textReply, toolUseReply } from './support/model-replies.js';

const harness = useConverseHarness();

const RETRIEVAL = {
  '/preferences/{actorId}/': { top_k: 2, relevance_score: 0.5 },
  '/summaries/{actorId}/': { top_k: 1, relevance_score: 0.2 },
};

function throttled(): Error {
  const error = new Error('Rate exceeded');
  error.name = 'ThrottledException';
  return error;
}

/** The text of the first call's prefetched retrieve tool result. */
function firstRetrievalResult(): { text: string; status?: string } {
  const toolResult = harness.modelRequests[0].messages![2].content![0].toolResult!;
  return { text: resultText(toolResult), status: toolResult.status };
}

/** A tool result's content as text: text blocks as they are, JSON blocks serialized. */
function resultText(toolResult: { content?: { text?: string; json?: unknown }[] }): string {
  return (toolResult.content ?? []).map((block) => block.text ?? JSON.stringify(block.json)).join('');
}

describe('retrieve', () => {
  it('searches each namespace resolved for the actor, at the actor level by namespacePath, with its top_k, and keeps only records at or above relevance_score', async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, retrieval: RETRIEVAL } }),
    );
    const actor = actorIdForUser('alice@example.com');
    harness.memoryRecords.push(
      { namespace: `/preferences/${actor}/`, memoryRecordId: 'p1', text: 'Likes short answers', score: 0.9 },
      { namespace: `/preferences/${actor}/`, memoryRecordId: 'p2', text: 'Writes in French', score: 0.6 },
      { namespace: `/preferences/${actor}/`, memoryRecordId: 'p3', text: 'Below top_k', score: 0.55 },
      { namespace: `/preferences/${actor}/`, memoryRecordId: 'p4', text: 'Below the score', score: 0.4 },
      { namespace: `/summaries/${actor}/old-session/`, memoryRecordId: 's1', text: 'Discussed a trip', score: 0.3 },
    );
    harness.modelReplies(textReply('Bonjour'));

    await harness.invoke({ agentId: 'default', userId: 'alice@example.com', message: 'Plan my day' });

    expect(
      harness
        .retrieveCalls()
        .map((call) => [call.memoryId, call.namespacePath, call.namespace, call.searchCriteria?.topK])
        .sort(),
    ).toEqual([
      [MEMORY_ID, '/preferences/alice_40example_2ecom/', undefined, 2],
      [MEMORY_ID, '/summaries/alice_40example_2ecom/', undefined, 1],
    ]);
    const { text, status } = firstRetrievalResult();
    expect(status).toBe('success');
    expect(text).toContain('Likes short answers');
    expect(text).toContain('Writes in French');
    expect(text).toContain('Discussed a trip');
    expect(text).not.toContain('Below top_k');
    expect(text).not.toContain('Below the score');
    expect(harness.metricValues(MetricName.memoryRetrieveLatency)).toHaveLength(1);
  });

  it("keeps bo and bob apart: neither namespace is a prefix of the other, and neither sees the other's memories", async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, retrieval: RETRIEVAL } }),
    );
    harness.memoryRecords.push(
      { namespace: '/preferences/bo/', memoryRecordId: 'bo-1', text: 'bo: prefers mornings', score: 0.9 },
      { namespace: '/preferences/bob/', memoryRecordId: 'bob-1', text: 'bob: prefers evenings', score: 0.9 },
      {
        namespace: `/preferences/${actorIdForUser('a/b')}/`,
        memoryRecordId: 'ab-1',
        text: 'a/b: prefers noon',
        score: 0.9,
      },
    );
    harness.modelReplies(textReply('1'), textReply('2'), textReply('3'));

    await harness.invoke({ agentId: 'default', userId: 'bo', message: 'When should we meet?' });
    const boNamespaces = harness.retrieveCalls().map((call) => call.namespacePath!);
    const boSaw = JSON.stringify(harness.modelRequests[0].messages);
    await harness.invoke({ agentId: 'default', userId: 'bob', message: 'When should we meet?' });
    await harness.invoke({ agentId: 'default', userId: 'a', message: 'When should we meet?' });
    const bobNamespaces = harness
      .retrieveCalls()
      .slice(boNamespaces.length, 2 * boNamespaces.length)
      .map((call) => call.namespacePath!);

    for (const bo of boNamespaces)
      for (const bob of bobNamespaces) expect(bob.startsWith(bo) || bo.startsWith(bob)).toBe(false);
    expect(boSaw).toContain('bo: prefers mornings');
    expect(boSaw).not.toContain('bob: prefers evenings');
    expect(JSON.stringify(harness.modelRequests[1].messages)).not.toContain('bo: prefers mornings');
    expect(JSON.stringify(harness.modelRequests[2].messages)).not.toContain('a/b: prefers noon');
  });

  it('answers when AgentCore throttles: the tool result says memory is unavailable, the error is logged and counted', async () => {
    await harness.putAgent(memoryAgent());
    harness.agentCore.on(RetrieveMemoryRecordsCommand).rejects(throttled());
    harness.modelReplies(textReply('Hello anyway'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hi' });

    expect(firstRetrievalResult()).toEqual({ text: MEMORY_UNAVAILABLE_TEXT, status: 'error' });
    expect(response.answer).toBe('Hello anyway');
    expect(response.events.at(-1)?.event).toBe('done');
    expect(harness.metricValues(MetricName.memoryErrors).reduce((sum, value) => sum + value, 0)).toBeGreaterThan(0);
    expect(harness.error).toHaveBeenCalledWith(
      'memory retrieve failed for a namespace',
      expect.objectContaining({
        error: expect.objectContaining({ name: 'ThrottledException', message: 'Rate exceeded' }),
      }),
    );
  });

  it('keeps the namespaces that answered when one fails', async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, retrieval: RETRIEVAL } }),
    );
    harness.agentCore
      .on(RetrieveMemoryRecordsCommand, { namespacePath: '/summaries/u-1/' })
      .rejects(throttled())
      .on(RetrieveMemoryRecordsCommand, { namespacePath: '/preferences/u-1/' })
      .resolves({
        memoryRecordSummaries: [
          {
            memoryRecordId: 'p',
            content: { text: 'Likes jazz' },
            score: 0.9,
            namespaces: ['/preferences/u-1/'],
            memoryStrategyId: 's',
            createdAt: new Date(0),
          },
        ],
      });
    harness.modelReplies(textReply('Jazz it is'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Music?' });

    expect(firstRetrievalResult()).toEqual({ text: expect.stringContaining('Likes jazz'), status: 'success' });
    expect(harness.metricValues(MetricName.memoryErrors)).toEqual([1]);
  });

  it('answers when AgentCore is slow: after the retrieve timeout the model is told memory is unavailable', async () => {
    harness.limits({ memoryRetrieveMs: 50 });
    await harness.putAgent(memoryAgent());
    harness.agentCore.on(RetrieveMemoryRecordsCommand).callsFake(() => new Promise(() => undefined));
    harness.modelReplies(textReply('Hello'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hi' });

    expect(firstRetrievalResult()).toEqual({ text: MEMORY_UNAVAILABLE_TEXT, status: 'error' });
    expect(response.answer).toBe('Hello');
    expect(harness.error).toHaveBeenCalledWith('memory retrieve failed', {
      error: expect.objectContaining({
        name: 'DeadlineExceededError',
        message: expect.stringContaining('memory retrieve'),
      }),
      durationMs: expect.any(Number),
    });
    expect(harness.metricValues(MetricName.memoryErrors)).toEqual([1]);
  });

  it('runs when the model calls it mid-conversation, and the memories reach the model only in the tool result', async () => {
    await harness.putAgent(memoryAgent());
    harness.memoryRecords.push({
      namespace: '/facts/u-1/',
      memoryRecordId: 'f',
      text: 'Owns a cat named Miso',
      score: 0.9,
    });
    harness.modelReplies(textReply('Hi'));
    const first = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });
    const sessionId = String(first.events[0].data.sessionId);
    harness.modelReplies(
      toolUseReply([
        { toolUseId: 'm1', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'retrieve', query: 'pets' } },
      ]),
      textReply('Miso says hi'),
    );

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'Do I have pets?' });

    expect(harness.retrieveCalls().at(-1)?.searchCriteria?.searchQuery).toBe('pets');
    const followUp = harness.modelRequests[2];
    const toolResult = followUp.messages!.at(-1)!.content![0].toolResult!;
    expect(resultText(toolResult)).toContain('Owns a cat named Miso');
    expect(JSON.stringify(followUp.system)).not.toContain('Miso');
    // Stored only inside the turn's tool exchange, never as the user's or the assistant's words.
    const turns = await harness.turnItems(sessionId);
    for (const turn of turns) {
      expect(JSON.stringify([turn.user_message, turn.assistant_message])).not.toContain('Owns a cat');
    }
    expect(String(turns.at(-1)?.exchange)).toContain('Owns a cat named Miso');
  });
});

describe('record', () => {
  it('writes the content as a USER-role event, and tells the model it was saved', async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, persist_conversation: false } }),
    );
    harness.modelReplies(
      toolUseReply([
        {
          toolUseId: 'r1',
          name: AGENT_CORE_MEMORY_TOOL_NAME,
          input: { action: 'record', content: 'I prefer metric units' },
        },
      ]),
      textReply('Noted.'),
    );

    const response = await harness.invoke({
      agentId: 'default',
      userId: 'alice@example.com',
      sessionId: 'sess-1',
      message: 'Remember that I prefer metric units',
    });

    expect(harness.createEventCalls()).toEqual([
      expect.objectContaining({
        memoryId: MEMORY_ID,
        actorId: 'alice_40example_2ecom',
        sessionId: 'sess-1',
        payload: [{ conversational: { role: 'USER', content: { text: 'I prefer metric units' } } }],
        clientToken: expect.any(String),
        // Marked as the memory tool's, so extraction and an inspector can tell it from typed words.
        metadata: {
          agentId: { stringValue: 'default' },
          memoryMode: { stringValue: 'learn' },
          source: { stringValue: 'memory_tool' },
        },
      }),
    ]);
    const toolResult = harness.modelRequests[1].messages!.at(-1)!.content![0].toolResult!;
    expect(toolResult).toEqual({ toolUseId: 'r1', status: 'success', content: [{ text: RECORD_SAVED_TEXT }] });
    expect(response.events.at(-1)?.event).toBe('done');
  });

  it('rejects input that is neither a retrieve with a query nor a record with content, without any AgentCore call', async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, persist_conversation: false } }),
    );
    harness.modelReplies(textReply('Hi'));
    const first = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });
    const callsBefore = harness.awsCallCount().agentCore;
    harness.modelReplies(
      toolUseReply([
        { toolUseId: 'bad', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'record', query: 'wrong field' } },
      ]),
      textReply('Sorry'),
    );

    await harness.invoke({
      agentId: 'default',
      userId: 'u-1',
      sessionId: String(first.events[0].data.sessionId),
      message: 'Remember this',
    });

    expect(harness.modelRequests[2].messages!.at(-1)!.content![0].toolResult!.status).toBe('error');
    expect(harness.awsCallCount().agentCore).toBe(callsBefore);
  });
});

describe('persisting turns to AgentCore short-term memory', () => {
  it('writes each finished turn once, after the answer: the message as typed (no nudge) and the answer', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hel', 'lo!'));

    const response = await harness.invoke({
      agentId: 'default',
      userId: 'u-1',
      sessionId: 'sess-42',
      message: 'Hi there',
    });

    const events = harness.createEventCalls();
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual(
      expect.objectContaining({
        memoryId: MEMORY_ID,
        actorId: 'u-1',
        sessionId: 'sess-42',
        payload: [
          { conversational: { role: 'USER', content: { text: 'Hi there' } } },
          { conversational: { role: 'ASSISTANT', content: { text: 'Hello!' } } },
        ],
        clientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    );
    expect(JSON.stringify(events)).not.toContain(NEW_SESSION_MEMORY_NUDGE);
    expect(response.events.at(-1)?.event).toBe('done');
  });

  it('writes nothing when persist_conversation is false', async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, persist_conversation: false } }),
    );
    harness.modelReplies(textReply('Hello'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hi' });

    expect(harness.createEventCalls()).toEqual([]);
  });

  it('a failed CreateEvent keeps the DynamoDB history and the good answer: done, logged and counted', async () => {
    await harness.putAgent(memoryAgent());
    const failure = new Error('Service unavailable');
    failure.name = 'ServiceException';
    harness.agentCore.on(CreateEventCommand).rejects(failure);
    harness.modelReplies(textReply('All good'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 'sess-7', message: 'Hi' });

    expect(harness.createEventCalls().length).toBeGreaterThan(0);
    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'done']);
    expect(await harness.turnItems('sess-7')).toEqual([
      expect.objectContaining({ user_message: 'Hi', assistant_message: 'All good' }),
    ]);
    expect(harness.metricValues(MetricName.memoryErrors)).toEqual([1]);
    expect(harness.error).toHaveBeenCalledWith(
      'turn not persisted to AgentCore memory',
      expect.objectContaining({
        error: expect.objectContaining({ name: 'ServiceException', message: 'Service unavailable' }),
      }),
    );
  });
});

describe('Unicode-correct limits', () => {
  const atLimit = `${'a'.repeat(SEARCH_QUERY_MAX_LENGTH - 1)}😀`;

  it('an emoji at the query limit is never split: the new-session retrieval sends it whole', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hello'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: `${atLimit}and more` });

    const queries = harness.retrieveCalls().map((call) => call.searchCriteria?.searchQuery);
    expect(queries.length).toBeGreaterThan(0);
    expect(new Set(queries)).toEqual(new Set([atLimit]));
    expect(isWellFormedUnicode(queries[0]!)).toBe(true);
  });

  it("an emoji at the query limit is never split: the model's own retrieve sends it whole", async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, persist_conversation: false } }),
    );
    harness.modelReplies(textReply('Hi'));
    const first = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });
    const callsBefore = harness.retrieveCalls().length;
    harness.modelReplies(
      toolUseReply([
        {
          toolUseId: 'q1',
          name: AGENT_CORE_MEMORY_TOOL_NAME,
          input: { action: 'retrieve', query: `${atLimit}😀😀` },
        },
      ]),
      textReply('Done'),
    );

    await harness.invoke({
      agentId: 'default',
      userId: 'u-1',
      sessionId: String(first.events[0].data.sessionId),
      message: 'Search',
    });

    const queries = harness
      .retrieveCalls()
      .slice(callsBefore)
      .map((call) => call.searchCriteria?.searchQuery);
    expect(queries.length).toBeGreaterThan(0);
    expect(new Set(queries)).toEqual(new Set([atLimit]));
  });

  it('record content is limited in characters: 100,000 emoji are recorded whole, one more is refused', async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, persist_conversation: false } }),
    );
    const emojis = '😀'.repeat(CONVERSATIONAL_TEXT_MAX_LENGTH);
    harness.modelReplies(
      toolUseReply([
        { toolUseId: 'ok', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'record', content: emojis } },
        { toolUseId: 'long', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'record', content: `${emojis}😀` } },
      ]),
      textReply('Noted.'),
    );

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 'emoji-1', message: 'Remember' });

    expect(harness.createEventCalls().map((call) => call.payload)).toEqual([
      [{ conversational: { role: 'USER', content: { text: emojis } } }],
    ]);
    const results = harness.modelRequests[1]
      .messages!.at(-1)!
      .content!.flatMap((block) => (block.toolResult ? [block.toolResult] : []));
    expect(results.map((result) => [result.toolUseId, result.status])).toEqual([
      ['ok', 'success'],
      ['long', 'error'],
    ]);
  });
});
