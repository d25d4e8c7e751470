import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { parseEnvironmentsContext } from '../../../lib/index.js';

const validDev = {
  models: ['us.anthropic.claude-haiku-4-5-20251001-v1:0'],
  eventExpiryDays: 30,
  retainData: false,
  logRetentionDays: 14,
};

function errorFor(environments: unknown): string {
  try {
    parseEnvironmentsContext(environments);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('parseEnvironmentsContext', () => {
  test('returns each environment in order with its settings', () => {
    const configs = parseEnvironmentsContext({
      dev: validDev,
      prod: { ...validDev, account: '111122223333', region: 'eu-west-1', retainData: true, logRetentionDays: 365 },
    });
    expect(configs).toEqual([
      { name: 'dev', ...validDev, logRetentionDays: RetentionDays.TWO_WEEKS },
      {
        name: 'prod',
        ...validDev,
        account: '111122223333',
        region: 'eu-west-1',
        retainData: true,
        logRetentionDays: RetentionDays.ONE_YEAR,
      },
    ]);
  });

  test('fills in secure defaults: data retained, 90-day events, one-month logs', () => {
    expect(parseEnvironmentsContext({ dev: { models: ['amazon.nova-pro-v1:0'] } })).toEqual([
      { name: 'dev', models: ['amazon.nova-pro-v1:0'], eventExpiryDays: 90, retainData: true, logRetentionDays: 30 },
    ]);
  });

  test('reads the long-term record expiry of each strategy pair, and leaves it unset by default', () => {
    const [config] = parseEnvironmentsContext({
      dev: { ...validDev, factsAndPreferencesExpiryDays: 365, summariesAndEpisodesExpiryDays: 31 },
    });
    expect(config).toMatchObject({ factsAndPreferencesExpiryDays: 365, summariesAndEpisodesExpiryDays: 31 });
    expect(parseEnvironmentsContext({ dev: validDev })[0]).not.toHaveProperty('factsAndPreferencesExpiryDays');
  });

  test('accepts the JSON string that `cdk -c environments=...` passes', () => {
    expect(parseEnvironmentsContext(JSON.stringify({ dev: validDev }))[0].name).toBe('dev');
  });

  test.each([
    [
      'an expiry under 7 days',
      { ...validDev, eventExpiryDays: 3 },
      'cdk.json context environments.dev.eventExpiryDays: must be between 7 and 365 (got 3)',
    ],
    [
      'an expiry over 365 days',
      { ...validDev, eventExpiryDays: 400 },
      'environments.dev.eventExpiryDays: must be between 7 and 365 (got 400)',
    ],
    [
      'a fractional expiry',
      { ...validDev, eventExpiryDays: 7.5 },
      'environments.dev.eventExpiryDays: must be a whole number of days',
    ],
    [
      'an unknown key',
      { ...validDev, modelId: 'x' },
      'environments.dev.modelId: unknown key; allowed keys are account, region, models, eventExpiryDays, factsAndPreferencesExpiryDays, summariesAndEpisodesExpiryDays, retainData, kmsKeyArn, logRetentionDays',
    ],
    [
      'a malformed model id',
      { ...validDev, models: ['claude sonnet'] },
      "environments.dev.models[0]: 'claude sonnet' is not a Bedrock model id",
    ],
    ['an empty model list', { ...validDev, models: [] }, 'environments.dev.models: must list at least one'],
    [
      'a missing model list',
      { eventExpiryDays: 30 },
      'environments.dev.models: must be a list of Bedrock model or inference profile ids',
    ],
    [
      'a retention CloudWatch does not offer',
      { ...validDev, logRetentionDays: 10 },
      'environments.dev.logRetentionDays: must be one of 1, 3, 5, 7, 14',
    ],
    [
      'unlimited log retention',
      { ...validDev, logRetentionDays: 9999 },
      'environments.dev.logRetentionDays: must be one of',
    ],
    [
      'retainData as a string',
      { ...validDev, retainData: 'yes' },
      'environments.dev.retainData: must be true or false (got "yes")',
    ],
    [
      'a malformed account',
      { ...validDev, account: '1234' },
      'environments.dev.account: must be a 12-digit AWS account id (got "1234")',
    ],
    [
      'a malformed region',
      { ...validDev, region: 'Frankfurt' },
      "environments.dev.region: must be an AWS region name such as 'us-east-1'",
    ],
    ['a non-object environment', 'dev', 'environments.dev: must be an object with keys'],
    [
      'facts and preferences kept under 31 days',
      { ...validDev, factsAndPreferencesExpiryDays: 30 },
      "cdk.json context environments.dev.factsAndPreferencesExpiryDays: must be at least 31 days, AgentCore's minimum for long-term records (got 30)",
    ],
    [
      'summaries and episodes kept a fractional number of days',
      { ...validDev, summariesAndEpisodesExpiryDays: 45.5 },
      'environments.dev.summariesAndEpisodesExpiryDays: must be a whole number of days, at least 31, for the summary and episodic records (got 45.5)',
    ],
    [
      'a record expiry as a string',
      { ...validDev, factsAndPreferencesExpiryDays: '90' },
      'environments.dev.factsAndPreferencesExpiryDays: must be a whole number of days, at least 31, for the semantic and user preference records (got "90")',
    ],
  ])('rejects %s, naming the environment and key', (_case, dev, expected) => {
    expect(errorFor({ dev })).toContain(expected);
  });

  test('names the environment that is wrong when several are configured', () => {
    const message = errorFor({ dev: validDev, prod: { ...validDev, eventExpiryDays: 1 } });
    expect(message).toContain('environments.prod.eventExpiryDays');
    expect(message).not.toContain('environments.dev');
  });

  test('reports every problem at once', () => {
    const message = errorFor({ dev: { ...validDev, eventExpiryDays: 1, extra: true }, qa: { models: ['bad'] } });
    expect(message.split('\n').filter((line) => line.includes('cdk.json context'))).toHaveLength(3);
  });

  test('accepts hyphens in environment names, the usual separator', () => {
    expect(
      parseEnvironmentsContext({ 'dev-eu': validDev, 'prod-us-1': validDev }).map((config) => config.name),
    ).toEqual(['dev-eu', 'prod-us-1']);
  });

  test.each(['dev_eu', 'dev-', '-dev', 'dev--eu', '1dev', 'a'.repeat(25)])(
    'rejects the environment name %s, which cannot name a stage and a memory',
    (name) => {
      expect(errorFor({ [name]: validDev })).toContain(`environments.${name}: environment names must match`);
    },
  );

  test('reads the ARN of an existing customer-managed key, and refuses anything else', () => {
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(parseEnvironmentsContext({ dev: { ...validDev, kmsKeyArn: arn } })[0].kmsKeyArn).toBe(arn);
    expect(parseEnvironmentsContext({ dev: validDev })[0].kmsKeyArn).toBeUndefined();
    expect(errorFor({ dev: { ...validDev, kmsKeyArn: 'alias/data' } })).toContain(
      "environments.dev.kmsKeyArn: must be the ARN of an existing KMS key such as 'arn:aws:kms:",
    );
  });

  test('rejects a missing or empty environments object', () => {
    expect(errorFor(undefined)).toContain('cdk.json context environments: missing');
    expect(errorFor({})).toContain('cdk.json context environments: define at least one environment');
    expect(errorFor(['dev'])).toContain('cdk.json context environments: must be an object keyed by environment name');
  });

  describe('alarms', () => {
    const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:platform-alarms';

    test('are off unless set, and take an email, a topic ARN or neither, with an optional cache-share minimum', () => {
      expect(parseEnvironmentsContext({ dev: validDev })[0].alarms).toBeUndefined();
      expect(parseEnvironmentsContext({ prod: { ...validDev, alarms: {} } })[0].alarms).toEqual({});
      expect(
        parseEnvironmentsContext({ prod: { ...validDev, alarms: { email: 'ops@example.com' } } })[0].alarms,
      ).toEqual({ email: 'ops@example.com' });
      expect(
        parseEnvironmentsContext({
          prod: { ...validDev, alarms: { topicArn: TOPIC, minCacheReadSharePercent: 30 } },
        })[0].alarms,
      ).toEqual({ topicArn: TOPIC, minCacheReadSharePercent: 30 });
    });

    test.each([
      ['a malformed email', { email: 'ops' }, 'environments.prod.alarms.email: must be an email address (got "ops")'],
      ['a malformed topic ARN', { topicArn: 'alarms' }, 'environments.prod.alarms.topicArn: must be an SNS topic ARN'],
      [
        'both an email and a topic',
        { email: 'ops@example.com', topicArn: TOPIC },
        'environments.prod.alarms: set either email (the stack creates a topic and subscribes it) or topicArn',
      ],
      [
        'a share over 100',
        { minCacheReadSharePercent: 120 },
        'environments.prod.alarms.minCacheReadSharePercent: must be between 0 and 100 (got 120)',
      ],
      [
        'an unknown key',
        { sms: '+15550100' },
        'environments.prod.alarms.sms: unknown key; allowed keys are email, topicArn, minCacheReadSharePercent',
      ],
    ])('reject %s, naming the key', (_case, alarms, expected) => {
      expect(errorFor({ prod: { ...validDev, alarms } })).toContain(expected);
    });
  });
});
