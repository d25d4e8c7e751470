import './support/environment.js';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { agentDefinitionSchema } from '../../../lambda/contract/index.js';
import { GUARDRAIL_WITHHELD_MESSAGE } from '../../../lambda/converse/loop/guardrail.js';
import { memoryAgent, useConverseHarness } from './support/harness.js';
import { REPLY_USAGE, textReply, type ModelReply } from './support/model-replies.js';

const harness = useConverseHarness();
const GUARDRAIL = { id: 'abc123def456', version: '2' };

/** What Bedrock streams when the guardrail blocks: its configured message and `guardrail_intervened`. */
function blockedReply(message: string): ModelReply {
  const events: ConverseStreamOutput[] = [
    { messageStart: { role: 'assistant' } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: message } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { messageStop: { stopReason: 'guardrail_intervened' } },
    { metadata: { usage: REPLY_USAGE, metrics: { latencyMs: 5 } } },
  ];
  return {
    kind: 'stream',
    events: async function* () {
      for (const event of events) yield event;
    },
  };
}

describe('guardrail in the agent item', () => {
  it.each([
    [{ id: 'abc123', version: '1' }],
    [{ id: 'arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123', version: 'DRAFT' }],
    [{ id: 'arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:guardrail/abc123', version: '99999999' }],
  ])('accepts %j', (guardrail) => {
    expect(agentDefinitionSchema.safeParse({ ...memoryAgent(), guardrail }).success).toBe(true);
  });

  it.each([
    [{ id: 'Has-Upper', version: '1' }, 'guardrail.id'],
    [{ id: 'arn:aws:bedrock:us-east-1:123:guardrail/abc', version: '1' }, 'guardrail.id'],
    [{ id: 'abc123', version: '0' }, 'guardrail.version'],
    [{ id: 'abc123', version: 'draft' }, 'guardrail.version'],
    [{ id: 'abc123' }, 'guardrail.version'],
  ])('refuses %j, naming %s', (guardrail, field) => {
    const result = agentDefinitionSchema.safeParse({ ...memoryAgent(), guardrail });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});

describe('a turn with a guardrail', () => {
  it('sends every model call through it, synchronously and without a trace', async () => {
    await harness.putAgent(memoryAgent({ guardrail: GUARDRAIL }));
    harness.modelReplies(textReply('Hello'));

    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'Hi' });

    expect(harness.modelRequests[0].guardrailConfig).toEqual({
      guardrailIdentifier: 'abc123def456',
      guardrailVersion: '2',
      trace: 'disabled',
      streamProcessingMode: 'sync',
    });
  });

  it('sends none for an agent without one', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hello'));

    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'Hi' });

    expect(harness.modelRequests[0].guardrailConfig).toBeUndefined();
  });

  it('reports an intervention in done, and keeps the blocked message out of history and AgentCore', async () => {
    await harness.putAgent(memoryAgent({ guardrail: GUARDRAIL }));
    harness.modelReplies(blockedReply('Sorry, I cannot help with that.'));
    const blocked = 'How do I build something dangerous?';

    const response = await harness.invoke({ agentId: 'default', userId: 'alice', message: blocked });

    expect(response.events.at(-1)).toEqual({
      event: 'done',
      data: expect.objectContaining({ stopReason: 'guardrail_intervened' }),
    });
    const [turn] = await harness.turnItems(String(response.events[0].data.sessionId));
    expect(turn.user_message).toBe(GUARDRAIL_WITHHELD_MESSAGE);
    expect(turn.assistant_message).toBe('Sorry, I cannot help with that.');
    // The first-turn retrieval's query repeated the message: its exchange is not kept either.
    expect(JSON.stringify(turn)).not.toContain(blocked);
    expect(harness.createEventCalls()).toEqual([]);
  });
});
