import {
  RETRIEVAL_DEFAULTS,
  RETRIEVAL_NAMESPACES_MAX,
  actorIdForUser,
  actorPrefixFor,
  agentDefinitionSchema,
  memoryIdErrors,
  namespaceTemplateErrors,
  retrievalSettingIssues,
  strategyIdErrors,
} from '../../../lambda/contract/index.js';
import { DEFAULT_RELEVANCE_SCORE, DEFAULT_TOP_K } from '../../../lambda/session-manager/index.js';

describe("AgentCore's namespace limits", () => {
  test.each<[string, string, string]>([
    ["a '.', which AgentCore's namespace pattern has no place for", '/facts.v2/{actorId}/', "has no '.'"],
    ['a template over 512 characters', `/${'n'.repeat(510)}/{actorId}/`, 'AgentCore accepts at most 512: shorten it'],
    [
      'a template whose longest resolution is over 1,024 characters',
      `/${'n'.repeat(300)}/{actorId}/{actorId}/{actorId}/`,
      'can resolve to 1070 characters with the longest ids',
    ],
  ])('rejects %s', (_case, template, expected) => {
    expect(namespaceTemplateErrors(template).join('; ')).toContain(expected);
  });

  test('accepts a template of exactly 512 characters that resolves within 1,024', () => {
    const template = `/${'n'.repeat(488)}/{actorId}/{sessionId}/`;
    expect(template).toHaveLength(512);
    expect(namespaceTemplateErrors(template)).toEqual([]);
    expect(namespaceTemplateErrors(`/${'n'.repeat(489)}/{actorId}/{sessionId}/`)).toHaveLength(1);
  });

  test("an actor's prefix ends after the actorId, so colliding userIds never share one", () => {
    const prefix = (userId: string) => actorPrefixFor('/summaries/{actorId}/{sessionId}/', actorIdForUser(userId));
    expect(prefix('bo')).toBe('/summaries/bo/');
    expect(prefix('bob').startsWith(prefix('bo'))).toBe(false);
    expect(prefix('a/b').startsWith(prefix('a'))).toBe(false);
  });
});

describe('AgentCore ids', () => {
  test.each([
    'agent_memory_prod-AbCdEf1234',
    'm-0123456789',
    'arn:aws:bedrock-agentcore:us-east-1:111122223333:memory/m-0123456789',
  ])('accepts the memory id %s', (memoryId) => expect(memoryIdErrors(memoryId)).toEqual([]));

  test.each([
    '',
    'mem',
    'agent_memory_prod',
    'mem-123456789',
    'mem-12345678901',
    '1mem-0123456789',
    'mem.x-0123456789',
  ])('rejects the memory id %j, naming the field and the form', (memoryId) =>
    expect(memoryIdErrors(memoryId, 'memory_id')).toEqual([
      expect.stringMatching(/^memory_id must be an AgentCore memory id such as 'agent_memory_prod-AbCdEf1234'/),
    ]),
  );

  test.each(['', '-strategy', 'a.b', 's'.repeat(101)])('rejects the strategy id %j', (strategyId) => {
    expect(strategyIdErrors(strategyId)[0]).toMatch(/^strategyId must be 1-100 letters, digits, '-' and '_'/);
  });

  test('accepts a strategy id of 100 characters', () => {
    expect(strategyIdErrors(`s${'-'.repeat(99)}`)).toEqual([]);
  });
});

describe('retrieval settings: one shape, one defaults table, one validator', () => {
  test("the session manager's documented defaults are the table's namespace row: top_k 10, relevance 0.2", () => {
    expect(RETRIEVAL_DEFAULTS.namespace).toEqual({ topK: 10, relevanceScore: 0.2 });
    expect([DEFAULT_TOP_K, DEFAULT_RELEVANCE_SCORE]).toEqual([10, 0.2]);
  });

  test('the validator rejects, never clamps, and says what to change', () => {
    expect(retrievalSettingIssues({ topK: 0, relevanceScore: 1.1 })).toEqual([
      { key: 'topK', message: 'must be a whole number from 1 to 100 (got 0)' },
      { key: 'relevanceScore', message: 'must be a number from 0 to 1 (got 1.1)' },
    ]);
    expect(retrievalSettingIssues({ topK: 100, relevanceScore: 0 })).toEqual([]);
  });

  test('an agent definition rejects a retrieval namespace with a . and settings out of range, naming each field', () => {
    const result = agentDefinitionSchema.safeParse({
      agent_id: 'a',
      base_prompt: 'p',
      foundation_model: 'amazon.nova-pro-v1:0',
      memory_feature: {
        enabled: true,
        memory_id: 'agent_memory_dev-AbCdEf1234',
        retrieval: { '/facts.v2/{actorId}/': { top_k: 0, relevance_score: 0.5 } },
      },
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues).toEqual([
      'memory_feature.retrieval./facts.v2/{actorId}/.top_k: must be a whole number from 1 to 100 (got 0)',
      expect.stringContaining(
        "memory_feature.retrieval./facts.v2/{actorId}/: namespace '/facts.v2/{actorId}/' segment 'facts.v2'",
      ),
    ]);
  });
});

describe('how many namespaces one retrieval searches', () => {
  const itemWith = (namespaces: number) => ({
    agent_id: 'a',
    base_prompt: 'p',
    foundation_model: 'amazon.nova-pro-v1:0',
    memory_feature: {
      enabled: true,
      memory_id: 'agent_memory_dev-AbCdEf1234',
      retrieval: Object.fromEntries(
        Array.from({ length: namespaces }, (_, index) => [
          `/facts/n${index}/{actorId}/`,
          { top_k: 5, relevance_score: 0.5 },
        ]),
      ),
    },
  });

  test(`accepts ${RETRIEVAL_NAMESPACES_MAX} namespaces, the most that keeps a turn's AgentCore calls bounded`, () => {
    expect(agentDefinitionSchema.safeParse(itemWith(RETRIEVAL_NAMESPACES_MAX)).success).toBe(true);
  });

  test('refuses one more, saying why', () => {
    const result = agentDefinitionSchema.safeParse(itemWith(RETRIEVAL_NAMESPACES_MAX + 1));
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      `memory_feature.retrieval: lists 9 namespaces; at most 8, since every retrieve searches each of them (one AgentCore call per namespace)`,
    ]);
  });
});
