/**
 * The plugin's timed flush, with a real `Agent`, a scripted model, a slow tool and an
 * in-memory AgentCore: batched messages are sent while the invocation is still running.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, test } from 'node:test';
import { BedrockAgentCoreClient, CreateEventCommand } from '@aws-sdk/client-bedrock-agentcore';
import { Agent, tool } from '@strands-agents/sdk';
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

const slowLookup = tool({
  name: 'slow_lookup',
  description: 'A lookup that takes a while',
  inputSchema: { type: 'object', properties: {} },
  callback: async () => {
    await sleep(300);
    return { found: true };
  },
});

function createEventCount(): number {
  return agentCore.commandCalls(CreateEventCommand).length;
}

async function invokeWithSlowTool(config: { flushIntervalSeconds?: number }): Promise<number[]> {
  const sentAtEachModelCall: number[] = [];
  const model = new ScriptedModel(
    [{ toolUse: { name: 'slow_lookup', toolUseId: 'tooluse_1', input: {} } }, { text: 'Found it.' }],
    () => sentAtEachModelCall.push(createEventCount()),
  );
  const plugin = new AgentCoreMemoryPlugin({ ...owner, batchSize: 10, ...config });
  const agent = new Agent({ model, plugins: [plugin], tools: [slowLookup], printer: false });
  await agent.invoke('Look it up.');
  await plugin.close();
  return sentAtEachModelCall;
}

test('with flushIntervalSeconds, messages buffered before a slow tool are sent while it runs', async () => {
  assert.deepEqual(await invokeWithSlowTool({ flushIntervalSeconds: 0.05 }), [0, 1]);
});

test('without it, they wait for the end of the invocation', async () => {
  assert.deepEqual(await invokeWithSlowTool({}), [0, 0]);
});

test('an interval that is not a positive number is refused', () => {
  for (const flushIntervalSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => new AgentCoreMemoryPlugin({ ...owner, flushIntervalSeconds }), /flushIntervalSeconds/);
  }
});
