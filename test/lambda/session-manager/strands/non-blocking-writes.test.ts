/**
 * The plugin's non-blocking writes, with a real `Agent`, a scripted model and an in-memory
 * AgentCore that refuses writes for a while: the agent does not wait for (or fail on)
 * AgentCore, and an explicit flush or close stores every message.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { Agent } from '@strands-agents/sdk';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemorySessionManager, type SessionManagerLogger } from '../../../../lambda/session-manager/index.js';
import { AgentCoreMemoryPlugin } from '../../../../lambda/session-manager/strands/index.js';
import { type FakeMemory, installFakeMemory } from '../fake-memory.js';
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

const conversation = [
  { role: 'user', content: [{ text: 'Hello' }] },
  { role: 'assistant', content: [{ text: 'Hi there.' }] },
];

function newAgent(nonBlockingWrites: boolean, logger?: SessionManagerLogger) {
  const plugin = new AgentCoreMemoryPlugin({ ...owner, nonBlockingWrites, ...(logger !== undefined && { logger }) });
  const agent = new Agent({ model: new ScriptedModel([{ text: 'Hi there.' }]), plugins: [plugin], printer: false });
  return { agent, plugin };
}

test('the agent answers while AgentCore refuses writes, and close stores every message once AgentCore is back', async () => {
  const warnings: string[] = [];
  const { agent, plugin } = newAgent(true, { warn: (message) => void warnings.push(message) });
  memory.rejectNextCalls(1000);

  const result = await agent.invoke('Hello');
  await new Promise((resolve) => setImmediate(resolve));

  assert.equal(String(result), 'Hi there.');
  assert.ok(warnings.includes('A background write failed; its messages stay pending for the next flush'));
  assert.equal(plugin.sessionManager.pendingMessageCount(), 2);
  memory.clear();
  await plugin.close();
  assert.deepEqual(await new AgentCoreMemorySessionManager(owner).listMessages(), conversation);
});

test('flush waits for the writes under way', async () => {
  const { agent, plugin } = newAgent(true);

  await agent.invoke('Hello');
  await plugin.flush();

  assert.deepEqual(await new AgentCoreMemorySessionManager(owner).listMessages(), conversation);
});

test('without it, the invocation fails when AgentCore refuses the write', async () => {
  const { agent } = newAgent(false);
  memory.rejectNextCalls(1000);

  await assert.rejects(agent.invoke('Hello'), /service unavailable/);
});
