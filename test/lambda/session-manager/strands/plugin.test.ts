/**
 * The Strands plugin with a real `Agent` from `@strands-agents/sdk`, a scripted model and
 * an in-memory AgentCore. Run by Node's test runner (`npm test`): the SDK is ESM-only.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  BedrockAgentCoreClient,
  CreateEventCommand,
  ListEventsCommand,
  RetrieveMemoryRecordsCommand,
  type RetrieveMemoryRecordsCommandInput,
} from '@aws-sdk/client-bedrock-agentcore';
import type { Event, PayloadType } from '@aws-sdk/client-bedrock-agentcore';
import { Agent, Message, type MessageData, tool } from '@strands-agents/sdk';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AgentCoreMemorySessionManager,
  type ConversationMessage,
  type SessionManagerLogger,
} from '../../../../lambda/session-manager/index.js';
import {
  AgentCoreMemoryPlugin,
  type AgentCoreMemoryPluginConfig,
  toConversationMessage,
} from '../../../../lambda/session-manager/strands/index.js';
import { installFakeMemory } from '../fake-memory.js';
import { pythonItem, pythonJsonDumps } from '../python-session-manager.js';
import { type ScriptedReply, ScriptedModel } from './scripted-model.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;
const SYSTEM_PROMPT = 'You are a helpful weather assistant.';
let memory: ReturnType<typeof installFakeMemory>;

const getWeather = tool({
  name: 'get_weather',
  description: 'The weather forecast for a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  callback: (input) => ({ city: (input as { city: string }).city, forecast: 'sunny', celsius: 18 }),
});

/** Turn one uses the tool, then answers; turn two answers. */
const twoTurns: ScriptedReply[] = [
  { toolUse: { name: 'get_weather', toolUseId: 'tooluse_1', input: { city: 'Zürich' } } },
  { text: 'Sunny and 18°C in Zürich.' },
  { text: 'Take sunglasses.' },
];

/** What the two turns store, in the Converse form. */
const twoTurnsStored: ConversationMessage[] = [
  { role: 'user', content: [{ text: 'What is the weather in Zürich?' }] },
  {
    role: 'assistant',
    content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Zürich' } } }],
  },
  {
    role: 'user',
    content: [
      {
        toolResult: {
          toolUseId: 'tooluse_1',
          status: 'success',
          content: [{ json: { city: 'Zürich', forecast: 'sunny', celsius: 18 } }],
        },
      },
    ],
  },
  { role: 'assistant', content: [{ text: 'Sunny and 18°C in Zürich.' }] },
  { role: 'user', content: [{ text: 'Anything to take along?' }] },
  { role: 'assistant', content: [{ text: 'Take sunglasses.' }] },
];

function warnings(): { logger: SessionManagerLogger; messages: string[] } {
  const messages: string[] = [];
  return { logger: { warn: (message) => void messages.push(message) }, messages };
}

function newAgent(model: ScriptedModel, config: Partial<AgentCoreMemoryPluginConfig> = {}) {
  const plugin = new AgentCoreMemoryPlugin({ ...owner, ...config });
  const agent = new Agent({
    model,
    plugins: [plugin],
    tools: [getWeather],
    systemPrompt: SYSTEM_PROMPT,
    printer: false,
  });
  return { agent, plugin };
}

/** Messages as JSON without what is not conversation content (tracking ids, usage). */
function contentOf(messages: readonly { toJSON(): MessageData }[]): MessageData[] {
  return messages.map((message) => {
    const { role, content } = message.toJSON();
    return { role, content };
  });
}

/** An event as the Python session manager stores it: a message event, or a state event. */
function pythonEvent(eventTimestampMs: number, payload: PayloadType[], stateType?: string): Event {
  return {
    ...owner,
    eventId: `event-${eventTimestampMs}`,
    eventTimestamp: new Date(eventTimestampMs),
    payload,
    ...(stateType !== undefined && { metadata: { stateType: { stringValue: stateType } } }),
  };
}

