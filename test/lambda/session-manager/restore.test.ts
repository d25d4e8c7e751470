import {
  BedrockAgentCoreClient,
  CreateEventCommand,
  type Event,
  ListEventsCommand,
  type ListEventsCommandInput,
  type PayloadType,
} from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemorySessionManager, type ConversationMessage } from '../../../lambda/session-manager/index.js';
import { installFakeMemory } from './fake-memory.js';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;

function text(role: 'user' | 'assistant', value: string): ConversationMessage {
  return { role, content: [{ text: value }] };
}

function storedEvent(timestampMs: number, payload: PayloadType[]): Event {
  return {
    memoryId: owner.memoryId,
    actorId: owner.actorId,
    sessionId: owner.sessionId,
    eventId: `e-${timestampMs}`,
    eventTimestamp: new Date(timestampMs),
    payload,
  };
}

function listInputs(): ListEventsCommandInput[] {
  return agentCore.commandCalls(ListEventsCommand).map((call) => call.args[0].input);
}

beforeEach(() => agentCore.reset());

describe('ListEvents input and paging', () => {
  test('pages with includePayloads and maxResults 100 until there is no nextToken, and returns oldest first', async () => {
    agentCore
      .on(ListEventsCommand)
      .resolvesOnce({
        events: [
          storedEvent(4000, [{ conversational: { role: 'ASSISTANT', content: { text: 'four' } } }]),
          storedEvent(3000, [{ conversational: { role: 'USER', content: { text: 'three' } } }]),
        ],
        nextToken: 'page-2',
      })
      .resolvesOnce({
        events: [
          storedEvent(2000, [{ conversational: { role: 'ASSISTANT', content: { text: 'two' } } }]),
          storedEvent(1000, [{ conversational: { role: 'USER', content: { text: 'one' } } }]),
        ],
      });
    const sessionManager = new AgentCoreMemorySessionManager(owner);

    const messages = await sessionManager.listMessages();

    expect(listInputs()).toEqual([
      {
        memoryId: owner.memoryId,
        actorId: owner.actorId,
        sessionId: owner.sessionId,
        includePayloads: true,
        maxResults: 100,
      },
      {
        memoryId: owner.memoryId,
        actorId: owner.actorId,
        sessionId: owner.sessionId,
        includePayloads: true,
        maxResults: 100,
        nextToken: 'page-2',
      },
    ]);
    expect(messages).toEqual([
      text('user', 'one'),
      text('assistant', 'two'),
      text('user', 'three'),
      text('assistant', 'four'),
    ]);
  });

  test('payload order within an event is kept', async () => {
    agentCore.on(ListEventsCommand).resolves({
      events: [
        storedEvent(2000, [
          { conversational: { role: 'USER', content: { text: 'c' } } },
          { conversational: { role: 'ASSISTANT', content: { text: 'd' } } },
        ]),
        storedEvent(1000, [
          { conversational: { role: 'USER', content: { text: 'a' } } },
          { conversational: { role: 'ASSISTANT', content: { text: 'b' } } },
        ]),
      ],
    });

    const messages = await new AgentCoreMemorySessionManager(owner).restore();

    expect(messages.map((message) => message.content![0].text)).toEqual(['a', 'b', 'c', 'd']);
  });

  test("events of the same millisecond keep the reverse of the service's newest-first order", async () => {
    agentCore.on(ListEventsCommand).resolves({
      events: [
        storedEvent(2000, [{ conversational: { role: 'ASSISTANT', content: { text: 'later' } } }]),
        storedEvent(1000, [{ conversational: { role: 'ASSISTANT', content: { text: 'second' } } }]),
        storedEvent(1000, [{ conversational: { role: 'USER', content: { text: 'first' } } }]),
      ],
    });

    const messages = await new AgentCoreMemorySessionManager(owner).listMessages();

    expect(messages.map((message) => message.content![0].text)).toEqual(['first', 'second', 'later']);
  });

  test('an empty session restores as no messages', async () => {
    agentCore.on(ListEventsCommand).resolves({ events: [] });

    await expect(new AgentCoreMemorySessionManager(owner).listMessages()).resolves.toEqual([]);
  });
});

