import './support/environment.js';
import { RetrieveMemoryRecordsCommand } from '@aws-sdk/client-bedrock-agentcore';
import { UNSAFE_NAMESPACE_LAYOUT_WARNING } from '../../../lambda/converse/memory/activation.js';
import { AGENT_CORE_MEMORY_TOOL_NAME } from '../../../lambda/converse/memory/tool.js';
import { MetricName } from '../../../lambda/converse/observability.js';
import { MEMORY_ID, memoryAgent, memoryRecordSummary, useConverseHarness } from './support/harness.js';
import { textReply, toolUseReply } from './support/model-replies.js';

const harness = useConverseHarness();

/** A service that ignores the namespace asked for: every stored record comes back. */
function serviceReturningEveryRecord(): void {
  harness.agentCore.on(RetrieveMemoryRecordsCommand).callsFake(async () => ({
    memoryRecordSummaries: harness.memoryRecords.map(memoryRecordSummary),
  }));
}

describe("a record planted under another actor's namespace", () => {
  beforeEach(() => {
    harness.memoryRecords.push(
      { namespace: '/preferences/bob/', memoryRecordId: 'bob-own', text: 'bob likes evenings', score: 0.9 },
      { namespace: '/preferences/bobby/', memoryRecordId: 'planted', text: 'bobby likes mornings', score: 0.99 },
      { namespace: '/preferences/bo/', memoryRecordId: 'bo', text: 'bo likes noon', score: 0.95 },
    );
    serviceReturningEveryRecord();
  });

  it('never reaches the model in the first-turn retrieval: dropped, counted and logged', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Evening it is'));

    const response = await harness.invoke({ agentId: 'default', userId: 'bob', message: 'When should we meet?' });

    expect(response.events.at(-1)?.event).toBe('done');
    const sent = JSON.stringify(harness.modelRequests[0].messages);
    expect(sent).toContain('bob likes evenings');
    expect(sent).not.toContain('bobby likes mornings');
    expect(sent).not.toContain('bo likes noon');
    // Each of the default config's four namespaces returned the two foreign records.
    expect(harness.metricValues(MetricName.foreignMemoryRecords)).toEqual([8]);
    expect(harness.warn).toHaveBeenCalledWith(
      "retrieved memory records not under the user's own namespaces were dropped",
      expect.objectContaining({
        actorId: 'bob',
        records: expect.arrayContaining([
          { memoryRecordId: 'planted', namespaces: ['/preferences/bobby/'], retrievedFrom: '/preferences/bob/' },
        ]),
      }),
    );
  });

  it("never reaches the model through the memory tool's retrieve mid-conversation", async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hi'));
    const first = await harness.invoke({ agentId: 'default', userId: 'bob', message: 'Hello' });
    const sessionId = String(first.events[0].data.sessionId);
    harness.modelReplies(
      toolUseReply([
        { toolUseId: 'm1', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'retrieve', query: 'meetings' } },
      ]),
      textReply('Evenings'),
    );

    await harness.invoke({ agentId: 'default', userId: 'bob', sessionId, message: 'When do I like to meet?' });

    const toolResult = JSON.stringify(harness.modelRequests.at(-1)!.messages!.at(-1));
    expect(toolResult).toContain('bob likes evenings');
    expect(toolResult).not.toContain('bobby likes mornings');
    expect(toolResult).not.toContain('bo likes noon');
  });
});

describe('the converse function checks every record itself, whatever session manager stands behind it', () => {
  it('drops a foreign record a session manager returned as its own', async () => {
    await harness.putAgent(memoryAgent());
    const record = (namespace: string, text: string) => ({
      namespace,
      namespaces: [namespace],
      memoryRecordId: text,
      text,
      score: 0.9,
    });
    harness.override({
      createSessionManager: () => ({
        appendMessage: async () => undefined,
        flush: async () => undefined,
        retrieve: async () => ({
          records: [record('/facts/bob/', 'bob owns a cat'), record('/facts/bobby/', 'bobby owns a dog')],
          failures: [],
        }),
      }),
    });
    harness.modelReplies(textReply('A cat'));

    await harness.invoke({ agentId: 'default', userId: 'bob', message: 'What pet do I have?' });

    const sent = JSON.stringify(harness.modelRequests[0].messages);
    expect(sent).toContain('bob owns a cat');
    expect(sent).not.toContain('bobby owns a dog');
    expect(harness.metricValues(MetricName.foreignMemoryRecords)).toEqual([1]);
  });
});

describe('an agent item whose retrieval templates do not keep users apart', () => {
  it('runs without memory, with a WARNING naming the problem and a metric, never an error', async () => {
    await harness.putAgent(
      memoryAgent({
        memory_feature: {
          enabled: true,
          memory_id: MEMORY_ID,
          retrieval: {
            '/{actorId}/': { top_k: 3, relevance_score: 0.2 },
            '/preferences/{actorId}/': { top_k: 3, relevance_score: 0.2 },
          },
        },
      }),
    );
    harness.memoryRecords.push({
      namespace: '/preferences/alice/',
      memoryRecordId: 'alice',
      text: 'alice likes tea',
      score: 0.9,
    });
    harness.modelReplies(textReply('Hello'));

    const response = await harness.invoke({ agentId: 'default', userId: 'preferences', message: 'What do I like?' });

    expect(response.statusCode).toBe(200);
    expect(response.events.at(-1)?.event).toBe('done');
    expect(harness.retrieveCalls()).toEqual([]);
    const tools = harness.modelRequests[0].toolConfig?.tools ?? [];
    expect(tools.map((tool) => tool.toolSpec?.name)).not.toContain(AGENT_CORE_MEMORY_TOOL_NAME);
    expect(JSON.stringify(harness.modelRequests[0])).not.toContain('alice likes tea');
    expect(harness.warn).toHaveBeenCalledWith(UNSAFE_NAMESPACE_LAYOUT_WARNING, {
      agentId: 'default',
      problems: expect.arrayContaining([expect.stringContaining("the actorId 'preferences' resolves")]),
    });
    expect(harness.metricValues(MetricName.unsafeNamespaceLayouts)).toEqual([1]);
  });
});
