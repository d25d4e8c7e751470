import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import {
  AgentCoreMemorySessionManager,
  type AgentCoreMemorySessionManagerConfig,
  SessionManagerConfigError,
} from '../../../lambda/session-manager/index.js';

const valid = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;

function configErrors(config: unknown): readonly string[] {
  try {
    new AgentCoreMemorySessionManager(config as AgentCoreMemorySessionManagerConfig);
  } catch (error) {
    expect(error).toBeInstanceOf(SessionManagerConfigError);
    return (error as SessionManagerConfigError).errors;
  }
  throw new Error('expected the constructor to throw');
}

describe('a valid config', () => {
  test('gets the defaults: batchSize 1', () => {
    const sessionManager = new AgentCoreMemorySessionManager(valid);

    expect(sessionManager.batchSize).toBe(1);
    expect([sessionManager.memoryId, sessionManager.sessionId, sessionManager.actorId]).toEqual([
      'mem-1234567890',
      'session-1',
      'actor-1',
    ]);
  });

  test('accepts the AgentCore actorId forms with ":" and the longest ids', () => {
    expect(() => new AgentCoreMemorySessionManager({ ...valid, actorId: 'tenant-alice:device_1' })).not.toThrow();
    expect(() => new AgentCoreMemorySessionManager({ ...valid, actorId: 'a'.repeat(255) })).not.toThrow();
    expect(() => new AgentCoreMemorySessionManager({ ...valid, sessionId: 's'.repeat(100) })).not.toThrow();
    expect(() => new AgentCoreMemorySessionManager({ ...valid, batchSize: 100 })).not.toThrow();
  });

  test('accepts an injected client and logger', () => {
    expect(
      () =>
        new AgentCoreMemorySessionManager({
          ...valid,
          client: new BedrockAgentCoreClient({ region: 'us-east-1' }),
          logger: console,
        }),
    ).not.toThrow();
  });
});