function stored(): Promise<ConversationMessage[]> {
  return new AgentCoreMemorySessionManager(owner).listMessages();
}

function createEventCount(): number {
  return agentCore.commandCalls(CreateEventCommand).length;
}

beforeEach(() => {
  agentCore.reset();
  memory = installFakeMemory(agentCore);
});

afterEach(() => agentCore.reset());

describe('short-term memory', () => {
  test('a two-turn conversation with a tool is stored message by message, tool use and result included', async () => {
    const { agent } = newAgent(new ScriptedModel(twoTurns));

    await agent.invoke('What is the weather in Zürich?');
    await agent.invoke('Anything to take along?');

    assert.deepEqual(await stored(), twoTurnsStored);
    assert.equal(createEventCount(), 6);
  });

  test('a new agent in a new process restores the conversation, tool use intact, and sends it to the model', async () => {
    const first = newAgent(new ScriptedModel(twoTurns));
    await first.agent.invoke('What is the weather in Zürich?');
    await first.agent.invoke('Anything to take along?');

    const model = new ScriptedModel([{ text: 'You asked about Zürich.' }]);
    const second = newAgent(model);
    await second.agent.invoke('What did I ask first?');

    const history = contentOf(first.agent.messages);
    assert.deepEqual(contentOf(second.agent.messages).slice(0, history.length), history);
    assert.deepEqual(
      model.requests[0].messages.map(({ role, content }) => ({ role, content })),
      [...history, { role: 'user', content: [{ text: 'What did I ask first?' }] }],
    );
    assert.equal((await stored()).length, 8);
  });

  test('a session with nothing stored keeps and stores the agent’s initial messages', async () => {
    const model = new ScriptedModel([{ text: 'Hello again.' }]);
    const plugin = new AgentCoreMemoryPlugin(owner);
    const initial: MessageData[] = [
      { role: 'user', content: [{ text: 'Hi, I am Ana.' }] },
      { role: 'assistant', content: [{ text: 'Hi Ana!' }] },
    ];
    const agent = new Agent({ model, plugins: [plugin], messages: initial, printer: false });

    await agent.invoke('Remember me?');

    assert.deepEqual((await stored()).slice(0, 2), initial);
    assert.equal((await stored()).length, 4);
  });

  test('a failed read of the session fails the agent’s start instead of starting it with no history', async () => {
    agentCore.on(ListEventsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const model = new ScriptedModel([{ text: 'never sent' }]);
    const { agent } = newAgent(model);

    await assert.rejects(agent.invoke('Hello'), /denied/);
    assert.equal(model.requests.length, 0);
  });

  test('a session a Python agent wrote restores into the agent exactly, tool use intact', async () => {
    const toConverse = (data: MessageData) => toConversationMessage(Message.fromMessageData(data));
    const written = twoTurnsStored.slice(0, 4);
    memory.events.push(
      pythonEvent(1, [{ blob: pythonJsonDumps({ session_id: owner.sessionId, session_type: 'AGENT' }) }], 'SESSION'),
      ...written.map((message, index) => pythonEvent(10 + index, [pythonItem(message)])),
    );
    const model = new ScriptedModel([{ text: 'Still sunny.' }]);
    const { agent } = newAgent(model);

    await agent.invoke('And now?');

    assert.deepEqual(contentOf(agent.messages).slice(0, 4).map(toConverse), written);
    assert.deepEqual(model.requests[0].messages.slice(0, 4).map(toConverse), written);
  });

  test("with messageFormat 'strands-python' a Python agent finds the session, its agent and every message", async () => {
    const { agent } = newAgent(new ScriptedModel(twoTurns), { messageFormat: 'strands-python' });

    await agent.invoke('What is the weather in Zürich?');

    const metadata = agentCore
      .commandCalls(CreateEventCommand)
      .flatMap((call) => (call.args[0].input.metadata === undefined ? [] : [call.args[0].input.metadata]));
    assert.deepEqual(metadata, [
      { stateType: { stringValue: 'SESSION' } },
      // An agent that kept the SDK's default id is stored under Python's default id.
      { stateType: { stringValue: 'AGENT' }, agentId: { stringValue: 'default' } },
    ]);
    const items = memory.events.filter((event) => event.metadata === undefined).flatMap((event) => event.payload ?? []);
    assert.equal(items.length, 4);
    for (const item of items) {
      const sessionMessage = JSON.parse(item.conversational!.content!.text!) as Record<string, unknown>;
      assert.deepEqual(Object.keys(sessionMessage), [
        'message',
        'message_id',
        'redact_message',
        'created_at',
        'updated_at',
      ]);
    }
    assert.deepEqual(await stored(), twoTurnsStored.slice(0, 4));
  });
});

describe('batching', () => {
  test('messages wait during the invocation and go in one CreateEvent when it ends', async () => {
    const sentBeforeEachModelCall: number[] = [];
    const model = new ScriptedModel(twoTurns.slice(0, 2), () => sentBeforeEachModelCall.push(createEventCount()));
    const { agent, plugin } = newAgent(model, { batchSize: 10 });

    await agent.invoke('What is the weather in Zürich?');

    assert.deepEqual(sentBeforeEachModelCall, [0, 0]);
    assert.equal(createEventCount(), 1);
    assert.equal(agentCore.commandCalls(CreateEventCommand)[0].args[0].input.payload!.length, 4);
    assert.equal(plugin.sessionManager.pendingMessageCount(), 0);
    assert.equal((await stored()).length, 4);
  });

  test('messages still pending when the plugin is disposed are sent then', async () => {
    {
      await using plugin = new AgentCoreMemoryPlugin({ ...owner, batchSize: 10 });
      const agent = new Agent({ model: new ScriptedModel(twoTurns.slice(1, 2)), plugins: [plugin], printer: false });
      // The flush at the end of the invocation fails: its messages stay pending, the invocation fails.
      memory.rejectNextCalls(1);
      await assert.rejects(agent.invoke('Hello'), /service unavailable/);
      assert.equal(plugin.sessionManager.pendingMessageCount(), 2);
      assert.equal((await stored()).length, 0);
    }

    assert.deepEqual(await stored(), [
      { role: 'user', content: [{ text: 'Hello' }] },
      { role: 'assistant', content: [{ text: 'Sunny and 18°C in Zürich.' }] },
    ]);
  });
});

describe('long-term memories', () => {
  const retrievalConfig = { '/preferences/{actorId}/': { topK: 5, relevanceScore: 0.5 } };

  beforeEach(() => {
    agentCore.on(RetrieveMemoryRecordsCommand).callsFake((input: RetrieveMemoryRecordsCommandInput) => ({
      memoryRecordSummaries: [
        {
          memoryRecordId: `record-${input.namespacePath}`,
          content: { text: `Preference of ${input.namespacePath!.split('/')[2]}: metric units` },
          score: 0.9,
          namespaces: [input.namespacePath!],
          createdAt: new Date(0),
          memoryStrategyId: 'preferences',
        },
        {
          memoryRecordId: 'weak',
          content: { text: 'below the threshold' },
          score: 0.1,
          namespaces: [input.namespacePath!],
          createdAt: new Date(0),
          memoryStrategyId: 'preferences',
        },
        // Another actor's record, as a service that ignored the path would return it.
        {
          memoryRecordId: 'planted',
          content: { text: 'Preference of actor-10: imperial units' },
          score: 0.95,
          namespaces: ['/preferences/actor-10/'],
          createdAt: new Date(0),
          memoryStrategyId: 'preferences',
        },
      ],
    }));
  });

  test('reach the model after the last user message, for every model call of the invocation, and nowhere else', async () => {
    const model = new ScriptedModel(twoTurns.slice(0, 2));
    const { agent } = newAgent(model, { retrievalConfig });

    await agent.invoke('What is the weather in Zürich?');

    const calls = agentCore.commandCalls(RetrieveMemoryRecordsCommand).map((call) => call.args[0].input);
    assert.deepEqual(
      calls.map((input) => [input.namespacePath, input.searchCriteria?.searchQuery]),
      [['/preferences/actor-1/', 'What is the weather in Zürich?']],
    );
    const memoryBlock = { text: '<user_context>Preference of actor-1: metric units</user_context>' };
    const [promptCall, toolResultCall] = model.requests;
    assert.deepEqual(promptCall.messages, [
      { role: 'user', content: [{ text: 'What is the weather in Zürich?' }, memoryBlock] },
    ]);
    assert.deepEqual(toolResultCall.messages[0], {
      role: 'user',
      content: [{ text: 'What is the weather in Zürich?' }],
    });
    const toolResult = toolResultCall.messages[2];
    assert.equal(toolResult.role, 'user');
    assert.deepEqual(toolResult.content.slice(1), [memoryBlock]);
    assert.equal(JSON.stringify(toolResultCall.messages).split('user_context>').length - 1, 2);
    assert.equal(model.requests.length, 2);
    assert.deepEqual(contentOf(agent.messages)[0], {
      role: 'user',
      content: [{ text: 'What is the weather in Zürich?' }],
    });
    assert.deepEqual((await stored())[0], { role: 'user', content: [{ text: 'What is the weather in Zürich?' }] });
  });

  test('leave the system prompt byte-identical for every user', async () => {
    const prompts: string[] = [];
    for (const actorId of ['actor-1', 'actor-2']) {
      const model = new ScriptedModel([{ text: 'Noted.' }]);
      const { agent } = newAgent(model, { actorId, sessionId: `session-of-${actorId}`, retrievalConfig });
      await agent.invoke('Which units do I like?');
      prompts.push(JSON.stringify(model.requests[0].systemPrompt));
      const memoryBlock = model.requests[0].messages[0].content[1] as { text: string };
      assert.equal(memoryBlock.text, `<user_context>Preference of ${actorId}: metric units</user_context>`);
    }

    assert.equal(prompts[0], JSON.stringify(SYSTEM_PROMPT));
    assert.equal(prompts[1], prompts[0]);
  });

  test("another actor's record the service returns never reaches the model, and is warned about", async () => {
    const { logger, messages } = warnings();
    const model = new ScriptedModel([{ text: 'Noted.' }]);
    const { agent } = newAgent(model, { retrievalConfig, logger });

    await agent.invoke('Which units do I like?');

    assert.ok(!JSON.stringify(model.requests).includes('imperial'));
    assert.deepEqual(messages, ["Left out retrieved memory records that are not under the actor's own namespaces"]);
  });

  test('a later invocation sends earlier prompts without their memories', async () => {
    const model = new ScriptedModel([{ text: 'Noted.' }, { text: 'Again.' }]);
    const { agent } = newAgent(model, { retrievalConfig, contextTag: 'memories' });

    await agent.invoke('First question');
    await agent.invoke('Second question');

    const [, later] = model.requests;
    assert.deepEqual(later.messages[0], { role: 'user', content: [{ text: 'First question' }] });
    assert.deepEqual(later.messages[2].content[1], {
      text: '<memories>Preference of actor-1: metric units</memories>',
    });
  });
});

describe('one agent per session', () => {
  test('a second agent started with the same plugin is warned about, not refused', async () => {
    const { logger, messages } = warnings();
    const plugin = new AgentCoreMemoryPlugin({ ...owner, logger });
    const first = new Agent({ model: new ScriptedModel([{ text: 'one' }]), plugins: [plugin], printer: false });
    const second = new Agent({ model: new ScriptedModel([{ text: 'two' }]), plugins: [plugin], printer: false });

    await first.invoke('Hello');
    assert.deepEqual(messages, []);
    await second.invoke('Hello again');

    assert.deepEqual(messages, [
      'Only one agent per session is supported; a second agent was started with this session manager',
    ]);
  });
});
