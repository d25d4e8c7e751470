/**
 * Several agents in one session (`multiAgent`), with real `Agent`s, scripted models and an
 * in-memory AgentCore: each agent's messages carry its id, and each agent restores only
 * its own messages and state.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { BedrockAgentCoreClient, CreateEventCommand } from '@aws-sdk/client-bedrock-agentcore';
import { Agent } from '@strands-agents/sdk';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemoryPlugin } from '../../../../lambda/session-manager/strands/index.js';
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

function twoAgents(plugin: AgentCoreMemoryPlugin, plannerReplies: string[], writerReplies: string[]) {
  const agent = (id: string, replies: string[]) => {
    const model = new ScriptedModel(replies.map((text) => ({ text })));
    return { agent: new Agent({ id, model, plugins: [plugin], printer: false }), model };
  };
  return { planner: agent('planner', plannerReplies), writer: agent('writer', writerReplies) };
}

test('two agents in one session each restore their own messages and state', async () => {
  const running = twoAgents(
    new AgentCoreMemoryPlugin({ ...owner, multiAgent: true }),
    ['Plan: A, B.'],
    ['Draft of A.'],
  );
  running.planner.agent.appState.set('step', 'planned');
  await running.planner.agent.invoke('Plan the article.');
  running.writer.agent.appState.set('step', 'drafting');
  await running.writer.agent.invoke('Write part A.');

  const restored = twoAgents(new AgentCoreMemoryPlugin({ ...owner, multiAgent: true }), ['Next: B.'], ['Draft of B.']);
  await restored.planner.agent.invoke('What next?');
  await restored.writer.agent.invoke('Write part B.');

  assert.deepEqual(restored.planner.model.requests[0].messages, [
    { role: 'user', content: [{ text: 'Plan the article.' }] },
    { role: 'assistant', content: [{ text: 'Plan: A, B.' }] },
    { role: 'user', content: [{ text: 'What next?' }] },
  ]);
  assert.deepEqual(restored.writer.model.requests[0].messages, [
    { role: 'user', content: [{ text: 'Write part A.' }] },
    { role: 'assistant', content: [{ text: 'Draft of A.' }] },
    { role: 'user', content: [{ text: 'Write part B.' }] },
  ]);
  assert.equal(restored.planner.agent.appState.get('step'), 'planned');
  assert.equal(restored.writer.agent.appState.get('step'), 'drafting');
});

test("each message event carries its agent's id in the event metadata, with the configured metadata", async () => {
  const plugin = new AgentCoreMemoryPlugin({
    ...owner,
    multiAgent: true,
    eventMetadata: { channel: { stringValue: 'web' } },
  });
  const { planner, writer } = twoAgents(plugin, ['Plan.'], ['Draft.']);
  await planner.agent.invoke('Plan it.');
  await writer.agent.invoke('Write it.');

  const metadata = agentCore.commandCalls(CreateEventCommand).map((call) => call.args[0].input.metadata);
  assert.deepEqual(metadata, [
    { channel: { stringValue: 'web' }, agentId: { stringValue: 'planner' } },
    { channel: { stringValue: 'web' }, agentId: { stringValue: 'planner' } },
    { channel: { stringValue: 'web' }, agentId: { stringValue: 'writer' } },
    { channel: { stringValue: 'web' }, agentId: { stringValue: 'writer' } },
  ]);
});

test('two agents with one id cannot share a multi-agent session', async () => {
  const plugin = new AgentCoreMemoryPlugin({ ...owner, multiAgent: true });
  const first = new Agent({
    id: 'twin',
    model: new ScriptedModel([{ text: 'one' }]),
    plugins: [plugin],
    printer: false,
  });
  const second = new Agent({
    id: 'twin',
    model: new ScriptedModel([{ text: 'two' }]),
    plugins: [plugin],
    printer: false,
  });

  await first.invoke('Hello');
  await assert.rejects(second.invoke('Hello'), /distinct id/);
});

test("multiAgent is refused with the Python format, whose agents restore every agent's messages", () => {
  assert.throws(
    () => new AgentCoreMemoryPlugin({ ...owner, multiAgent: true, messageFormat: 'strands-python' }),
    /multiAgent/,
  );
});
