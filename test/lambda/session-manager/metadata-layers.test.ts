/**
 * Event metadata in layers: defaults, a provider called per message and per-call metadata,
 * with the fixed `eventMetadata` on top; the package's own keys refused; messages with
 * different metadata stored in different events.
 */
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import { RECORD_EVENT_METADATA } from '../../../lambda/converse/memory/tool.js';
import { EventMetadataError } from '../../../lambda/platform/errors.js';
import { RESERVED_METADATA_KEYS } from '../../../lambda/session-manager/event-metadata.js';
import {
  AgentCoreMemorySessionManager,
  type AgentCoreMemorySessionManagerConfig,
  type ConversationMessage,
  SessionManagerConfigError,
} from '../../../lambda/session-manager/index.js';
import { AGENT_ID_METADATA_KEY } from '../../../lambda/session-manager/strands/plugin-config.js';
import { installFakeMemory } from './fake-memory.js';

const agentCore = mockClient(BedrockAgentCoreClient);
const memory = installFakeMemory(agentCore);
const owner = { memoryId: 'memory_abc-1234567890', sessionId: 's-1', actorId: 'a-1' };
const question: ConversationMessage = { role: 'user', content: [{ text: 'Where is my order?' }] };
const answer: ConversationMessage = { role: 'assistant', content: [{ text: 'It ships tomorrow.' }] };
const value = (stringValue: string) => ({ stringValue });

function manager(config: Partial<AgentCoreMemorySessionManagerConfig> = {}): AgentCoreMemorySessionManager {
  return new AgentCoreMemorySessionManager({
    ...owner,
    client: new BedrockAgentCoreClient({ region: 'us-east-1' }),
    ...config,
  });
}

function storedMetadata() {
  return memory.events.map((event) => event.metadata);
}

beforeEach(() => memory.clear());

describe('metadata layers', () => {
  it('sends defaultMetadata on every conversation event', async () => {
    const sessionManager = manager({ defaultMetadata: { channel: value('web') } });

    await sessionManager.appendMessage(question);
    await sessionManager.appendMessage(answer);

    expect(storedMetadata()).toEqual([{ channel: value('web') }, { channel: value('web') }]);
  });

  it('calls the provider once per message, with the message, for that message event', async () => {
    const provider = jest.fn((message: ConversationMessage) => ({ speaker: value(message.role!) }));
    const sessionManager = manager({ metadataProvider: provider });

    await sessionManager.appendMessage(question);
    await sessionManager.appendMessage(answer);

    expect(provider.mock.calls).toEqual([[question], [answer]]);
    expect(storedMetadata()).toEqual([{ speaker: value('user') }, { speaker: value('assistant') }]);
  });

  it('layers per call over provider over defaults, with eventMetadata on top', async () => {
    const sessionManager = manager({
      eventMetadata: { tenant: value('acme') },
      defaultMetadata: { channel: value('web'), mode: value('chat'), topic: value('general') },
      metadataProvider: () => ({ mode: value('voice'), topic: value('orders') }),
    });

    await sessionManager.appendMessage(question, { metadata: { topic: value('billing') } });

    expect(storedMetadata()).toEqual([
      { tenant: value('acme'), channel: value('web'), mode: value('voice'), topic: value('billing') },
    ]);
  });

  it('stores messages with different metadata in different events, and equal ones together', async () => {
    const sessionManager = manager({ batchSize: 4 });

    await sessionManager.appendMessage(question, { metadata: { topic: value('orders') } });
    await sessionManager.appendMessage(answer, { metadata: { topic: value('orders') } });
    await sessionManager.appendMessage(question, { metadata: { topic: value('billing') } });
    await sessionManager.appendMessage(answer);

    expect(memory.events.map((event) => [event.payload?.length, event.metadata])).toEqual([
      [2, { topic: value('orders') }],
      [1, { topic: value('billing') }],
      [1, undefined],
    ]);
    expect(await sessionManager.listMessages()).toEqual([question, answer, question, answer]);
  });

  it('keeps each pending message metadata through a failed flush', async () => {
    const sessionManager = manager({ batchSize: 2 });
    memory.rejectNextCalls(1);

    await sessionManager.appendMessage(question, { metadata: { topic: value('orders') } });
    await expect(sessionManager.appendMessage(answer, { metadata: { topic: value('billing') } })).rejects.toThrow();
    await sessionManager.flush();

    expect(storedMetadata()).toEqual([{ topic: value('orders') }, { topic: value('billing') }]);
  });

  it('stores the message without provided metadata when the provider throws, and warns', async () => {
    const warn = jest.fn();
    const sessionManager = manager({
      defaultMetadata: { channel: value('web') },
      logger: { warn },
      metadataProvider: () => {
        throw new TypeError('no channel known');
      },
    });

    await sessionManager.appendMessage(question);
    await sessionManager.flush();

    expect(memory.events).toHaveLength(1);
    expect(storedMetadata()).toEqual([{ channel: value('web') }]);
    expect(warn).toHaveBeenCalledWith('Stored a message without the metadata its provider failed to give', {
      reason: 'metadataProvider threw TypeError',
    });
  });

  it('finds the events of one metadata value with a ListEvents filter', async () => {
    const sessionManager = manager({ metadataProvider: (message) => ({ speaker: value(message.role!) }) });
    await sessionManager.appendMessage(question);
    await sessionManager.appendMessage(answer);

    const answers = await sessionManager.listMessages({
      eventMetadata: [
        { left: { metadataKey: 'speaker' }, operator: 'EQUALS_TO', right: { metadataValue: value('assistant') } },
      ],
    });

    expect(answers).toEqual([answer]);
  });
});

