/**
 * Sessions shared with the Python AgentCore Memory session manager for Strands. Fixtures are
 * events as that manager writes them, and Python-format writes are read with its converter's
 * rules (see `python-session-manager.ts`). Session and agent state live in events marked by
 * metadata `stateType` (`SESSION`; `AGENT` with `agentId`), found with a metadata filter and
 * maxResults 1, read as the first payload item's blob; a Python agent restores messages only
 * when both exist.
 */
import {
  BedrockAgentCoreClient,
  CreateEventCommand,
  type Event,
  type EventMetadataFilterExpression,
  ListEventsCommand,
  type PayloadType,
} from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemorySessionManager, type ConversationMessage } from '../../../lambda/session-manager/index.js';
import { installFakeMemory } from './fake-memory.js';
import { pythonItem, pythonJsonDumps, pythonRestore } from './python-session-manager.js';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function event(eventTimestampMs: number, payload: PayloadType[], metadata?: Event['metadata']): Event {
  return {
    ...owner,
    eventId: `0000001756147154000#${eventTimestampMs}`,
    eventTimestamp: new Date(eventTimestampMs),
    payload,
    ...(metadata !== undefined && { metadata }),
  };
}

/** What Python's `read_session` / `read_agent` find: the newest event matching the filter. */
async function pythonReadState(filter: EventMetadataFilterExpression[]): Promise<Record<string, unknown> | undefined> {
  const { events } = await new BedrockAgentCoreClient({}).send(
    new ListEventsCommand({ ...owner, maxResults: 1, includePayloads: true, filter: { eventMetadata: filter } }),
  );
  const found = events?.[0];
  return found === undefined ? undefined : (JSON.parse(found.payload![0].blob as string) as Record<string, unknown>);
}

function stateTypeIs(value: string, agentId?: string): EventMetadataFilterExpression[] {
  const is = (key: string, expected: string): EventMetadataFilterExpression => ({
    left: { metadataKey: key },
    operator: 'EQUALS_TO',
    right: { metadataValue: { stringValue: expected } },
  });
  return agentId === undefined ? [is('stateType', value)] : [is('stateType', value), is('agentId', agentId)];
}

async function storedEventsNewestFirst(): Promise<Event[]> {
  const { events } = await new BedrockAgentCoreClient({}).send(
    new ListEventsCommand({ ...owner, includePayloads: true, maxResults: 100 }),
  );
  return events ?? [];
}

