import './support/environment.js';
import { CreateEventCommand } from '@aws-sdk/client-bedrock-agentcore';
import { CLAUDE_MODEL, MEMORY_ID, memoryAgent, useConverseHarness, withoutCachePoints } from './support/harness.js';
import {
  REPLY_USAGE,
  brokenReply,
  failingMidStreamReply,
  rejectedReply,
  stallingReply,
  textReply,
  toolUseReply,
} from './support/model-replies.js';
import { MAX_MODEL_CALLS_PER_TURN } from '../../../lambda/converse/loop/agent-loop.js';

describe('the response stream', () => {
  const harness = useConverseHarness();
  const plainAgent = { agent_id: 'plain', base_prompt: 'Be brief.', foundation_model: CLAUDE_MODEL };

  it('is session, then the deltas as the model streams them, then done with stop reason and usage', async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(textReply('Hel', 'lo', ' there'));

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(response.statusCode).toBe(200);
    expect(response.metadata?.headers['Content-Type']).toBe('text/event-stream');
    expect(response.finished).toBe(true);
    const events = response.events;
    expect(events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'delta', 'delta', 'done']);
    expect(events[0].data).toEqual({
      sessionId: expect.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9-_]*$/),
      newSession: true,
    });
    expect(events.slice(1, 4).map((streamed) => streamed.data.text)).toEqual(['Hel', 'lo', ' there']);
    expect(events[4].data).toEqual({ stopReason: 'end_turn', usage: REPLY_USAGE });
  });

  it('writes each event as an "event:" line and one JSON "data:" line', async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(textReply('line one\nline two'));

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(response.body).toContain('event: delta\ndata: {"text":"line one\\nline two"}\n\n');
    expect(response.answer).toBe('line one\nline two');
  });

  it('accepts a base64-encoded body', async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(textReply('ok'));

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Héllo ✓' }, { base64: true });

    expect(response.statusCode).toBe(200);
    expect(withoutCachePoints(harness.modelRequests[0].messages)).toEqual([
      { role: 'user', content: [{ text: 'Héllo ✓' }] },
    ]);
  });

  it('runs the tools the model calls, sends their results back, and sums usage over the calls', async () => {
    await harness.putAgent({ ...plainAgent, tools: ['current_time'] });
    harness.modelReplies(
      toolUseReply([{ toolUseId: 't1', name: 'current_time', input: { timezone: 'UTC' } }], 'Checking.'),
      textReply('It is late.'),
    );

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'What time is it?' });

    expect(harness.modelRequests).toHaveLength(2);
    const followUp = harness.modelRequests[1].messages!;
    expect(followUp[1]).toEqual({
      role: 'assistant',
      content: [
        { text: 'Checking.' },
        { toolUse: { toolUseId: 't1', name: 'current_time', input: { timezone: 'UTC' } } },
      ],
    });
    const toolResult = followUp[2].content![0].toolResult!;
    expect(toolResult.toolUseId).toBe('t1');
    expect(toolResult.status).toBe('success');
    expect(toolResult.content![0].text).toMatch(/UTC/);
    expect(response.answer).toBe('Checking.\n\nIt is late.');
    const done = response.events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data.usage).toEqual({
      inputTokens: 200,
      outputTokens: 40,
      totalTokens: 240,
      cacheReadInputTokens: 160,
      cacheWriteInputTokens: 0,
    });
  });

  it.each([
    ['an unknown tool', { toolUseId: 'x1', name: 'delete_everything', input: {} }, /Unknown tool "delete_everything"/],
    [
      'malformed input JSON',
      { toolUseId: 'x1', name: 'current_time', input: {}, inputJson: '{"timezone": "UTC' },
      /UTC/,
    ],
    [
      'input of the wrong type',
      { toolUseId: 'x1', name: 'current_time', input: { timezone: 7 } },
      /timezone must be a non-empty string/,
    ],
  ])('answers %s with a tool result the model reads, and the turn goes on', async (_case, toolUse, resultText) => {
    await harness.putAgent({ ...plainAgent, tools: ['current_time'] });
    harness.modelReplies(toolUseReply([toolUse]), textReply('Recovered.'));

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Go' });

    const toolUseSent = harness.modelRequests[1].messages![1].content![0].toolUse!;
    expect(toolUseSent.name).toBe(toolUse.name);
    expect(typeof toolUseSent.input).toBe('object');
    const toolResult = harness.modelRequests[1].messages![2].content![0].toolResult!;
    expect(toolResult.toolUseId).toBe('x1');
    expect(toolResult.content![0].text).toMatch(resultText);
    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'done']);
  });

  it('streams the first token before any write: history is saved after the last delta, CreateEvent after done', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('One', ' two'));
    const saveTurn = harness.dependencies.sessions.saveTurn.bind(harness.dependencies.sessions);
    const eventsWhenHistorySaved: string[][] = [];
    jest.spyOn(harness.dependencies.sessions, 'saveTurn').mockImplementation(async (turn) => {
      eventsWhenHistorySaved.push(harness.response!.events.map((streamed) => streamed.event));
      return saveTurn(turn);
    });
    const eventsWhenPersisted: string[][] = [];
    harness.agentCore.on(CreateEventCommand).callsFake(async () => {
      eventsWhenPersisted.push(harness.response!.events.map((streamed) => streamed.event));
      return {};
    });

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Count' });

    expect(eventsWhenHistorySaved).toEqual([['session', 'delta', 'delta']]);
    expect(eventsWhenPersisted).toEqual([['session', 'delta', 'delta', 'done']]);
  });

  it(`stops a model that keeps calling tools after ${MAX_MODEL_CALLS_PER_TURN} calls with max_iterations, without running the last call's tools`, async () => {
    await harness.putAgent(
      memoryAgent({
        memory_feature: { enabled: true, memory_id: MEMORY_ID, persist_conversation: false },
        // Enough records a turn for every call's tool to run: only the loop's own limit stops it here.
        tool_limits: { records_per_turn: 10 },
      }),
    );
    for (let call = 1; call <= MAX_MODEL_CALLS_PER_TURN; call++) {
      harness.modelReplies(
        toolUseReply([
          { toolUseId: `t${call}`, name: 'agent_core_memory', input: { action: 'record', content: `note ${call}` } },
        ]),
      );
    }

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 'loop-1', message: 'Loop' });

    expect(harness.modelRequests).toHaveLength(MAX_MODEL_CALLS_PER_TURN);
    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'done']);
    expect(response.events.at(-1)?.data).toEqual(expect.objectContaining({ stopReason: 'max_iterations' }));
    const recorded = harness.createEventCalls().map((call) => call.payload?.[0].conversational?.content?.text);
    expect(recorded).toEqual(Array.from({ length: MAX_MODEL_CALLS_PER_TURN - 1 }, (_, index) => `note ${index + 1}`));
    // No answer text, but the user's message is kept in the history.
    expect(await harness.turnItems('loop-1')).toEqual([
      expect.objectContaining({ user_message: 'Loop', assistant_message: '', stop_reason: 'max_iterations' }),
    ]);
  });

  it("saves a turn whose model ended it without any text, so the user's message stays in the history", async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(textReply());

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', sessionId: 'silent-1', message: 'Hi' });

    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'done']);
    expect(await harness.turnItems('silent-1')).toEqual([
      expect.objectContaining({ user_message: 'Hi', assistant_message: '', stop_reason: 'end_turn' }),
    ]);
  });

  it("turns a Bedrock error before streaming into an error event with its type and a fixed message (never the error's own)", async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(rejectedReply('ThrottlingException', 'Too many requests, please wait before trying again.'));

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(response.statusCode).toBe(200);
    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'error']);
    expect(response.events[1].data).toEqual({
      type: 'ThrottlingException',
      message: 'The model is receiving too many requests; retry shortly.',
      retryable: true,
    });
    const sessionId = String(response.events[0].data.sessionId);
    // Nothing was answered, so nothing is saved: a retry starts from the same history.
    expect(await harness.sessionItems(sessionId)).toEqual([]);
  });

  it('shows the caller no internals of a failure outside Bedrock: a generic error type, the details only in the log', async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(
      brokenReply(new TypeError("Cannot read properties of undefined (reading 'secretInternalField')")),
    );

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'error']);
    // A bug, not a passing fault: retrying the same request would not help.
    expect(response.events[1].data).toEqual({ type: 'ModelCallFailed', message: expect.any(String), retryable: false });
    expect(response.body).not.toContain('secretInternalField');
    expect(response.body).not.toContain('TypeError');
  });

  it('turns an exception inside the stream into an error event after the text so far, and keeps that text', async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(failingMidStreamReply('Partial', 'modelStreamErrorException', 'The model stream broke.'));

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'error']);
    expect(response.events[2].data).toEqual({
      type: 'ModelStreamErrorException',
      message: 'The model stream failed; retry.',
      retryable: true,
    });
    const turns = await harness.turnItems(String(response.events[0].data.sessionId));
    expect(turns).toEqual([
      expect.objectContaining({ assistant_message: 'Partial', stop_reason: 'error', incomplete: true }),
    ]);
  });

  it('ends a turn that would outlive the function with the answer so far, a Timeout error, and the history saved', async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(stallingReply('The beginning'));
    harness.limits({ reserveMs: 1_000, responseEndMs: 100 });

    // 1.2 s left with a 1 s buffer: the turn must stop after about 200 ms.
    const startedAt = Date.now();
    const response = await harness.invoke(
      { agentId: 'plain', userId: 'u-1', message: 'Tell me a long story' },
      { remainingTimeMs: 1_200 },
    );

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'error']);
    expect(response.events[2].data).toEqual({ type: 'Timeout', message: expect.any(String), retryable: true });
    const turns = await harness.turnItems(String(response.events[0].data.sessionId));
    expect(turns).toEqual([
      expect.objectContaining({
        user_message: 'Tell me a long story',
        assistant_message: 'The beginning',
        stop_reason: 'timeout',
        incomplete: true,
      }),
    ]);
    expect(response.finished).toBe(true);
  });

  it('keeps 30 s free before the function timeout by default: with 30.3 s left the turn stops after about 300 ms', async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(stallingReply('Once upon'));

    const startedAt = Date.now();
    const response = await harness.invoke(
      { agentId: 'plain', userId: 'u-1', message: 'A story' },
      { remainingTimeMs: 30_300 },
    );

    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'error']);
    expect(response.events[2].data.type).toBe('Timeout');
    const turns = await harness.turnItems(String(response.events[0].data.sessionId));
    expect(turns).toEqual([expect.objectContaining({ assistant_message: 'Once upon', stop_reason: 'timeout' })]);
  });

  it('finishes and saves the turn when the client disconnects mid-answer, without crashing or hanging', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('First', ' and second'));

    const response = await harness.invoke(
      { agentId: 'default', userId: 'u-1', sessionId: 'gone-1', message: 'Hi' },
      { disconnectAfter: 'delta' },
    );

    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta']);
    expect(await harness.turnItems('gone-1')).toEqual([
      expect.objectContaining({ user_message: 'Hi', assistant_message: 'First and second' }),
    ]);
    expect(harness.createEventCalls()).toHaveLength(1);
  });

  it.each([
    ['an error response', 'nobody'],
    ['a stream', 'default'],
  ])('returns when the client left before %s was sent', async (_case, agentId) => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Unheard'));

    const response = await harness.invoke(
      { agentId, userId: 'u-1', sessionId: 'gone-2', message: 'Hi' },
      { disconnectAfter: 'start' },
    );

    expect(response.body).toBe('');
    expect(await harness.turnItems('gone-2')).toHaveLength(agentId === 'default' ? 1 : 0);
  });

  it('answers with the memory tool offered when the agent item is the contract minimum', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hello'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hi' });

    expect(response.events.at(-1)?.event).toBe('done');
    expect(harness.modelRequests[0].toolConfig?.tools?.[0].toolSpec?.name).toBe('agent_core_memory');
  });
});
