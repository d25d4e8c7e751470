/**
 * Event metadata in sessions shared with the Python AgentCore Memory session manager for
 * Strands: what the TypeScript manager writes with metadata, Python's converter reads back
 * (and finds the session's state as before); what Python writes with its `default_metadata`,
 * the TypeScript manager restores and filters on. The metadata stays on the events.
 */
import { BedrockAgentCoreClient, type Event, ListEventsCommand } from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemorySessionManager, type ConversationMessage } from '../../../lambda/session-manager/index.js';
import { installFakeMemory } from './fake-memory.js';
import { pythonItem, pythonRestore } from './python-session-manager.js';

const agentCore = mockClient(BedrockAgentCoreClient);
const memory = installFakeMemory(agentCore);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;
const value = (stringValue: string) => ({ stringValue });
const messages: ConversationMessage[] = [
  { role: 'user', content: [{ text: 'What is the weather in Zürich?' }] },
  {
    role: 'assistant',
    content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Zürich' } } }],
  },
  { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: '18°C' }] } }] },
  { role: 'assistant', content: [{ text: 'Sunny, 18°C.' }] },
];

async function storedEventsNewestFirst(): Promise<Event[]> {
  const { events } = await new BedrockAgentCoreClient({}).send(
    new ListEventsCommand({ ...owner, includePayloads: true, maxResults: 100 }),
  );
  return events ?? [];
}

beforeEach(() => memory.clear());

test.each([1, 4])(
  "events written in the 'strands-python' format with metadata read back in Python, metadata kept (batchSize %i)",
  async (batchSize) => {
    const writer = new AgentCoreMemorySessionManager({
      ...owner,
      batchSize,
      messageFormat: 'strands-python',
      defaultMetadata: { channel: value('web') },
      metadataProvider: (message) => ({ speaker: value(message.role!) }),
    });
    await writer.ensurePythonAgentState('default');

    for (const message of messages) await writer.appendMessage(message, { metadata: { turn: value('1') } });
    await writer.close();

    expect(pythonRestore(await storedEventsNewestFirst())).toEqual(messages);
    const messageEvents = memory.events.filter((event) => event.metadata?.stateType === undefined);
    expect(messageEvents.flatMap((event) => event.payload!.map(() => event.metadata))).toEqual(
      messages.map((message) => ({ channel: value('web'), speaker: value(message.role!), turn: value('1') })),
    );
    expect(await writer.readAgentState('default')).toEqual({ state: {}, removedMessageCount: 0 });
  },
);

test('events Python wrote with default_metadata restore in TypeScript, and its metadata filters them', async () => {
  memory.events.push(
    ...messages.map((message, index): Event => ({
      ...owner,
      eventId: `event-${index}`,
      eventTimestamp: new Date(1000 * (index + 1)),
      payload: [pythonItem(message)],
      metadata: { channel: value(index < 2 ? 'web' : 'voice') },
    })),
  );
  const reader = new AgentCoreMemorySessionManager(owner);

  expect(await reader.listMessages()).toEqual(messages);
  expect(
    await reader.listMessages({
      eventMetadata: [
        { left: { metadataKey: 'channel' }, operator: 'EQUALS_TO', right: { metadataValue: value('voice') } },
      ],
    }),
  ).toEqual(messages.slice(2));
  expect(memory.events.map((event) => event.metadata?.channel?.stringValue)).toEqual(['web', 'web', 'voice', 'voice']);
});