describe('each invalid field is named', () => {
  test.each<[string, Partial<Record<keyof AgentCoreMemorySessionManagerConfig, unknown>>, RegExp]>([
    ['memoryId missing', { memoryId: undefined }, /^memoryId /],
    ['memoryId blank', { memoryId: '  ' }, /^memoryId /],
    [
      'memoryId without its 10-character suffix',
      { memoryId: 'my_memory' },
      /^memoryId must be an AgentCore memory id such as 'agent_memory_prod-AbCdEf1234' \(the memory name, '-' and 10 letters or digits, at least 12 characters\) or its memory ARN \(got "my_memory"\)$/,
    ],
    ['sessionId with a space', { sessionId: 'my session' }, /^sessionId /],
    ['sessionId too long', { sessionId: 's'.repeat(101) }, /^sessionId /],
    ['sessionId starting with -', { sessionId: '-s' }, /^sessionId /],
    ['actorId empty', { actorId: '' }, /^actorId /],
    ['actorId too long', { actorId: 'a'.repeat(256) }, /^actorId /],
    ['actorId with @', { actorId: 'alice@example.com' }, /^actorId .*\(got "alice@example\.com"\)$/],
    [
      "actorId with '/', which AgentCore accepts but would let 'tenant1' cover 'tenant1/alice'",
      { actorId: 'tenant1/alice' },
      /^actorId must not contain '\/' \(got "tenant1\/alice"\): an actor's namespaces would then lie under another actor's/,
    ],
    ['actorId not a string', { actorId: 42 }, /^actorId .*\(got 42\)$/],
    ['sessionId with a slash', { sessionId: 'a/b' }, /^sessionId .*\(got "a\/b"\)$/],
    ['batchSize 0', { batchSize: 0 }, /^batchSize must be an integer from 1 to 100$/],
    ['batchSize 101', { batchSize: 101 }, /^batchSize /],
    ['batchSize 2.5', { batchSize: 2.5 }, /^batchSize /],
    ['client without send', { client: {} }, /^client /],
    ['logger without warn', { logger: {} }, /^logger /],
    ['retrievalConfig an array', { retrievalConfig: [] }, /^retrievalConfig /],
  ])('%s', (_name, override, expected) => {
    const errors = configErrors({ ...valid, ...override });

    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });

  test.each<[string, string, Record<string, unknown>, RegExp]>([
    [
      'unknown variable',
      '/facts/{userId}/',
      {},
      /^retrievalConfig\['\/facts\/\{userId\}\/'\]: .*unknown variable '\{userId\}'/,
    ],
    [
      'no trailing slash',
      '/facts/{actorId}',
      {},
      /^retrievalConfig\['\/facts\/\{actorId\}'\]: .*must start and end with '\/'/,
    ],
    ['no actorId', '/facts/', {}, /^retrievalConfig\['\/facts\/'\]: .*\{actorId\}/],
    [
      'relevanceScore above 1',
      '/facts/{actorId}/',
      { relevanceScore: 1.5 },
      /\.relevanceScore must be a number from 0 to 1 \(got 1\.5\)$/,
    ],
    ['relevanceScore below 0', '/facts/{actorId}/', { relevanceScore: -0.1 }, /\.relevanceScore /],
    ['topK not a number', '/facts/{actorId}/', { topK: Number.NaN }, /\.topK must be a whole number from 1 to 100/],
    ['strategyId empty', '/facts/{actorId}/', { strategyId: '' }, /\.strategyId must be 1-100 letters, digits/],
    [
      'strategyId with a character AgentCore refuses',
      '/facts/{actorId}/',
      { strategyId: 'semantic.v2' },
      /^retrievalConfig\['\/facts\/\{actorId\}\/'\]\.strategyId must be 1-100 letters, digits, '-' and '_'/,
    ],
    [
      'strategyId over 100 characters',
      '/facts/{actorId}/',
      { strategyId: 's'.repeat(101) },
      /\.strategyId must be 1-100/,
    ],
    [
      "a '.' in the template",
      '/facts.v2/{actorId}/',
      {},
      /segment 'facts\.v2' must be a literal of letters, digits, '_' and '-' \(AgentCore's namespace pattern has no '\.'\)/,
    ],
    [
      'a template over 512 characters',
      `/${'n'.repeat(520)}/{actorId}/`,
      {},
      /AgentCore accepts at most 512: shorten it$/,
    ],
    ['{memoryStrategyId} without strategyId', '/s/{actorId}/{memoryStrategyId}/', {}, /\.strategyId is required/],
    [
      'an actor segment at the top level',
      '/{actorId}/',
      {},
      /^retrievalConfig: namespace '\/\{actorId\}\/' needs a literal segment before '\{actorId\}'/,
    ],
  ])('retrievalConfig: %s', (_name, template, settings, expected) => {
    const errors = configErrors({ ...valid, retrievalConfig: { [template]: settings } });

    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });

  test('retrievalConfig: templates that are each valid but let one actor cover another as a set are refused before any call', () => {
    const errors = configErrors({
      ...valid,
      retrievalConfig: { '/m/{actorId}/': {}, '/m/prefs/{actorId}/': {} },
    });

    expect(errors).toEqual([
      expect.stringMatching(
        /^retrievalConfig: namespaces '\/m\/\{actorId\}\/' and '\/m\/prefs\/\{actorId\}\/' do not keep actors apart: .*the actorId 'prefs'/,
      ),
    ]);
  });

  test('every problem is reported at once, and the message lists them all', () => {
    let thrown: unknown;
    try {
      new AgentCoreMemorySessionManager({
        memoryId: '',
        sessionId: 'bad session',
        actorId: '',
        batchSize: 0,
        retrievalConfig: { '/x/{nope}/': { relevanceScore: 2 } },
      });
    } catch (error) {
      thrown = error;
    }

    const { errors, message } = thrown as SessionManagerConfigError;
    expect(errors.map((error) => error.split(/[ .:]/)[0])).toEqual([
      'memoryId',
      'sessionId',
      'actorId',
      'batchSize',
      "retrievalConfig['/x/{nope}/']",
      "retrievalConfig['/x/{nope}/']",
    ]);
    for (const error of errors) expect(message).toContain(error);
  });

  test('a config that is not an object is refused with a readable error', () => {
    expect(
      () => new AgentCoreMemorySessionManager(undefined as unknown as AgentCoreMemorySessionManagerConfig),
    ).toThrow(SessionManagerConfigError);
  });
});
