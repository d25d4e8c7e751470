import './support/environment.js';
import type { AgentDefinitionInput } from '../../../lambda/contract/index.js';
import { AGENT_CORE_MEMORY_TOOL_NAME, NO_MEMORIES_TEXT } from '../../../lambda/converse/memory/tool.js';
import { MEMORY_ID, memoryAgent, useConverseHarness } from './support/harness.js';
import { endingEarlyReply, textReply, toolUseReply } from './support/model-replies.js';

const harness = useConverseHarness();

const TOPIC_IS_BILLING = { key: 'topic', operator: 'EQUALS_TO', value: { string_value: 'billing' } } as const;

/** An agent retrieving from two namespaces, the first narrowed to records learned by this agent. */
function filteringAgent(feature: Partial<NonNullable<AgentDefinitionInput['memory_feature']>> = {}) {
  return memoryAgent({
    memory_feature: {
      enabled: true,
      memory_id: MEMORY_ID,
      retrieval: {
        '/preferences/{actorId}/': {
          top_k: 5,
          relevance_score: 0.3,
          metadata_filters: [{ key: 'agentId', operator: 'EQUALS_TO', value: { string_value: 'default' } }],
        },
        '/facts/{actorId}/': { top_k: 5, relevance_score: 0.3 },
      },
      ...feature,
    },
  });
}

/** The filters of the last retrieve (one call per namespace); a new session's first-turn retrieval comes before it. */
function filtersSentPerNamespace(): Record<string, unknown> {
  return Object.fromEntries(
    harness
      .retrieveCalls()
      .slice(-2)
      .map((call) => [call.namespacePath ?? call.namespace, call.searchCriteria?.metadataFilters]),
  );
}

/** The model's retrieve is refused: only the first-turn retrieval (one call per namespace) ran, without its filters. */
function expectOnlyTheFirstTurnRetrieval(): void {
  const calls = harness.retrieveCalls();
  expect(calls).toHaveLength(2);
  expect(JSON.stringify(calls)).not.toContain('topic');
}

function toolResultText(request = 1): string | undefined {
  return harness.modelRequests[request].messages!.at(-1)!.content![0].toolResult?.content?.[0]?.text;
}

function retrieveWithFilters(filters: unknown) {
  return toolUseReply([
    { toolUseId: 'q1', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'retrieve', query: 'invoices', filters } },
  ]);
}

describe('the metadata on every turn event', () => {
  it('names the agent, the memory mode and the source: typed and answered', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hello.'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 's-1', message: 'Hi' });

    expect(harness.createEventCalls().map((call) => call.metadata)).toEqual([
      {
        agentId: { stringValue: 'default' },
        memoryMode: { stringValue: 'learn' },
        source: { stringValue: 'user_and_model' },
      },
    ]);
  });

  it('marks an incognito turn as such', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hello.'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 's-1', message: 'Hi', memory: 'incognito' });

    expect(harness.createEventCalls().map((call) => call.metadata?.memoryMode)).toEqual([{ stringValue: 'incognito' }]);
  });

  it('marks an event holding only the typed message (the answer was cut off) as the user alone', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(endingEarlyReply('The first half', ' of it'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 's-1', message: 'Explain' });

    const [event] = harness.createEventCalls();
    expect(event.payload).toEqual([{ conversational: { role: 'USER', content: { text: 'Explain' } } }]);
    expect(event.metadata?.source).toEqual({ stringValue: 'user' });
  });
});

