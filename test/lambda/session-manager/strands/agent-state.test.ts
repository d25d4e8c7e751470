/**
 * The agent's state with its session, with a real `Agent`, a scripted model and an
 * in-memory AgentCore: `appState` and the conversation manager's trimmed window come back
 * in a restored agent, stored as the Python session manager's `SessionAgent` event that a
 * Python agent reads, and read from one a Python agent wrote.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { BedrockAgentCoreClient, type Event } from '@aws-sdk/client-bedrock-agentcore';
import { Agent, type MessageData, SlidingWindowConversationManager } from '@strands-agents/sdk';
import { mockClient } from 'aws-sdk-client-mock';
import type { MessageFormat } from '../../../../lambda/session-manager/index.js';
import {
  AgentCoreMemoryPlugin,
  type AgentCoreMemoryPluginConfig,
  PYTHON_DEFAULT_AGENT_ID,
} from '../../../../lambda/session-manager/strands/index.js';
import { type FakeMemory, installFakeMemory } from '../fake-memory.js';
import { pythonItem, pythonJsonDumps, pythonRestore } from '../python-session-manager.js';
import { ScriptedModel } from './scripted-model.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;
let memory: FakeMemory;

beforeEach(() => {
  agentCore.reset();
  memory = installFakeMemory(agentCore);
});

afterEach(() => agentCore.reset());

function windowedAgent(model: ScriptedModel, config: Partial<AgentCoreMemoryPluginConfig> = {}) {
  return new Agent({
    model,
    plugins: [new AgentCoreMemoryPlugin({ ...owner, ...config })],
    conversationManager: new SlidingWindowConversationManager({ windowSize: 4 }),
    printer: false,
  });
}

function contentOf(messages: readonly { toJSON(): MessageData }[]): MessageData[] {
  return messages.map((message) => ({ role: message.toJSON().role, content: message.toJSON().content }));
}

/** What a Python agent's `read_agent` finds: the newest `SessionAgent` event for the id. */
function pythonReadAgent(agentId: string): Record<string, unknown> {
  const agentEvents = memory.events.filter(
    (event) => event.metadata?.stateType?.stringValue === 'AGENT' && event.metadata.agentId?.stringValue === agentId,
  );
  const newest = agentEvents.sort((a, b) => b.eventTimestamp!.getTime() - a.eventTimestamp!.getTime())[0];
  return JSON.parse(newest.payload![0].blob as string) as Record<string, unknown>;
}

for (const messageFormat of ['native', 'strands-python'] as const satisfies readonly MessageFormat[]) {
  describe(`messageFormat '${messageFormat}'`, () => {
    test('with a sliding window of 4, a restored agent sends what the running agent sends', async () => {
      const runningModel = new ScriptedModel(['one', 'two', 'three', 'four'].map((text) => ({ text })));
      const running = windowedAgent(runningModel, { messageFormat });
      for (const prompt of ['First', 'Second', 'Third']) await running.invoke(prompt);
      assert.equal(running.messages.length, 4);

      const agentId = messageFormat === 'strands-python' ? PYTHON_DEFAULT_AGENT_ID : 'agent';
      const conversationManagerState = pythonReadAgent(agentId).conversation_manager_state as Record<string, unknown>;
      assert.equal(conversationManagerState.removed_message_count, 2);
      assert.equal(conversationManagerState.__name__, 'SlidingWindowConversationManager');

      // Another process restores the session, as this one would send its next prompt.
      const restoredModel = new ScriptedModel([{ text: 'four' }]);
      await windowedAgent(restoredModel, { messageFormat }).invoke('Fourth');
      await running.invoke('Fourth');

      assert.equal(runningModel.requests[3].messages.length, 5);
      assert.deepEqual(restoredModel.requests[0].messages, runningModel.requests[3].messages);
    });

    test('appState comes back in a restored agent', async () => {
      const first = windowedAgent(new ScriptedModel([{ text: 'Noted.' }]), { messageFormat });
      first.appState.set('units', 'metric');
      first.appState.set('visits', 1);
      await first.invoke('I like metric units.');

      const restored = windowedAgent(new ScriptedModel([{ text: 'Metric.' }]), { messageFormat });
      await restored.invoke('Which units?');

      assert.deepEqual(restored.appState.getAll(), { units: 'metric', visits: 1 });
    });
  });
}

test('a Python agent reads the state and window a TypeScript agent stored, and restores the same messages', async () => {
  const running = windowedAgent(new ScriptedModel(['one', 'two', 'three'].map((text) => ({ text }))), {
    messageFormat: 'strands-python',
  });
  running.appState.set('units', 'metric');
  for (const prompt of ['First', 'Second', 'Third']) await running.invoke(prompt);

  const sessionAgent = pythonReadAgent('default');
  assert.deepEqual(sessionAgent.state, { units: 'metric' });
  const removed = (sessionAgent.conversation_manager_state as { removed_message_count: number }).removed_message_count;
  assert.equal(removed, 2);
  // Python's restore: the session's messages from `removed_message_count` on.
  assert.deepEqual(pythonRestore([...memory.events].reverse()).slice(removed), contentOf(running.messages));
});

test('a TypeScript agent restores the state and window a Python agent stored', async () => {
  const event = (timestampMs: number, payload: Event['payload'], metadata?: Event['metadata']): Event => ({
    ...owner,
    eventId: `event-${timestampMs}`,
    eventTimestamp: new Date(timestampMs),
    payload,
    ...(metadata !== undefined && { metadata }),
  });
  const conversation = ['First', 'one', 'Second', 'two'].map((text, index) => ({
    role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: [{ text }],
  }));
  memory.events.push(
    event(1, [{ blob: pythonJsonDumps({ session_id: owner.sessionId, session_type: 'AGENT' }) }], {
      stateType: { stringValue: 'SESSION' },
    }),
    ...conversation.map((message, index) => event(10 + index, [pythonItem(message)])),
    event(
      20,
      [
        {
          blob: pythonJsonDumps({
            agent_id: 'default',
            state: { units: 'imperial' },
            conversation_manager_state: { __name__: 'SlidingWindowConversationManager', removed_message_count: 2 },
            _internal_state: {},
          }),
        },
      ],
      { stateType: { stringValue: 'AGENT' }, agentId: { stringValue: 'default' } },
    ),
  );
  const model = new ScriptedModel([{ text: 'Imperial.' }]);
  const agent = windowedAgent(model, { messageFormat: 'strands-python' });

  await agent.invoke('Which units?');

  assert.deepEqual(agent.appState.get('units'), 'imperial');
  assert.deepEqual(model.requests[0].messages, [
    ...conversation.slice(2),
    { role: 'user', content: [{ text: 'Which units?' }] },
  ]);
});

test('agentId names the state a native-format agent stores', async () => {
  const agent = windowedAgent(new ScriptedModel([{ text: 'Noted.' }]), { agentId: 'weather-agent' });
  agent.appState.set('units', 'metric');

  await agent.invoke('Metric, please.');

  assert.deepEqual(pythonReadAgent('weather-agent').state, { units: 'metric' });
});
