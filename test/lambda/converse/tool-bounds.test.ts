import './support/environment.js';
import { CreateEventCommand, RetrieveMemoryRecordsCommand } from '@aws-sdk/client-bedrock-agentcore';
import type { ToolResultBlock } from '@aws-sdk/client-bedrock-runtime';
import { MEMORY_ID, memoryAgent, useConverseHarness } from './support/harness.js';
import { textReply, toolUseReply, type ScriptedToolUse } from './support/model-replies.js';

const harness = useConverseHarness();

/** 200 tool uses in one reply: retrieves and records alternating. */
function twoHundredToolUses(prefix: string): ScriptedToolUse[] {
  return Array.from({ length: 200 }, (_, index) => ({
    toolUseId: `${prefix}${index}`,
    name: 'agent_core_memory',
    input: index % 2 === 0 ? { action: 'retrieve', query: `q${index}` } : { action: 'record', content: `c${index}` },
  }));
}

describe('measure', () => {
  it('counts AgentCore calls of a turn whose every reply asks for 200 tool uses', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(
      ...Array.from({ length: 1 }, (_, reply) => toolUseReply(twoHundredToolUses(`r${reply}-`))),
      textReply('done'),
    );
    const response = await harness.invoke({ agentId: 'default', userId: 'alice', message: 'hi' });
    const retrieves = harness.agentCore.commandCalls(RetrieveMemoryRecordsCommand).length;
    const creates = harness.agentCore.commandCalls(CreateEventCommand).length;
    // eslint-disable-next-line no-console
    console.log(JSON.stringify({ retrieves, creates, total: retrieves + creates, memoryId: MEMORY_ID }));
    expect(response.body).toContain('event: done');
    void ({} as ToolResultBlock);
  });
});