describe("the package's own keys", () => {
  it('include the Strands plugin agent key and the memory tool record marker', () => {
    expect(RESERVED_METADATA_KEYS).toEqual(
      expect.arrayContaining([AGENT_ID_METADATA_KEY, 'stateType', ...Object.keys(RECORD_EVENT_METADATA)]),
    );
  });

  it.each(RESERVED_METADATA_KEYS)('refuses %s in defaultMetadata, naming it', (key) => {
    const build = () => manager({ defaultMetadata: { [key]: value('mine') } });
    expect(build).toThrow(SessionManagerConfigError);
    expect(build).toThrow(`defaultMetadata must not set '${key}'`);
  });

  it.each(RESERVED_METADATA_KEYS)(
    'refuses %s per call (nothing stored) and drops it from the provider (the message kept)',
    async (key) => {
      const perCall = manager();
      await expect(perCall.appendMessage(question, { metadata: { [key]: value('mine') } })).rejects.toThrow(
        EventMetadataError,
      );
      expect(perCall.pendingMessageCount()).toBe(0);
      expect(memory.events).toEqual([]);

      const warn = jest.fn();
      const provided = manager({ logger: { warn }, metadataProvider: () => ({ [key]: value('mine') }) });
      await provided.appendMessage(question);
      await provided.flush();
      expect(memory.events).toHaveLength(1);
      expect(storedMetadata()[0]?.[key]).toBeUndefined();
      expect(warn).toHaveBeenCalledWith('Stored a message without the metadata its provider failed to give', {
        reason: expect.stringContaining(`metadataProvider result must not set '${key}'`) as unknown,
      });
    },
  );

  it("refuses a user layer's key that eventMetadata fixes", async () => {
    const fixed = { eventMetadata: { tenant: value('acme') } };
    expect(() => manager({ ...fixed, defaultMetadata: { tenant: value('other') } })).toThrow(
      "defaultMetadata must not set 'tenant': eventMetadata fixes it",
    );
    await expect(manager(fixed).appendMessage(question, { metadata: { tenant: value('other') } })).rejects.toThrow(
      "metadata must not set 'tenant'",
    );
  });

  it('refuses stateType even in eventMetadata: restore would skip the messages', () => {
    expect(() => manager({ eventMetadata: { stateType: value('AGENT') } })).toThrow(
      "eventMetadata must not set 'stateType'",
    );
  });
});

describe('CreateEvent limits, checked before sending', () => {
  const keys = (count: number, prefix: string) =>
    Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}${index}`, value('v')]));

  it.each([
    [{ ['k'.repeat(129)]: value('v') }, /is not a valid metadata key: 1-128/],
    [{ ['k'.repeat(128)]: value('v'.repeat(257)) }, /must be \{ stringValue \} with at most 256/],
    [{ topic: value('naïve') }, /metadata.topic must be/],
    [{ 'topic?': value('v') }, /key 'topic\?' is not a valid metadata key/],
    [keys(16, 'k'), /metadata has at most 15 keys/],
  ])('refuses per-call metadata the API refuses (%#)', async (metadata, message) => {
    await expect(manager().appendMessage(question, { metadata })).rejects.toThrow(message);
    expect(memory.events).toEqual([]);
  });

  it('accepts the longest key and value the API accepts', async () => {
    await manager().appendMessage(question, { metadata: { ['k'.repeat(128)]: value('v'.repeat(256)) } });
    expect(memory.events).toHaveLength(1);
  });

  it('refuses more than 15 keys across the layers', async () => {
    expect(() => manager({ eventMetadata: keys(8, 'fixed'), defaultMetadata: keys(8, 'default') })).toThrow(
      'hold 16 keys together',
    );
    const sessionManager = manager({ defaultMetadata: keys(10, 'default'), metadataProvider: () => keys(5, 'p') });
    await expect(sessionManager.appendMessage(question, { metadata: { extra: value('v') } })).rejects.toThrow(
      'would carry 16 metadata keys',
    );
  });

  it('refuses a provider that is not a function', () => {
    expect(() => manager({ metadataProvider: 'topic' as unknown as () => undefined })).toThrow(
      'metadataProvider must be a function',
    );
  });
});
