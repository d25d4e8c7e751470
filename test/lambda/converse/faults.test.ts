import './support/environment.js';
import { CreateEventCommand, RetrieveMemoryRecordsCommand } from '@aws-sdk/client-bedrock-agentcore';
import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../../../lambda/converse/clients.js';
import { MODEL_STREAM_TRUNCATED } from '../../../lambda/converse/loop/model-failure.js';
import {
  AGENT_CORE_MEMORY_TOOL_NAME,
  RECORD_SAVED_TEXT,
  RECORD_UNCONFIRMED_TEXT,
} from '../../../lambda/converse/memory/tool.js';
import { RETRY_AFTER_SECONDS } from '../../../lambda/converse/failures.js';
import { CLAUDE_MODEL, MEMORY_ID, memoryAgent, useConverseHarness } from './support/harness.js';
import { endingEarlyReply, resetMidStreamReply, textReply, toolUseReply } from './support/model-replies.js';
import type { CapturedResponse } from './support/awslambda-shim.js';

const harness = useConverseHarness();
const plainAgent = { agent_id: 'plain', base_prompt: 'Be brief.', foundation_model: CLAUDE_MODEL };

/** The function's remaining time in these tests, and limits small enough to reach quickly. */
const FUNCTION_TIME_MS = 2_000;
const SHORT_LIMITS = {
  reserveMs: 1_000,
  responseEndMs: 200,
  dynamoDbMs: 300,
  memoryRetrieveMs: 300,
  memoryWriteMs: 300,
};

type CommandClass = abstract new (...args: never[]) => object;

/**
 * Makes DynamoDB calls of one command class hang forever, ignoring their abort signal (the
 * worst a dependency can do); the others go to the table. Returns each hung call's signal.
 */
function hangDynamoDb(command: CommandClass): AbortSignal[] {
  const client = dynamoDocumentClient();
  const send = (Object.getPrototypeOf(client) as { send: (...args: unknown[]) => Promise<unknown> }).send;
  const signals: AbortSignal[] = [];
  (jest.spyOn(client, 'send') as unknown as jest.SpyInstance).mockImplementation(
    (sent: object, options?: { abortSignal?: AbortSignal }) => {
      if (!(sent instanceof command)) return send.call(client, sent, options);
      signals.push(options!.abortSignal!);
      return new Promise(() => undefined);
    },
  );
  return signals;
}

/** The abort signal each call of an AgentCore or Bedrock command was sent with. */
function signalsOf(mock: { commandCalls: (command: never) => { args: unknown[] }[] }, command: unknown): AbortSignal[] {
  return mock.commandCalls(command as never).map((call) => (call.args[1] as { abortSignal: AbortSignal }).abortSignal);
}

async function invokeTimed(body: Record<string, unknown>): Promise<{ response: CapturedResponse; elapsedMs: number }> {
  const startedAt = Date.now();
  const response = await harness.invoke(body, { remainingTimeMs: FUNCTION_TIME_MS });
  return { response, elapsedMs: Date.now() - startedAt };
}

function terminalEvents(response: CapturedResponse): string[] {
  return response.events.map((streamed) => streamed.event).filter((name) => name === 'done' || name === 'error');
}