describe("an agent's metadata filters", () => {
  it("are sent with each namespace's RetrieveMemoryRecords, and only with its own", async () => {
    await harness.putAgent(filteringAgent());
    harness.modelReplies(textReply('Hello.'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hi' });

    expect(filtersSentPerNamespace()).toEqual({
      '/preferences/u-1/': [
        {
          left: { metadataKey: 'agentId' },
          operator: 'EQUALS_TO',
          right: { metadataValue: { stringValue: 'default' } },
        },
      ],
      '/facts/u-1/': undefined,
    });
  });

  it('leave the tool specification as shared when the agent lets the model filter on nothing', async () => {
    await harness.putAgent(filteringAgent());
    harness.modelReplies(textReply('Hello.'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 's-1', message: 'Hi' });

    const memoryTool = harness.modelRequests[0].toolConfig!.tools!.find(
      (tool) => tool.toolSpec?.name === AGENT_CORE_MEMORY_TOOL_NAME,
    );
    expect(JSON.stringify(memoryTool)).not.toContain('filters');
  });
});

describe("the model's filters on a retrieve", () => {
  it("are offered with the agent's keys, and added to every namespace's filters", async () => {
    await harness.putAgent(filteringAgent({ tool_filter_keys: ['topic'] }));
    harness.modelReplies(retrieveWithFilters([TOPIC_IS_BILLING]), textReply('Nothing on that.'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 's-1', message: 'My invoices?' });

    const spec = harness.modelRequests[0].toolConfig!.tools!.find(
      (tool) => tool.toolSpec?.name === AGENT_CORE_MEMORY_TOOL_NAME,
    )!.toolSpec!;
    const properties = (spec.inputSchema!.json as { properties: Record<string, { items?: unknown }> }).properties;
    expect(properties.filters.items).toEqual(
      expect.objectContaining({
        properties: expect.objectContaining({ key: { type: 'string', enum: ['topic'] } }),
      }),
    );
    const topicIsBilling = {
      left: { metadataKey: 'topic' },
      operator: 'EQUALS_TO',
      right: { metadataValue: { stringValue: 'billing' } },
    };
    expect(filtersSentPerNamespace()).toEqual({
      '/preferences/u-1/': [
        {
          left: { metadataKey: 'agentId' },
          operator: 'EQUALS_TO',
          right: { metadataValue: { stringValue: 'default' } },
        },
        topicIsBilling,
      ],
      '/facts/u-1/': [topicIsBilling],
    });
    expect(toolResultText()).toBe(NO_MEMORIES_TEXT);
  });

  it('send a date, a number and a list as AgentCore types them, and EXISTS with no value', async () => {
    await harness.putAgent(filteringAgent({ tool_filter_keys: ['learnedAt', 'priority', 'tags'] }));
    harness.modelReplies(
      retrieveWithFilters([
        { key: 'learnedAt', operator: 'AFTER', value: { date_time_value: '2026-01-31T00:00:00Z' } },
        { key: 'priority', operator: 'GREATER_THAN', value: { number_value: 2 } },
        { key: 'tags', operator: 'CONTAINS', value: { string_list_value: ['tax', 'vat'] } },
        { key: 'tags', operator: 'EXISTS' },
      ]),
      textReply('Done.'),
    );

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 's-1', message: 'Recent?' });

    expect(filtersSentPerNamespace()['/facts/u-1/']).toEqual([
      {
        left: { metadataKey: 'learnedAt' },
        operator: 'AFTER',
        right: { metadataValue: { dateTimeValue: new Date('2026-01-31T00:00:00Z') } },
      },
      { left: { metadataKey: 'priority' }, operator: 'GREATER_THAN', right: { metadataValue: { numberValue: 2 } } },
      {
        left: { metadataKey: 'tags' },
        operator: 'CONTAINS',
        right: { metadataValue: { stringListValue: ['tax', 'vat'] } },
      },
      { left: { metadataKey: 'tags' }, operator: 'EXISTS' },
    ]);
  });

  it.each([
    ['a key the agent does not allow', [{ key: 'agentId', operator: 'EXISTS' }], /keys must be among topic/],
    [
      'more filters than fit beside the agent’s own',
      Array.from({ length: 5 }, () => TOPIC_IS_BILLING),
      /at most 4 filters fit/,
    ],
    ['a value EXISTS does not take', [{ ...TOPIC_IS_BILLING, operator: 'EXISTS' }], /^Invalid input/],
    ['a comparison without a value', [{ key: 'topic', operator: 'EQUALS_TO' }], /^Invalid input/],
    [
      'a value out of AgentCore’s limits',
      [{ ...TOPIC_IS_BILLING, value: { string_value: 'x'.repeat(257) } }],
      /^Invalid input/,
    ],
  ])('are refused, with nothing of theirs retrieved: %s', async (_case, filters, refusal) => {
    await harness.putAgent(filteringAgent({ tool_filter_keys: ['topic'] }));
    harness.modelReplies(retrieveWithFilters(filters), textReply('Sorry.'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 's-1', message: 'My invoices?' });

    expectOnlyTheFirstTurnRetrieval();
    expect(toolResultText()).toMatch(refusal);
  });

  it('are refused when the agent lets the model filter on nothing', async () => {
    await harness.putAgent(filteringAgent());
    harness.modelReplies(retrieveWithFilters([TOPIC_IS_BILLING]), textReply('Sorry.'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId: 's-1', message: 'My invoices?' });

    expectOnlyTheFirstTurnRetrieval();
    expect(toolResultText()).toMatch(/takes no filters/);
  });
});
