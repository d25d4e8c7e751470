/**
 * A guardrail that blocks a prompt, with a real `Agent` and a real `BedrockModel` (its
 * Converse calls scripted): the agent replaces the prompt with its redaction message, and
 * that replacement is the only form of the prompt ever sent to AgentCore, in either message
 * format, so extraction never sees the blocked text and a restored agent does not get it back.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { BedrockAgentCoreClient, CreateEventCommand } from '@aws-sdk/client-bedrock-agentcore';
import { Agent } from '@strands-agents/sdk';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemorySessionManager, type MessageFormat } from '../../../../lambda/session-manager/index.js';
import { AgentCoreMemoryPlugin } from '../../../../lambda/session-manager/strands/index.js';
import { type FakeMemory, installFakeMemory } from '../fake-memory.js';
import { pythonRestore } from '../python-session-manager.js';
import { scriptedBedrock } from './scripted-bedrock.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;
const guardrailConfig = { guardrailIdentifier: 'guardrail-1', guardrailVersion: '1' };
const BLOCKED_PROMPT = 'My card number is 4111 1111 1111 1111, remember it.';
const GUARDRAIL_ANSWER = 'Sorry, I cannot help with that.';
const REDACTED = '[User input redacted.]';
let memory: FakeMemory;

beforeEach(() => {
  agentCore.reset();
  memory = installFakeMemory(agentCore);
});

afterEach(() => agentCore.reset());

function sentToAgentCore(): string {
  return JSON.stringify(agentCore.commandCalls(CreateEventCommand).map((call) => call.args[0].input));
}

for (const messageFormat of ['native', 'strands-python'] as const satisfies readonly MessageFormat[]) {
  describe(`a blocked prompt, messageFormat '${messageFormat}'`, () => {
    async function blockedInvocation(batchSize = 1) {
      const { model } = scriptedBedrock([{ text: GUARDRAIL_ANSWER, stopReason: 'guardrail_intervened' }], {
        guardrailConfig,
      });
      const plugin = new AgentCoreMemoryPlugin({ ...owner, messageFormat, batchSize });
      const agent = new Agent({ model, plugins: [plugin], printer: false });
      await agent.invoke(BLOCKED_PROMPT);
      return agent;
    }

    test('is stored as its redaction, and the blocked text is never sent to AgentCore', async () => {
      const agent = await blockedInvocation();

      assert.deepEqual(
        agent.messages[0].content.map((block) => block.toJSON()),
        [{ text: REDACTED }],
      );
      assert.ok(!sentToAgentCore().includes('4111'));
      const expected = [
        { role: 'user', content: [{ text: REDACTED }] },
        { role: 'assistant', content: [{ text: GUARDRAIL_ANSWER }] },
      ];
      assert.deepEqual(await new AgentCoreMemorySessionManager(owner).listMessages(), expected);
      if (messageFormat === 'strands-python') assert.deepEqual(pythonRestore([...memory.events].reverse()), expected);
    });

    test('with batching too', async () => {
      await blockedInvocation(10);

      assert.ok(!sentToAgentCore().includes('4111'));
      assert.equal((await new AgentCoreMemorySessionManager(owner).listMessages()).length, 2);
    });

    test('a restored agent sends the redaction, not the blocked text, to the model', async () => {
      await blockedInvocation();
      const { model, requests } = scriptedBedrock([{ text: 'How can I help?' }]);
      const agent = new Agent({
        model,
        plugins: [new AgentCoreMemoryPlugin({ ...owner, messageFormat })],
        printer: false,
      });

      await agent.invoke('Hello again');

      assert.deepEqual(requests[0].messages![0], { role: 'user', content: [{ text: REDACTED }] });
      assert.ok(!JSON.stringify(requests).includes('4111'));
    });
  });
}
