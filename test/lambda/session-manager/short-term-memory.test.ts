import { createHash } from 'node:crypto';
import {
  BedrockAgentCoreClient,
  CreateEventCommand,
  type CreateEventCommandInput,
  type PayloadType,
} from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AgentCoreMemorySessionManager,
  type ConversationMessage,
  withSessionManager,
} from '../../../lambda/session-manager/index.js';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

function text(role: 'user' | 'assistant', value: string): ConversationMessage {
  return { role, content: [{ text: value }] };
}

function conversational(role: 'USER' | 'ASSISTANT', value: string): PayloadType {
  return { conversational: { role, content: { text: value } } };
}

function createEventInputs(): CreateEventCommandInput[] {
  return agentCore.commandCalls(CreateEventCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  agentCore.reset();
  agentCore.on(CreateEventCommand).resolves({});
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => jest.restoreAllMocks());

describe('CreateEvent input', () => {
  test('a user message is sent with the ids, a millisecond timestamp, a USER conversational payload and a sha256 clientToken', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);

    await sessionManager.appendMessage(text('user', 'I like sushi with tuna'));

    const payload = [conversational('USER', 'I like sushi with tuna')];
    const expectedToken = createHash('sha256')
      .update(JSON.stringify([owner.memoryId, owner.actorId, owner.sessionId, new Date(NOW).toISOString(), payload]))
      .digest('hex');
    expect(createEventInputs()).toEqual([
      {
        memoryId: 'mem-1234567890',
        actorId: 'actor-1',
        sessionId: 'session-1',
        eventTimestamp: new Date(NOW),
        payload,
        clientToken: expectedToken,
      },
    ]);
  });

  test('an assistant message is stored with the ASSISTANT role', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);

    await sessionManager.appendMessage(text('assistant', 'Try the tuna nigiri.'));

    expect(createEventInputs()[0].payload).toEqual([conversational('ASSISTANT', 'Try the tuna nigiri.')]);
  });

  test('the converse turn (batchSize 100, user and assistant, flush) is exactly one CreateEvent, user first', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 100 });

    await sessionManager.appendMessage(text('user', 'What should I buy for lunch?'));
    await sessionManager.appendMessage(text('assistant', 'Sushi with tuna.'));
    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(0);
    await sessionManager.flush();

    expect(createEventInputs()).toHaveLength(1);
    expect(createEventInputs()[0].payload).toEqual([
      conversational('USER', 'What should I buy for lunch?'),
      conversational('ASSISTANT', 'Sushi with tuna.'),
    ]);
  });

  test('a tool use message is stored as an envelope blob, not as conversational text', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);

    await sessionManager.appendMessage({
      role: 'assistant',
      content: [
        { toolUse: { toolUseId: 't-1', name: 'agent_core_memory', input: { action: 'retrieve', query: 'lunch' } } },
      ],
    });

    const [item] = createEventInputs()[0].payload!;
    expect(item.conversational).toBeUndefined();
    expect(JSON.parse(item.blob as string)).toMatchObject({ agentcoreSessionMessage: 1, part: 0, parts: 1 });
  });
});

