/**
 * The plugin's restore without tool exchanges (a history Bedrock Converse accepts) and its
 * persistence mode that stores nothing, with real `Agent`s, scripted models and an
 * in-memory AgentCore.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  BedrockAgentCoreClient,
  CreateEventCommand,
  ListEventsCommand,
  RetrieveMemoryRecordsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { Agent, type MessageData, tool } from '@strands-agents/sdk';
import { mockClient } from 'aws-sdk-client-mock';
import type { ConversationMessage } from '../../../../lambda/session-manager/index.js';
import { AgentCoreMemoryPlugin } from '../../../../lambda/session-manager/strands/index.js';
import { withoutToolExchanges } from '../../../../lambda/session-manager/strands/restored-history.js';
import { installFakeMemory } from '../fake-memory.js';
import { ScriptedModel } from './scripted-model.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;

beforeEach(() => {
  agentCore.reset();
  installFakeMemory(agentCore);
});

afterEach(() => agentCore.reset());

/** What Converse requires of a history: user first, roles alternating, no empty message, no orphan tool block. */
function assertConverseAccepts(messages: readonly MessageData[] | readonly ConversationMessage[]): void {
  assert.equal(messages[0]?.role, 'user');
  messages.forEach((message, index) => {
    assert.ok((message.content ?? []).length > 0, `message ${index} is empty`);
    if (index > 0) assert.notEqual(message.role, messages[index - 1].role, `messages ${index - 1} and ${index}`);
    for (const block of message.content ?? []) {
      assert.ok(!('toolUse' in block) && !('toolResult' in block), `message ${index} holds a tool block`);
    }
  });
}

const getWeather = tool({
  name: 'get_weather',
  description: 'The weather forecast for a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  callback: () => ({ forecast: 'sunny' }),
});

describe('filterRestoredToolContext', () => {
  test('a restored agent gets the conversation without tool uses and results, in a form Converse accepts', async () => {
    const first = new Agent({
      model: new ScriptedModel([
        { toolUse: { name: 'get_weather', toolUseId: 'tooluse_1', input: { city: 'Zürich' } } },
        { text: 'Sunny in Zürich.' },
      ]),
      plugins: [new AgentCoreMemoryPlugin(owner)],
      tools: [getWeather],
      printer: false,
    });
    await first.invoke('Weather in Zürich?');

    const model = new ScriptedModel([{ text: 'You asked about Zürich.' }]);
    const restored = new Agent({
      model,
      plugins: [new AgentCoreMemoryPlugin({ ...owner, filterRestoredToolContext: true })],
      printer: false,
    });
    await restored.invoke('What did I ask?');

    assert.deepEqual(model.requests[0].messages, [
      { role: 'user', content: [{ text: 'Weather in Zürich?' }] },
      { role: 'assistant', content: [{ text: 'Sunny in Zürich.' }] },
      { role: 'user', content: [{ text: 'What did I ask?' }] },
    ]);
    assertConverseAccepts(model.requests[0].messages);
  });

  test('text beside a tool use is kept, and the neighbours of one role it leaves are merged', () => {
    const history = withoutToolExchanges([
      { role: 'assistant', content: [{ text: 'A greeting before any prompt.' }] },
      { role: 'user', content: [{ text: 'Weather?' }] },
      {
        role: 'assistant',
        content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 't1', name: 'get_weather', input: {} } }],
      },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'sunny' }] } }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't2', name: 'get_weather', input: {} } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't2', content: [{ text: 'warm' }] } }] },
      { role: 'assistant', content: [{ text: 'Sunny and warm.' }] },
    ]);

    assert.deepEqual(history, [
      { role: 'user', content: [{ text: 'Weather?' }] },
      { role: 'assistant', content: [{ text: 'Let me check.' }, { text: 'Sunny and warm.' }] },
    ]);
    assertConverseAccepts(history);
  });
});

describe("persistence 'none'", () => {
  test('stores and restores nothing, and still retrieves memories', async () => {
    agentCore.on(RetrieveMemoryRecordsCommand).resolves({
      memoryRecordSummaries: [
        {
          memoryRecordId: 'record-1',
          content: { text: 'Prefers metric units.' },
          score: 0.9,
          namespaces: ['/preferences/actor-1/'],
          createdAt: new Date(0),
          memoryStrategyId: 'preferences',
        },
      ],
    });
    const model = new ScriptedModel([{ text: 'Metric.' }]);
    const agent = new Agent({
      model,
      plugins: [
        new AgentCoreMemoryPlugin({
          ...owner,
          persistence: 'none',
          retrievalConfig: { '/preferences/{actorId}/': { topK: 5, relevanceScore: 0.5 } },
        }),
      ],
      printer: false,
    });
    agent.appState.set('units', 'metric');

    await agent.invoke('Which units?');

    assert.equal(agentCore.commandCalls(CreateEventCommand).length, 0);
    assert.equal(agentCore.commandCalls(ListEventsCommand).length, 0);
    assert.deepEqual(model.requests[0].messages[0].content[1], {
      text: '<user_context>Prefers metric units.</user_context>',
    });
  });

  test('any other value is refused', () => {
    assert.throws(
      () => new AgentCoreMemoryPlugin({ ...owner, persistence: 'NONE' as unknown as 'none' }),
      /persistence must be/,
    );
  });
});