const toolUse: ConversationMessage = {
  role: 'assistant',
  content: [
    { text: 'Let me check the weather.' },
    { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Zürich', days: 2 } } },
  ],
};
const toolResult: ConversationMessage = {
  role: 'user',
  content: [
    {
      toolResult: {
        toolUseId: 'tooluse_1',
        status: 'success',
        content: [{ json: { forecast: ['sunny', 'rain'] } }, { text: '18°C' }],
      },
    },
  ],
};
const imageMessage: ConversationMessage = {
  role: 'user',
  content: [{ text: 'What is in this picture?' }, { image: { format: 'png', source: { bytes: PNG } } }],
};

describe('restoring a session the Python manager wrote', () => {
  const warn = jest.fn();
  let memory: ReturnType<typeof installFakeMemory>;

  beforeEach(() => {
    agentCore.reset();
    warn.mockReset();
    memory = installFakeMemory(agentCore);
  });

  function storeFixture(events: Event[]): void {
    // Copied through JSON, as the service holds them.
    for (const stored of events) memory.events.push(JSON.parse(JSON.stringify(stored), reviveDates) as Event);
  }

  test('yields the same messages in order: text, tool use and result, bytes, batched events, a blob, a redaction', async () => {
    const long: ConversationMessage = { role: 'assistant', content: [{ text: 'x'.repeat(120_000) }] };
    const redacted: ConversationMessage = { role: 'user', content: [{ text: 'my card is 4111 1111 1111 1111' }] };
    const redaction: ConversationMessage = { role: 'user', content: [{ text: '[User input redacted.]' }] };
    storeFixture([
      event(1000, [{ blob: pythonJsonDumps({ session_id: 'session-1', session_type: 'AGENT' }) }], {
        stateType: { stringValue: 'SESSION' },
      }),
      event(1001, [{ blob: pythonJsonDumps({ agent_id: 'default', state: {}, conversation_manager_state: {} }) }], {
        stateType: { stringValue: 'AGENT' },
        agentId: { stringValue: 'default' },
      }),
      event(2000, [pythonItem({ role: 'user', content: [{ text: 'What is the weather in Zürich? 🌦' }] })]),
      event(3000, [pythonItem(toolUse)]),
      event(4000, [pythonItem(toolResult), pythonItem({ role: 'assistant', content: [{ text: 'Sunny, 18°C.' }] })]),
      event(5000, [pythonItem(imageMessage)]),
      event(6000, [pythonItem(long)]),
      event(7000, [pythonItem(redacted, redaction)]),
    ]);
    expect(memory.events[6].payload![0].blob).toBeDefined();

    const restored = await new AgentCoreMemorySessionManager({ ...owner, logger: { warn } }).listMessages();

    expect(restored).toEqual([
      { role: 'user', content: [{ text: 'What is the weather in Zürich? 🌦' }] },
      toolUse,
      toolResult,
      { role: 'assistant', content: [{ text: 'Sunny, 18°C.' }] },
      imageMessage,
      long,
      redaction,
    ]);
    expect(restored).toEqual(pythonRestore(await storedEventsNewestFirst()));
    expect(warn).not.toHaveBeenCalled();
  });

  test('drops blank text blocks and skips a message left with no content, as the Python converter does', async () => {
    storeFixture([
      event(1000, [pythonItem({ role: 'user', content: [{ text: '  ' }, { text: 'Hi' }, { text: '' }] })]),
      event(2000, [pythonItem({ role: 'assistant', content: [{ text: ' \n ' }] })]),
      event(3000, [pythonItem({ role: 'assistant', content: [{ text: '' }, toolUse.content![1]] })]),
    ]);

    const restored = await new AgentCoreMemorySessionManager({ ...owner, logger: { warn } }).listMessages();

    expect(restored).toEqual([
      { role: 'user', content: [{ text: 'Hi' }] },
      { role: 'assistant', content: [toolUse.content![1]] },
    ]);
    expect(restored).toEqual(pythonRestore(await storedEventsNewestFirst()));
  });

  test('a plain text conversational item (another writer) still restores as text, beside Python messages', async () => {
    storeFixture([
      event(1000, [{ conversational: { role: 'USER', content: { text: '{"not": "a session message"}' } } }]),
      event(2000, [pythonItem({ role: 'assistant', content: [{ text: 'Hello' }] })]),
    ]);

    const restored = await new AgentCoreMemorySessionManager({ ...owner, logger: { warn } }).listMessages();

    expect(restored).toEqual([
      { role: 'user', content: [{ text: '{"not": "a session message"}' }] },
      { role: 'assistant', content: [{ text: 'Hello' }] },
    ]);
  });
});

describe("messageFormat 'strands-python'", () => {
  const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

  beforeEach(() => {
    agentCore.reset();
    installFakeMemory(agentCore);
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });

  afterEach(() => jest.restoreAllMocks());

  function sentPayloads(): PayloadType[][] {
    return agentCore.commandCalls(CreateEventCommand).map((call) => call.args[0].input.payload!);
  }

  test.each([1, 3])(
    'writes one item per message that the Python converter reads back exactly (batchSize %i)',
    async (batchSize) => {
      const messages: ConversationMessage[] = [
        { role: 'user', content: [{ text: 'What is the weather in Zürich? 🌦' }] },
        toolUse,
        toolResult,
        { role: 'assistant', content: [{ text: 'Sunny, 18°C.' }] },
        imageMessage,
      ];
      const writer = new AgentCoreMemorySessionManager({ ...owner, batchSize, messageFormat: 'strands-python' });

      for (const message of messages) await writer.appendMessage(message);
      await writer.close();

      expect(sentPayloads().flat()).toHaveLength(messages.length);
      expect(pythonRestore(await storedEventsNewestFirst())).toEqual(messages);
      expect(await new AgentCoreMemorySessionManager(owner).listMessages()).toEqual(messages);
    },
  );

  test('each item is a SessionMessage in a conversational item with the upper-cased role, ASCII only', async () => {
    const writer = new AgentCoreMemorySessionManager({ ...owner, messageFormat: 'strands-python' });

    await writer.appendMessage(toolUse);

    const [[item]] = sentPayloads();
    expect(item.conversational!.role).toBe('ASSISTANT');
    const text = item.conversational!.content!.text!;
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(text)).toEqual({
      message: toolUse,
      message_id: 0,
      redact_message: null,
      created_at: new Date(NOW).toISOString(),
      updated_at: new Date(NOW).toISOString(),
    });
  });

  test('a message whose JSON and role reach 100,000 characters is a blob of [JSON, role], as Python writes it', async () => {
    const writer = new AgentCoreMemorySessionManager({ ...owner, messageFormat: 'strands-python' });
    await writer.appendMessage({ role: 'assistant', content: [{ text: 'a' }] });
    const overhead = sentPayloads()[0][0].conversational!.content!.text!.length - 1 + 'assistant'.length;
    const fits = 'a'.repeat(99_999 - overhead);
    const over = 'a'.repeat(100_000 - overhead);

    await writer.appendMessage({ role: 'assistant', content: [{ text: fits }] });
    await writer.appendMessage({ role: 'assistant', content: [{ text: over }] });

    const [, [fitting], [oversized]] = sentPayloads();
    expect(fitting.conversational!.content!.text!.length + 'assistant'.length).toBe(99_999);
    expect(oversized.conversational).toBeUndefined();
    const [json, role] = JSON.parse(oversized.blob as string) as [string, string];
    expect(role).toBe('assistant');
    expect(json.length + role.length).toBe(100_000);
    expect(pythonRestore(await storedEventsNewestFirst()).map((message) => message.content![0].text!.length)).toEqual([
      1,
      fits.length,
      over.length,
    ]);
  });

  test('ensurePythonAgentState creates the session and agent events a Python agent needs to restore, once', async () => {
    const writer = new AgentCoreMemorySessionManager({ ...owner, messageFormat: 'strands-python' });
    await writer.appendMessage({ role: 'user', content: [{ text: 'Hello' }] });

    await writer.ensurePythonAgentState('default');
    await writer.ensurePythonAgentState('default');

    expect(agentCore.commandCalls(CreateEventCommand)).toHaveLength(3);
    expect(await pythonReadState(stateTypeIs('SESSION'))).toMatchObject({
      session_id: 'session-1',
      session_type: 'AGENT',
    });
    expect(await pythonReadState(stateTypeIs('AGENT', 'default'))).toMatchObject({
      agent_id: 'default',
      state: {},
      // What SlidingWindowConversationManager.restore_from_session accepts: its own name, nothing removed.
      conversation_manager_state: { __name__: 'SlidingWindowConversationManager', removed_message_count: 0 },
      _internal_state: {},
    });
    const warn = jest.fn();
    expect(await new AgentCoreMemorySessionManager({ ...owner, logger: { warn } }).listMessages()).toEqual([
      { role: 'user', content: [{ text: 'Hello' }] },
    ]);
    expect(pythonRestore(await storedEventsNewestFirst())).toEqual([{ role: 'user', content: [{ text: 'Hello' }] }]);
    expect(warn).not.toHaveBeenCalled();
  });

  test('ensurePythonAgentState adds only the agent event when the session already has its own', async () => {
    const writer = new AgentCoreMemorySessionManager({ ...owner, messageFormat: 'strands-python' });
    await writer.ensurePythonAgentState('default');

    await writer.ensurePythonAgentState('agent');

    expect(agentCore.commandCalls(CreateEventCommand).map((call) => call.args[0].input.metadata)).toEqual([
      { stateType: { stringValue: 'SESSION' } },
      { stateType: { stringValue: 'AGENT' }, agentId: { stringValue: 'default' } },
      { stateType: { stringValue: 'AGENT' }, agentId: { stringValue: 'agent' } },
    ]);
  });
});

function reviveDates(key: string, value: unknown): unknown {
  return key === 'eventTimestamp' && typeof value === 'string' ? new Date(value) : value;
}