describe('batching', () => {
  test('batchSize 1 sends every message at once, one event each, in order', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 1 });

    for (const value of ['a', 'b', 'c']) await sessionManager.appendMessage(text('user', value));

    expect(createEventInputs().map((input) => input.payload)).toEqual([
      [conversational('USER', 'a')],
      [conversational('USER', 'b')],
      [conversational('USER', 'c')],
    ]);
    expect(sessionManager.pendingMessageCount()).toBe(0);
  });

  test('batchSize 3 sends one event when the third message arrives and keeps the rest pending', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 3 });

    for (const value of ['1', '2']) await sessionManager.appendMessage(text('user', value));
    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(0);
    expect(sessionManager.pendingMessageCount()).toBe(2);

    await sessionManager.appendMessage(text('assistant', '3'));
    expect(createEventInputs().map((input) => input.payload)).toEqual([
      [conversational('USER', '1'), conversational('USER', '2'), conversational('ASSISTANT', '3')],
    ]);

    for (const value of ['4', '5']) await sessionManager.appendMessage(text('user', value));
    expect(sessionManager.pendingMessageCount()).toBe(2);
    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(1);

    await sessionManager.close();
    expect(createEventInputs()[1].payload).toEqual([conversational('USER', '4'), conversational('USER', '5')]);
    expect(sessionManager.pendingMessageCount()).toBe(0);
  });

  test('batchSize 100 sends 250 messages as three events of 100, 100 and 50 items in order', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 100 });
    const values = Array.from({ length: 250 }, (_, index) => `message ${index}`);

    for (const value of values) await sessionManager.appendMessage(text('user', value));
    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(2);
    await sessionManager.flush();

    const payloads = createEventInputs().map((input) => input.payload!);
    expect(payloads.map((payload) => payload.length)).toEqual([100, 100, 50]);
    expect(payloads.flat().map((item) => item.conversational?.content?.text)).toEqual(values);
  });

  test('a flush whose messages need more than 100 items is split into events of at most 100 items', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 100 });
    // Over 2.5 million characters of JSON: an envelope of 101+ chunks, spanning two events.
    await sessionManager.appendMessage(text('user', 'x'.repeat(2_600_000)));
    await sessionManager.flush();

    const payloads = createEventInputs().map((input) => input.payload!);
    expect(payloads.length).toBe(2);
    expect(payloads[0]).toHaveLength(100);
    expect(payloads.every((payload) => payload.length <= 100)).toBe(true);
  });

  test('flushes called together send the pending messages once', async () => {
    agentCore.on(CreateEventCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({}), 5)));
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 10 });
    await sessionManager.appendMessage(text('user', 'once'));

    await Promise.all([sessionManager.flush(), sessionManager.flush(), sessionManager.close()]);

    expect(createEventInputs().map((input) => input.payload)).toEqual([[conversational('USER', 'once')]]);
  });

  test('flush with nothing pending sends nothing', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 10 });

    await sessionManager.flush();

    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(0);
  });
});