describe('a dependency that never answers', () => {
  beforeEach(() => harness.limits(SHORT_LIMITS));

  it('reading the agent definition: 503 with Retry-After before the function times out, the read aborted', async () => {
    await harness.putAgent(plainAgent);
    const signals = hangDynamoDb(GetCommand);

    const { response, elapsedMs } = await invokeTimed({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(elapsedMs).toBeLessThan(FUNCTION_TIME_MS);
    expect(response.statusCode).toBe(503);
    expect(response.metadata?.headers['Retry-After']).toBe(String(RETRY_AFTER_SECONDS));
    expect(response.json()).toEqual({ error: { type: 'ServiceUnavailable', message: expect.any(String) } });
    expect(signals.map((signal) => signal.aborted)).toEqual([true]);
    expect(harness.awsCallCount().bedrock).toBe(0);
  });

  it("reading the session's history: 503 with Retry-After, no model call, the read aborted", async () => {
    await harness.putAgent(plainAgent);
    const signals = hangDynamoDb(QueryCommand);

    const { response, elapsedMs } = await invokeTimed({
      agentId: 'plain',
      userId: 'u-1',
      sessionId: 'hung-read',
      message: 'Hi',
    });

    expect(elapsedMs).toBeLessThan(FUNCTION_TIME_MS);
    expect(response.statusCode).toBe(503);
    expect(response.metadata?.headers['Retry-After']).toBe(String(RETRY_AFTER_SECONDS));
    expect(signals.map((signal) => signal.aborted)).toEqual([true]);
    expect(harness.awsCallCount().bedrock).toBe(0);
  });

  it('the new-session retrieval: the model is told memory is unavailable and the turn answers', async () => {
    await harness.putAgent(memoryAgent());
    harness.agentCore.on(RetrieveMemoryRecordsCommand).callsFake(() => new Promise(() => undefined));
    harness.modelReplies(textReply('Hello'));

    const { response, elapsedMs } = await invokeTimed({ agentId: 'default', userId: 'u-1', message: 'Hi' });

    expect(elapsedMs).toBeLessThan(FUNCTION_TIME_MS);
    expect(terminalEvents(response)).toEqual(['done']);
    expect(signalsOf(harness.agentCore, RetrieveMemoryRecordsCommand).every((signal) => signal.aborted)).toBe(true);
  });

  it('the model call: a retryable Timeout error before the function times out, the call aborted', async () => {
    await harness.putAgent(plainAgent);
    harness.bedrock.on(ConverseStreamCommand).callsFake(() => new Promise(() => undefined));

    const { response, elapsedMs } = await invokeTimed({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(elapsedMs).toBeLessThan(FUNCTION_TIME_MS);
    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'error']);
    expect(response.events[1].data).toEqual({ type: 'Timeout', message: expect.any(String), retryable: true });
    expect(signalsOf(harness.bedrock, ConverseStreamCommand).map((signal) => signal.aborted)).toEqual([true]);
    expect(response.finished).toBe(true);
  });

  it('a record: the model is never told "saved", the write is aborted, and the turn ends with done', async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, persist_conversation: false } }),
    );
    harness.agentCore.on(CreateEventCommand).callsFake(() => new Promise(() => undefined));
    harness.modelReplies(
      toolUseReply([{ toolUseId: 'r1', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'record', content: 'x' } }]),
      textReply('I could not confirm that.'),
    );

    const { response, elapsedMs } = await invokeTimed({
      agentId: 'default',
      userId: 'u-1',
      sessionId: 'hung-record',
      message: 'Remember x',
    });

    expect(elapsedMs).toBeLessThan(FUNCTION_TIME_MS);
    const toolResult = harness.modelRequests[1].messages!.at(-1)!.content![0].toolResult!;
    expect(toolResult).toEqual({ toolUseId: 'r1', status: 'error', content: [{ text: RECORD_UNCONFIRMED_TEXT }] });
    expect(RECORD_UNCONFIRMED_TEXT).not.toContain(RECORD_SAVED_TEXT);
    expect(signalsOf(harness.agentCore, CreateEventCommand).map((signal) => signal.aborted)).toEqual([true]);
    expect(terminalEvents(response)).toEqual(['done']);
  });

  it.each([
    ['the owner write', UpdateCommand],
    ['the turn write', PutCommand],
  ])(
    'saving the turn (%s): a retryable HistoryNotSaved error, the write aborted before the response ended',
    async (_case, command) => {
      await harness.putAgent(plainAgent);
      harness.modelReplies(textReply('Answer'));
      const signals = hangDynamoDb(command);
      const finishedWhenAborted: boolean[] = [];
      const send = jest.spyOn(dynamoDocumentClient(), 'send') as unknown as jest.Mock;
      const hang = send.getMockImplementation()!;
      send.mockImplementation((...args: unknown[]) => {
        const result: unknown = hang(...args);
        signals.at(-1)?.addEventListener('abort', () => finishedWhenAborted.push(harness.response!.finished));
        return result;
      });

      const { response, elapsedMs } = await invokeTimed({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

      expect(elapsedMs).toBeLessThan(FUNCTION_TIME_MS);
      expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'error']);
      expect(response.events[2].data).toEqual({
        type: 'HistoryNotSaved',
        message: expect.any(String),
        retryable: true,
      });
      expect(signals.map((signal) => signal.aborted)).toEqual([true]);
      expect(finishedWhenAborted).toEqual([false]);
      expect(response.finished).toBe(true);
    },
  );

  it("persisting the turn to AgentCore: done, then the write is aborted before the response ends, inside the function's time", async () => {
    await harness.putAgent(memoryAgent());
    harness.agentCore.on(CreateEventCommand).callsFake(() => new Promise(() => undefined));
    harness.modelReplies(textReply('Answer'));
    const finishedWhenAborted: boolean[] = [];
    harness.agentCore.on(CreateEventCommand).callsFake(() => {
      const signal = signalsOf(harness.agentCore, CreateEventCommand).at(-1)!;
      signal.addEventListener('abort', () => finishedWhenAborted.push(harness.response!.finished));
      return new Promise(() => undefined);
    });

    const { response, elapsedMs } = await invokeTimed({
      agentId: 'default',
      userId: 'u-1',
      sessionId: 'hung-persist',
      message: 'Hi',
    });

    expect(elapsedMs).toBeLessThan(FUNCTION_TIME_MS);
    expect(terminalEvents(response)).toEqual(['done']);
    expect(finishedWhenAborted).toEqual([false]);
    expect(response.finished).toBe(true);
    expect(await harness.turnItems('hung-persist')).toHaveLength(1);
  });
});

