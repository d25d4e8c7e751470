/**
 * Event metadata through the Strands plugin, with real `Agent`s, scripted models and an
 * in-memory AgentCore: the session manager's metadata options pass through, a provider
 * gives each message its own metadata, and the plugin's own key stays the plugin's.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { BedrockAgentCoreClient, CreateEventCommand } from '@aws-sdk/client-bedrock-agentcore';
import { Agent } from '@strands-agents/sdk';
import { mockClient } from 'aws-sdk-client-mock';
import { SessionManagerConfigError } from '../../../../lambda/session-manager/index.js';
import { AgentCoreMemoryPlugin } from '../../../../lambda/session-manager/strands/index.js';
import type { ConversationMessage } from '../../../../lambda/session-manager/types.js';
import { installFakeMemory } from '../fake-memory.js';
import { ScriptedModel } from './scripted-model.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;
const value = (stringValue: string) => ({ stringValue });

beforeEach(() => {
  agentCore.reset();
  installFakeMemory(agentCore);
});

afterEach(() => agentCore.reset());

function agent(plugin: AgentCoreMemoryPlugin, id = 'agent'): Agent {
  return new Agent({
    id,
    model: new ScriptedModel([{ text: 'It ships tomorrow.' }]),
    plugins: [plugin],
    printer: false,
  });
}

/** Each stored message with its event's metadata, in order (state events left out). */
function storedMessagesWithMetadata() {
  return agentCore
    .commandCalls(CreateEventCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.metadata?.stateType === undefined)
    .flatMap((input) => (input.payload ?? []).map(() => input.metadata));
}

test('a metadata provider gives each message its own event metadata, over defaultMetadata', async () => {
  const seen: ConversationMessage[] = [];
  const plugin = new AgentCoreMemoryPlugin({
    ...owner,
    batchSize: 10,
    defaultMetadata: { channel: value('web'), speaker: value('unknown') },
    metadataProvider: (message) => {
      seen.push(message);
      return { speaker: value(message.role!) };
    },
  });

  await agent(plugin).invoke('Where is my order?');

  assert.deepEqual(seen, [
    { role: 'user', content: [{ text: 'Where is my order?' }] },
    { role: 'assistant', content: [{ text: 'It ships tomorrow.' }] },
  ]);
  assert.deepEqual(storedMessagesWithMetadata(), [
    { channel: value('web'), speaker: value('user') },
    { channel: value('web'), speaker: value('assistant') },
  ]);
  // Different metadata, different events, although both messages were flushed together.
  assert.equal(agentCore.commandCalls(CreateEventCommand).length, 2);
});

test("with multiAgent the agent's id is set over the provider's metadata", async () => {
  const plugin = new AgentCoreMemoryPlugin({
    ...owner,
    multiAgent: true,
    metadataProvider: () => ({ topic: value('orders') }),
  });

  await agent(plugin, 'support').invoke('Where is my order?');

  assert.deepEqual(storedMessagesWithMetadata(), [
    { topic: value('orders'), agentId: value('support') },
    { topic: value('orders'), agentId: value('support') },
  ]);
});

test("refuses the plugin's agent key in the user's metadata", async () => {
  assert.throws(
    () => new AgentCoreMemoryPlugin({ ...owner, defaultMetadata: { agentId: value('mine') } }),
    (error: unknown) => error instanceof SessionManagerConfigError && /must not set 'agentId'/.test(error.message),
  );
  assert.throws(
    () => new AgentCoreMemoryPlugin({ ...owner, eventMetadata: { agentId: value('mine') } }),
    /eventMetadata must not set 'agentId'/,
  );
  // From the provider, the key is dropped and the conversation kept: no message is lost to it.
  const plugin = new AgentCoreMemoryPlugin({ ...owner, metadataProvider: () => ({ agentId: value('mine') }) });
  await agent(plugin).invoke('Hello');
  await plugin.flush();
  const stored = storedMessagesWithMetadata();
  assert.ok(stored.length > 0);
  assert.ok(stored.every((metadata) => metadata?.agentId?.stringValue !== 'mine'));
});