describe('flushing at the end of a scope', () => {
  test('close() sends the buffered messages', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 10 });
    await sessionManager.appendMessage(text('user', 'Hello!'));

    await sessionManager.close();

    expect(createEventInputs().map((input) => input.payload)).toEqual([[conversational('USER', 'Hello!')]]);
  });

  test('leaving an `await using` block sends the buffered messages', async () => {
    {
      await using sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 10 });
      await sessionManager.appendMessage(text('user', 'Tell me about Python.'));
      expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(0);
    }

    expect(createEventInputs().map((input) => input.payload)).toEqual([
      [conversational('USER', 'Tell me about Python.')],
    ]);
  });

  test('leaving an `await using` block by an exception still sends the buffered messages', async () => {
    const failingScope = async (): Promise<void> => {
      await using sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 10 });
      await sessionManager.appendMessage(text('user', 'before the failure'));
      throw new Error('agent failed');
    };

    await expect(failingScope()).rejects.toThrow('agent failed');
    expect(createEventInputs().map((input) => input.payload)).toEqual([[conversational('USER', 'before the failure')]]);
  });

  test('withSessionManager flushes when its function throws, and rethrows that error', async () => {
    await expect(
      withSessionManager({ ...owner, batchSize: 10 }, async (sessionManager) => {
        await sessionManager.appendMessage(text('user', 'kept'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    expect(createEventInputs().map((input) => input.payload)).toEqual([[conversational('USER', 'kept')]]);
  });

  test('withSessionManager returns the function result after flushing', async () => {
    const result = await withSessionManager({ ...owner, batchSize: 10 }, async (sessionManager) => {
      await sessionManager.appendMessage(text('user', 'hi'));
      return sessionManager.pendingMessageCount();
    });

    expect(result).toBe(1);
    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(1);
  });
});

describe('a failed flush', () => {
  test('keeps every message in order, rethrows, and the next flush sends them once under the same token', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 10 });
    await sessionManager.appendMessage(text('user', 'one'));
    await sessionManager.appendMessage(text('assistant', 'two'));
    agentCore.on(CreateEventCommand).rejectsOnce(new Error('network down')).resolves({});

    await expect(sessionManager.flush()).rejects.toThrow('network down');
    expect(sessionManager.pendingMessageCount()).toBe(2);

    await sessionManager.appendMessage(text('user', 'three'));
    await sessionManager.flush();
    await sessionManager.flush();

    const inputs = createEventInputs();
    expect(inputs).toHaveLength(3);
    expect(inputs[1]).toEqual(inputs[0]);
    expect(inputs.slice(1).map((input) => input.payload)).toEqual([
      [conversational('USER', 'one'), conversational('ASSISTANT', 'two')],
      [conversational('USER', 'three')],
    ]);
    expect(sessionManager.pendingMessageCount()).toBe(0);
  });

  test('with batchSize 1, appendMessage rejects and the message goes before the next one', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);
    agentCore.on(CreateEventCommand).rejectsOnce(new Error('throttled')).resolves({});

    await expect(sessionManager.appendMessage(text('user', 'first'))).rejects.toThrow('throttled');
    expect(sessionManager.pendingMessageCount()).toBe(1);
    await sessionManager.appendMessage(text('user', 'second'));

    expect(createEventInputs().map((input) => input.payload)).toEqual([
      [conversational('USER', 'first')],
      [conversational('USER', 'first')],
      [conversational('USER', 'second')],
    ]);
    expect(sessionManager.pendingMessageCount()).toBe(0);
  });

  test('when the second of two events fails, the retry resends only the second', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 10 });
    await sessionManager.appendMessage(text('user', 'short'));
    // An envelope of more than 100 chunks: with the short message, events of 100 and 6 items.
    await sessionManager.appendMessage(text('assistant', 'y'.repeat(2_600_000)));
    agentCore.on(CreateEventCommand).resolvesOnce({}).rejectsOnce(new Error('timeout')).resolves({});

    await expect(sessionManager.flush()).rejects.toThrow('timeout');
    expect(sessionManager.pendingMessageCount()).toBe(1);
    await sessionManager.flush();

    const inputs = createEventInputs();
    expect(inputs.map((input) => input.payload!.length)).toEqual([100, 6, 6]);
    expect(inputs[2]).toEqual(inputs[1]);
    expect(sessionManager.pendingMessageCount()).toBe(0);
  });
});

describe('an aborted flush', () => {
  test('sends the abort signal with the CreateEvent, rejects, and keeps the message for the next flush', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 10 });
    await sessionManager.appendMessage(text('user', 'remember this'));
    const abort = new AbortController();
    agentCore
      .on(CreateEventCommand)
      .rejectsOnce(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))
      .resolves({});

    await expect(sessionManager.flush({ abortSignal: abort.signal })).rejects.toThrow('Request aborted');
    expect(sessionManager.pendingMessageCount()).toBe(1);
    await sessionManager.flush();

    const calls = agentCore.commandCalls(CreateEventCommand);
    expect((calls[0].args as unknown[])[1]).toEqual({ abortSignal: abort.signal });
    expect(calls[1].args[0].input).toEqual(calls[0].args[0].input);
    expect(sessionManager.pendingMessageCount()).toBe(0);
  });
});

describe('clientToken', () => {
  test('the same buffer gives the same token in a new manager; a different payload or timestamp a different one', async () => {
    const tokenFor = async (value: string, now: number): Promise<string> => {
      jest.spyOn(Date, 'now').mockReturnValue(now);
      agentCore.resetHistory();
      await new AgentCoreMemorySessionManager(owner).appendMessage(text('user', value));
      return createEventInputs()[0].clientToken!;
    };

    const token = await tokenFor('same', NOW);
    expect(await tokenFor('same', NOW)).toBe(token);
    expect(await tokenFor('other', NOW)).not.toBe(token);
    expect(await tokenFor('same', NOW + 1)).not.toBe(token);
  });

  test('two sessions of the same content get different tokens', async () => {
    await new AgentCoreMemorySessionManager(owner).appendMessage(text('user', 'same'));
    await new AgentCoreMemorySessionManager({ ...owner, sessionId: 'session-2' }).appendMessage(text('user', 'same'));

    const [first, second] = createEventInputs();
    expect(first.clientToken).not.toBe(second.clientToken);
  });
});