describe('round trip through the service', () => {
  beforeEach(() => installFakeMemory(agentCore));

  test('batched events across several ListEvents pages restore in append order', async () => {
    const writer = new AgentCoreMemorySessionManager({ ...owner, batchSize: 3 });
    const appended = Array.from({ length: 320 }, (_, index) =>
      text(index % 2 === 0 ? 'user' : 'assistant', `m${index}`),
    );
    for (const message of appended) await writer.appendMessage(message);
    await writer.close();

    const restored = await new AgentCoreMemorySessionManager(owner).listMessages();

    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(107);
    expect(agentCore.commandCalls(ListEventsCommand)).toHaveLength(2);
    expect(restored).toEqual(appended);
  });

  test('tool use and tool result messages, with JSON and bytes, restore intact', async () => {
    const conversation: ConversationMessage[] = [
      text('user', 'What do I like?'),
      {
        role: 'assistant',
        content: [
          { text: 'Let me check.' },
          {
            toolUse: { toolUseId: 'tool-1', name: 'agent_core_memory', input: { action: 'retrieve', query: 'likes' } },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            toolResult: {
              toolUseId: 'tool-1',
              content: [{ json: { records: ['likes sushi'], $bytes: 'not bytes' } }, { text: 'done' }],
              status: 'success',
            },
          },
        ],
      },
      {
        role: 'user',
        content: [{ image: { format: 'png', source: { bytes: new Uint8Array([137, 80, 78, 71, 0, 255]) } } }],
      },
      text('assistant', 'You like sushi.'),
    ];
    const writer = new AgentCoreMemorySessionManager({ ...owner, batchSize: 100 });
    for (const message of conversation) await writer.appendMessage(message);
    await writer.flush();

    const restored = await new AgentCoreMemorySessionManager(owner).listMessages();

    expect(restored).toEqual(conversation);
    expect((restored[3].content![0].image!.source as { bytes: Uint8Array }).bytes).toBeInstanceOf(Uint8Array);
  });

  test('a tool input holding -0 restores as -0 (the round-trip property counterexample, seed 11)', async () => {
    const toolUse: ConversationMessage = {
      role: 'user',
      content: [{ toolUse: { toolUseId: ' ', name: ' ', input: { '': -0 } } }],
    };
    const writer = new AgentCoreMemorySessionManager(owner);
    await writer.appendMessage(toolUse);

    const [restored] = await new AgentCoreMemorySessionManager(owner).listMessages();

    expect(restored).toEqual(toolUse);
    expect(Object.is((restored.content![0].toolUse!.input as Record<string, number>)[''], -0)).toBe(true);
  });

  test('a text message over 100,000 characters is accepted by the service and restores intact', async () => {
    const oversized = text('user', `${'🍣 tuna "quoted" \\ '.repeat(20_000)}end`);
    expect(oversized.content![0].text!.length).toBeGreaterThan(100_000);
    const writer = new AgentCoreMemorySessionManager(owner);

    await writer.appendMessage(oversized);
    await writer.appendMessage(text('assistant', 'That was long.'));

    const items = agentCore.commandCalls(CreateEventCommand)[0].args[0].input.payload!;
    expect(items.length).toBeGreaterThan(1);
    expect(items.every((item) => item.blob !== undefined && (item.blob as string).length < 100_000)).toBe(true);
    await expect(new AgentCoreMemorySessionManager(owner).listMessages()).resolves.toEqual([
      oversized,
      text('assistant', 'That was long.'),
    ]);
  });

  test('a message whose envelope needs more than 100 items spans two events and restores intact', async () => {
    const huge = text('assistant', 'h'.repeat(2_600_000));
    const writer = new AgentCoreMemorySessionManager({ ...owner, batchSize: 3 });
    await writer.appendMessage(text('user', 'before'));
    await writer.appendMessage(huge);
    await writer.appendMessage(text('user', 'after'));

    expect(agentCore.commandCalls(CreateEventCommand).map((call) => call.args[0].input.payload!.length)).toEqual([
      100, 7,
    ]);
    await expect(new AgentCoreMemorySessionManager(owner).listMessages()).resolves.toEqual([
      text('user', 'before'),
      huge,
      text('user', 'after'),
    ]);
  });

  test('a text of exactly 100,000 characters is stored as conversational text', async () => {
    const largest = text('user', 'z'.repeat(100_000));
    const writer = new AgentCoreMemorySessionManager(owner);

    await writer.appendMessage(largest);

    expect(agentCore.commandCalls(CreateEventCommand)[0].args[0].input.payload).toEqual([
      { conversational: { role: 'USER', content: { text: largest.content![0].text } } },
    ]);
    await expect(new AgentCoreMemorySessionManager(owner).listMessages()).resolves.toEqual([largest]);
  });

  test('a flush retried after the service stored the event but the response was lost stores it once', async () => {
    const memory = installFakeMemory(agentCore);
    const writer = new AgentCoreMemorySessionManager({ ...owner, batchSize: 10 });
    await writer.appendMessage(text('user', 'once'));
    memory.loseNextResponses(1);

    await expect(writer.flush()).rejects.toThrow('response lost');
    await writer.flush();

    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(2);
    expect(memory.events).toHaveLength(1);
    await expect(new AgentCoreMemorySessionManager(owner).listMessages()).resolves.toEqual([text('user', 'once')]);
  });
});

describe('stored items restore cannot read', () => {
  test('are skipped with a warning, and the readable messages around them are returned', async () => {
    agentCore.on(ListEventsCommand).resolves({
      events: [
        storedEvent(2000, [
          { blob: 'plain text from another writer' },
          { json: { content: { kind: 'activity' } } },
          { conversational: { role: 'TOOL', content: { text: 'tool output' } } },
        ]),
        storedEvent(1000, [
          { conversational: { role: 'USER', content: { text: 'hi' } } },
          {
            blob: JSON.stringify({
              agentcoreSessionMessage: 1,
              id: 'lost',
              part: 0,
              parts: 2,
              data: '{"role":"user",',
            }),
          },
        ]),
      ],
    });
    const logger = { warn: jest.fn() };

    const messages = await new AgentCoreMemorySessionManager({ ...owner, logger }).listMessages();

    expect(messages).toEqual([text('user', 'hi'), text('user', 'tool output')]);
    expect(logger.warn).toHaveBeenCalledTimes(3);
    expect(logger.warn.mock.calls.map((call) => call[1].reason)).toEqual([
      'blob item that is not a session message envelope',
      'json item that is not a session message envelope',
      'envelope lost has 1 of 2 parts',
    ]);
  });
});
