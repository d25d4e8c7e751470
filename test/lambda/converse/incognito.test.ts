import './support/environment.js';
import { AGENT_CORE_MEMORY_TOOL_NAME, RECORD_INCOGNITO_TEXT } from '../../../lambda/converse/memory/tool.js';
import { MEMORY_ID, memoryAgent, useConverseHarness } from './support/harness.js';
import { textReply, toolUseReply } from './support/model-replies.js';

const harness = useConverseHarness();

describe('incognito turns', () => {
  it('still read memories, and write the turn to AgentCore with extraction skipped', async () => {
    await harness.putAgent(memoryAgent());
    harness.memoryRecords.push({
      namespace: '/preferences/u-1/',
      memoryRecordId: 'p',
      text: 'Prefers tea',
      score: 0.9,
    });
    harness.modelReplies(textReply('Tea, then.'));

    const response = await harness.invoke({
      agentId: 'default',
      userId: 'u-1',
      sessionId: 'private-1',
      message: 'What should I drink?',
      memory: 'incognito',
    });

    expect(response.events.at(-1)?.event).toBe('done');
    expect(JSON.stringify(harness.modelRequests[0].messages)).toContain('Prefers tea');
    expect(harness.createEventCalls()).toEqual([
      expect.objectContaining({
        memoryId: MEMORY_ID,
        actorId: 'u-1',
        sessionId: 'private-1',
        extractionMode: 'SKIP',
        payload: [
          { conversational: { role: 'USER', content: { text: 'What should I drink?' } } },
          { conversational: { role: 'ASSISTANT', content: { text: 'Tea, then.' } } },
        ],
      }),
    ]);
  });

  it('refuse to record, and the model is told so', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(
      toolUseReply([
        { toolUseId: 'r1', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'record', content: 'Likes jazz' } },
      ]),
      textReply('I will not remember that.'),
    );

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Remember I like jazz', memory: 'incognito' });

    const toolResult = harness.modelRequests[1].messages!.at(-1)!.content![0].toolResult!;
    expect(toolResult).toEqual(
      expect.objectContaining({ toolUseId: 'r1', status: 'error', content: [{ text: RECORD_INCOGNITO_TEXT }] }),
    );
    const written = harness.createEventCalls();
    expect(written).toHaveLength(1);
    expect(JSON.stringify(written[0].payload)).not.toContain('Likes jazz');
    expect(written[0].extractionMode).toBe('SKIP');
  });

  it('are the default of an agent with default_mode incognito, and a request can still ask to learn', async () => {
    await harness.putAgent(
      memoryAgent({ memory_feature: { enabled: true, memory_id: MEMORY_ID, default_mode: 'incognito' } }),
    );
    harness.modelReplies(textReply('A'), textReply('B'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'One' });
    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Two', memory: 'learn' });

    const [byDefault, learning] = harness.createEventCalls();
    expect(byDefault.extractionMode).toBe('SKIP');
    expect(learning.extractionMode).toBeUndefined();
  });

  it('are not the default: a turn that names no mode learns', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('A'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'One' });

    expect(harness.createEventCalls()).toHaveLength(1);
    expect(harness.createEventCalls()[0].extractionMode).toBeUndefined();
  });

  it('are asked for with memory "incognito" or "learn"; anything else is a 400 naming the field', async () => {
    await harness.putAgent(memoryAgent());

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hi', memory: 'forget' });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { type: 'BadRequest', message: 'memory: memory must be one of "learn", "incognito"' },
    });
    expect(harness.awsCallCount()).toEqual({ dynamodb: 0, bedrock: 0, agentCore: 0 });
  });
});