describe('event timestamps', () => {
  test('messages appended in the same millisecond get strictly increasing event timestamps', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);

    for (const value of ['a', 'b', 'c']) await sessionManager.appendMessage(text('user', value));

    expect(createEventInputs().map((input) => input.eventTimestamp!.getTime())).toEqual([NOW, NOW + 1, NOW + 2]);
  });

  test('a batch is stamped with the time of its first message and the next batch comes later', async () => {
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, batchSize: 2 });

    for (const value of ['a', 'b', 'c', 'd']) await sessionManager.appendMessage(text('user', value));

    expect(createEventInputs().map((input) => input.eventTimestamp!.getTime())).toEqual([NOW, NOW + 2]);
  });

  test('the two events of one message too large for a single event get different timestamps', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);

    await sessionManager.appendMessage(text('user', 'x'.repeat(2_600_000)));

    expect(createEventInputs().map((input) => input.eventTimestamp!.getTime())).toEqual([NOW, NOW + 1]);
  });

  test('a clock that goes backwards does not reorder events', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);
    await sessionManager.appendMessage(text('user', 'a'));
    jest.spyOn(Date, 'now').mockReturnValue(NOW - 5000);
    await sessionManager.appendMessage(text('user', 'b'));

    expect(createEventInputs().map((input) => input.eventTimestamp!.getTime())).toEqual([NOW, NOW + 1]);
  });
});

describe('appendMessage input', () => {
  test('rejects a message whose role is not user or assistant, storing nothing', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);

    await expect(
      sessionManager.appendMessage({ role: 'system', content: [{ text: 'x' }] } as unknown as ConversationMessage),
    ).rejects.toThrow("message.role must be 'user' or 'assistant'");
    expect(sessionManager.pendingMessageCount()).toBe(0);
    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(0);
  });

  test.each(['native', 'strands-python'] as const)(
    'a message with no content, or only blank text, is not stored (%s format)',
    async (messageFormat) => {
      const sessionManager = new AgentCoreMemorySessionManager({ ...owner, messageFormat });

      await sessionManager.appendMessage({ role: 'assistant', content: [] });
      await sessionManager.appendMessage({ role: 'user', content: [{ text: '' }, { text: ' \n' }] });

      expect(sessionManager.pendingMessageCount()).toBe(0);
      expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(0);
    },
  );

  test('blank text blocks are left out of what is stored; the other blocks keep their order', async () => {
    const sessionManager = new AgentCoreMemorySessionManager(owner);
    const toolUse = { toolUse: { toolUseId: 't', name: 'n', input: {} } };

    await sessionManager.appendMessage({ role: 'assistant', content: [{ text: ' ' }, { text: 'Checking.' }] });
    await sessionManager.appendMessage({ role: 'assistant', content: [{ text: '' }, toolUse, { text: '  ' }] });

    expect(createEventInputs()[0].payload).toEqual([conversational('ASSISTANT', 'Checking.')]);
    const chunk = JSON.parse(createEventInputs()[1].payload![0].blob as string) as { data: string };
    expect(JSON.parse(chunk.data)).toEqual({ role: 'assistant', content: [toolUse] });
  });
});

describe('registerAgent', () => {
  test('a second, different agent is warned about; the first agent registering again is not', () => {
    const logger = { warn: jest.fn() };
    const sessionManager = new AgentCoreMemorySessionManager({ ...owner, logger });

    sessionManager.registerAgent('planner');
    sessionManager.registerAgent('planner');
    expect(logger.warn).not.toHaveBeenCalled();

    sessionManager.registerAgent('writer');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(/one agent per session/);
    expect(logger.warn.mock.calls[0][1]).toMatchObject({ registeredAgent: 'planner', newAgent: 'writer' });
  });
});
