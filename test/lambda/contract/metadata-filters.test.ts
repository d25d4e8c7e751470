import {
  RETRIEVE_METADATA_FILTERS_MAX,
  TOOL_FILTER_KEYS_MAX,
  agentDefinitionSchema,
  type AgentDefinitionInput,
} from '../../../lambda/contract/index.js';

const TOPIC_IS_BILLING = { key: 'topic', operator: 'EQUALS_TO', value: { string_value: 'billing' } };

function agentWith(metadataFilters: unknown, feature: Record<string, unknown> = {}): AgentDefinitionInput {
  return {
    agent_id: 'support',
    base_prompt: 'Help.',
    foundation_model: 'model',
    memory_feature: {
      enabled: true,
      memory_id: 'memory_name-abcdefghij',
      retrieval: { '/facts/{actorId}/': { top_k: 5, relevance_score: 0.3, metadata_filters: metadataFilters } },
      ...feature,
    },
  } as AgentDefinitionInput;
}

function problems(item: AgentDefinitionInput): string[] {
  const result = agentDefinitionSchema.safeParse(item);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe("an agent's record metadata filters", () => {
  test('accept every value type AgentCore filters on, and presence tests without a value', () => {
    const filters = [
      TOPIC_IS_BILLING,
      { key: 'tags', operator: 'CONTAINS', value: { string_list_value: ['tax', 'vat'] } },
      { key: 'priority', operator: 'GREATER_THAN_OR_EQUALS', value: { number_value: 2 } },
      { key: 'learnedAt', operator: 'AFTER', value: { date_time_value: '2026-01-31T00:00:00Z' } },
      { key: 'reviewed', operator: 'NOT_EXISTS' },
    ];
    expect(filters).toHaveLength(RETRIEVE_METADATA_FILTERS_MAX);
    expect(problems(agentWith(filters, { tool_filter_keys: ['topic', 'tags'] }))).toEqual([]);
  });

  test.each<[string, unknown, RegExp]>([
    ['more filters than RetrieveMemoryRecords takes', Array(6).fill(TOPIC_IS_BILLING), /at most 5 filters/],
    ['an empty list', [], /metadata_filters/],
    ['a key with a character AgentCore refuses', [{ ...TOPIC_IS_BILLING, key: 'topic!' }], /metadata key/],
    ['a key over 128 characters', [{ ...TOPIC_IS_BILLING, key: 'k'.repeat(129) }], /metadata key/],
    ['an operator AgentCore does not know', [{ ...TOPIC_IS_BILLING, operator: 'LIKE' }], /operator/],
    ['a comparison without a value', [{ key: 'topic', operator: 'EQUALS_TO' }], /EQUALS_TO needs a value/],
    ['a value on EXISTS', [{ ...TOPIC_IS_BILLING, operator: 'EXISTS' }], /EXISTS takes no value/],
    [
      'a value of two types',
      [{ ...TOPIC_IS_BILLING, value: { string_value: 'a', number_value: 1 } }],
      /exactly one of/,
    ],
    ['a string over 256 characters', [{ ...TOPIC_IS_BILLING, value: { string_value: 's'.repeat(257) } }], /1-256/],
    [
      'a list of six strings',
      [{ ...TOPIC_IS_BILLING, value: { string_list_value: ['a', 'b', 'c', 'd', 'e', 'f'] } }],
      /1-5 strings of 1-64/,
    ],
    [
      'a list string over 64 characters',
      [{ ...TOPIC_IS_BILLING, value: { string_list_value: ['l'.repeat(65)] } }],
      /1-5 strings of 1-64/,
    ],
    ['a number that is not finite', [{ ...TOPIC_IS_BILLING, value: { number_value: Infinity } }], /number_value/],
    ['a date that is not ISO 8601', [{ ...TOPIC_IS_BILLING, value: { date_time_value: 'last week' } }], /ISO 8601/],
  ])('refuse %s', (_case, filters, expected) => {
    const found = problems(agentWith(filters));
    expect(found.join('\n')).toMatch(expected);
    expect(
      found.every((problem) => problem.startsWith('memory_feature.retrieval./facts/{actorId}/.metadata_filters')),
    ).toBe(true);
  });

  test.each<[string, unknown]>([
    ['an empty list', []],
    ['a key AgentCore refuses', ['topic!']],
    ['more keys than the tool lists', Array.from({ length: TOOL_FILTER_KEYS_MAX + 1 }, (_, index) => `key${index}`)],
  ])('refuse tool_filter_keys with %s', (_case, keys) => {
    expect(problems(agentWith(undefined, { tool_filter_keys: keys })).join('\n')).toMatch(
      /^memory_feature\.tool_filter_keys/,
    );
  });
});