describe('a dependency that fails before the stream starts', () => {
  function serviceError(name: string, fault: 'client' | 'server', statusCode: number): Error {
    return Object.assign(new Error(`${name} happened`), {
      name,
      $fault: fault,
      $metadata: { httpStatusCode: statusCode },
    });
  }

  it.each([
    ['throttled', serviceError('ProvisionedThroughputExceededException', 'client', 400)],
    ['unavailable', serviceError('InternalServerError', 'server', 500)],
    ['unreachable', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('%s: 503 with Retry-After, and no model call', async (_case, error) => {
    await harness.putAgent(plainAgent);
    const client = dynamoDocumentClient();
    const send = (Object.getPrototypeOf(client) as { send: (...args: unknown[]) => Promise<unknown> }).send;
    (jest.spyOn(client, 'send') as unknown as jest.SpyInstance).mockImplementation((sent: object, options: unknown) =>
      sent instanceof QueryCommand ? Promise.reject(error) : send.call(client, sent, options),
    );

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', sessionId: 's-1', message: 'Hi' });

    expect(response.statusCode).toBe(503);
    expect(response.metadata?.headers['Retry-After']).toBe(String(RETRY_AFTER_SECONDS));
    expect(response.json()).toEqual({ error: { type: 'ServiceUnavailable', message: expect.any(String) } });
    expect(harness.awsCallCount().bedrock).toBe(0);
  });

  it('a real failure (access denied): 500 without Retry-After', async () => {
    await harness.putAgent(plainAgent);
    const client = dynamoDocumentClient();
    const send = (Object.getPrototypeOf(client) as { send: (...args: unknown[]) => Promise<unknown> }).send;
    (jest.spyOn(client, 'send') as unknown as jest.SpyInstance).mockImplementation((sent: object, options: unknown) =>
      sent instanceof QueryCommand
        ? Promise.reject(serviceError('AccessDeniedException', 'client', 400))
        : send.call(client, sent, options),
    );

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', sessionId: 's-1', message: 'Hi' });

    expect(response.statusCode).toBe(500);
    expect(response.metadata?.headers['Retry-After']).toBeUndefined();
    expect(response.json()).toEqual({ error: { type: 'InternalError', message: expect.any(String) } });
  });
});

describe('a model stream cut off mid-answer', () => {
  it.each([
    ['ends without messageStop', endingEarlyReply('The first half', ' of it')],
    ['is reset', resetMidStreamReply('The first half of it')],
  ])(
    '%s: an error of its own type after the text, the partial answer saved marked incomplete, AgentCore given only the user message',
    async (_case, reply) => {
      await harness.putAgent(memoryAgent());
      harness.modelReplies(reply);

      const response = await harness.invoke({
        agentId: 'default',
        userId: 'u-1',
        sessionId: 'cut-1',
        message: 'Explain',
      });

      expect(response.events.map((streamed) => streamed.event)).toEqual(
        expect.arrayContaining(['session', 'delta', 'error']),
      );
      expect(response.events.at(-1)).toEqual({
        event: 'error',
        data: { type: MODEL_STREAM_TRUNCATED, message: expect.any(String), retryable: true },
      });
      expect(response.answer).toBe('The first half of it');
      expect(await harness.turnItems('cut-1')).toEqual([
        expect.objectContaining({
          user_message: 'Explain',
          assistant_message: 'The first half of it',
          stop_reason: 'error',
          incomplete: true,
        }),
      ]);
      expect(harness.createEventCalls().map((call) => call.payload)).toEqual([
        [{ conversational: { role: 'USER', content: { text: 'Explain' } } }],
      ]);
    },
  );

  it('a finished answer is stored without the incomplete mark and goes to AgentCore with the user message', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Whole answer'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 'whole-1', message: 'Explain' });

    const [turn] = await harness.turnItems('whole-1');
    expect(turn).toEqual(expect.objectContaining({ assistant_message: 'Whole answer', stop_reason: 'end_turn' }));
    expect(turn).not.toHaveProperty('incomplete');
    expect(harness.createEventCalls().map((call) => call.payload)).toEqual([
      [
        { conversational: { role: 'USER', content: { text: 'Explain' } } },
        { conversational: { role: 'ASSISTANT', content: { text: 'Whole answer' } } },
      ],
    ]);
  });
});
