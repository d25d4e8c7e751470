import { RetentionDays } from 'aws-cdk-lib/aws-logs';
// zod/mini, like the runtime's shared schemas: one zod loads at synth, not two.
import * as z from 'zod/mini';
import { EVENT_EXPIRY_DAYS, MIN_RECORD_EXPIRY_DAYS } from '../../lambda/contract/index.js';
import { bedrockModelIdError } from '../models/bedrock-model-id.js';

/** The `cdk.json` context key that holds the named environments. */
export const ENVIRONMENTS_CONTEXT_KEY = 'environments';

/**
 * Environment names become stage ids and part of every physical name: letters, digits and
 * single hyphens (`dev-eu`), starting with a letter and not ending with a hyphen. The
 * memory name, which allows no hyphen, maps them to `_`.
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?=[a-zA-Z0-9])){0,23}$/;

/** The `cdk.json` context key of the prefix every physical name of the app starts with. */
export const NAME_PREFIX_CONTEXT_KEY = 'namePrefix';

/** A KMS key ARN: arn:<partition>:kms:<region>:<account>:key/<key id>. */
export const KMS_KEY_ARN_PATTERN =
  /^arn:aws[a-z-]*:kms:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:key\/(?:mrk-)?[a-zA-Z0-9-]{1,64}$/;

/** Every retention CloudWatch Logs accepts except unlimited, which cdk-nag rightly flags. */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (value): value is number => typeof value === 'number' && value !== RetentionDays.INFINITE,
);

/** One environment as `bin/app.ts` uses it, validated and with defaults filled in. */
export interface EnvironmentConfig {
  /** The key under `environments` in `cdk.json` context, for example `dev`. */
  readonly name: string;
  /** @default - environment-agnostic: the account of the deploying credentials */
  readonly account?: string;
  /** @default - environment-agnostic: the region of the deploying credentials */
  readonly region?: string;
  /** Bedrock model or inference profile ids the agents may call; the first is the default agent's. */
  readonly models: string[];
  /** Days AgentCore keeps short-term memory events (7-365). */
  readonly eventExpiryDays: number;
  /**
   * Days AgentCore keeps the long-term records of the semantic and user preference
   * strategies (at least 31; AgentCore requires one value for both).
   * @default - these records never expire
   */
  readonly factsAndPreferencesExpiryDays?: number;
  /**
   * Days AgentCore keeps the long-term records of the summary and episodic strategies
   * (at least 31; AgentCore requires one value for both).
   * @default - these records never expire
   */
  readonly summariesAndEpisodesExpiryDays?: number;
  /**
   * Keep the memory (and its service role) and both tables when the stack is deleted or the
   * resource replaced; retained tables also get DynamoDB deletion protection.
   */
  readonly retainData: boolean;
  /**
   * The ARN of an existing customer-managed KMS key that encrypts the memory and both tables.
   * @default - AWS owned keys
   */
  readonly kmsKeyArn?: string;
  /** Retention of the converse function's log group. */
  readonly logRetentionDays: RetentionDays;
  /** @default - no alarms (the environment still gets its dashboard) */
  readonly alarms?: AlarmsConfig;
}

/** The `alarms` key of an environment: where alarm notifications go. */
export interface AlarmsConfig {
  /** @default - no email subscription */
  readonly email?: string;
  /** @default - the stack creates an encrypted SNS topic (output `AlarmTopicArn`) */
  readonly topicArn?: string;
  /** @default - no alarm on the prompt cache's read share */
  readonly minCacheReadSharePercent?: number;
}

/** An SNS topic ARN: arn:<partition>:sns:<region>:<account>:<name>. */
export const SNS_TOPIC_ARN_PATTERN =
  /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const ALARMS_KEYS = ['email', 'topicArn', 'minCacheReadSharePercent'];

const alarmsSchema = z
  .strictObject(
    {
      email: z.optional(
        z
          .string({ error: (issue) => `must be an email address ${got(issue.input)}` })
          .check(z.regex(EMAIL_PATTERN, { error: (issue) => `must be an email address ${got(issue.input)}` })),
      ),
      topicArn: z.optional(
        z.string({ error: (issue) => `must be an SNS topic ARN ${got(issue.input)}` }).check(
          z.regex(SNS_TOPIC_ARN_PATTERN, {
            error: (issue) =>
              `must be an SNS topic ARN such as 'arn:aws:sns:us-east-1:111122223333:alarms' ${got(issue.input)}`,
          }),
        ),
      ),
      minCacheReadSharePercent: z.optional(
        z
          .number({ error: (issue) => `must be a percentage between 0 and 100 ${got(issue.input)}` })
          .check(
            z.minimum(0, { error: (issue) => `must be between 0 and 100 ${got(issue.input)}` }),
            z.maximum(100, { error: (issue) => `must be between 0 and 100 ${got(issue.input)}` }),
          ),
      ),
    },
    { error: (issue) => `must be an object with keys ${ALARMS_KEYS.join(', ')} ${got(issue.input)}` },
  )
  .check(
    z.refine((alarms) => !(alarms.email !== undefined && alarms.topicArn !== undefined), {
      error:
        'set either email (the stack creates a topic and subscribes it) or topicArn (an existing topic), not both; subscribe the address to your topic instead',
    }),
  );

const got = (input: unknown) => `(got ${JSON.stringify(input)})`;
const EVENT_EXPIRY_RANGE = `${EVENT_EXPIRY_DAYS.min} and ${EVENT_EXPIRY_DAYS.max}`;

/** Long-term record expiry of one pair of strategies: whole days, at least 31. */
const recordExpiryDays = (pair: string) =>
  z.optional(
    z
      .int({
        error: (issue) =>
          `must be a whole number of days, at least ${MIN_RECORD_EXPIRY_DAYS}, for the ${pair} records ${got(issue.input)}`,
      })
      .check(
        z.minimum(MIN_RECORD_EXPIRY_DAYS, {
          error: (issue) =>
            `must be at least ${MIN_RECORD_EXPIRY_DAYS} days, AgentCore's minimum for long-term records ${got(issue.input)}`,
        }),
      ),
  );

const environmentSchema = z.strictObject({
  account: z.optional(
    z
      .string({ error: (issue) => `must be a 12-digit AWS account id as a string ${got(issue.input)}` })
      .check(z.regex(/^\d{12}$/, { error: (issue) => `must be a 12-digit AWS account id ${got(issue.input)}` })),
  ),
  region: z.optional(
    z.string({ error: (issue) => `must be an AWS region name such as 'us-east-1' ${got(issue.input)}` }).check(
      z.regex(/^[a-z]{2}(?:-[a-z]+)+-\d+$/, {
        error: (issue) => `must be an AWS region name such as 'us-east-1' ${got(issue.input)}`,
      }),
    ),
  ),
  models: z
    .array(
      z.string({ error: (issue) => `must be a Bedrock model id string ${got(issue.input)}` }).check(
        z.superRefine((id, context) => {
          const error = bedrockModelIdError(id);
          if (error) context.addIssue({ code: 'custom', message: error, input: id });
        }),
      ),
      { error: (issue) => `must be a list of Bedrock model or inference profile ids ${got(issue.input)}` },
    )
    .check(
      z.minLength(1, {
        error: "must list at least one Bedrock model or inference profile id; the first is the default agent's model",
      }),
    ),
  eventExpiryDays: z._default(
    z
      .int({ error: (issue) => `must be a whole number of days between ${EVENT_EXPIRY_RANGE} ${got(issue.input)}` })
      .check(
        z.minimum(EVENT_EXPIRY_DAYS.min, {
          error: (issue) => `must be between ${EVENT_EXPIRY_RANGE} ${got(issue.input)}`,
        }),
        z.maximum(EVENT_EXPIRY_DAYS.max, {
          error: (issue) => `must be between ${EVENT_EXPIRY_RANGE} ${got(issue.input)}`,
        }),
      ),
    EVENT_EXPIRY_DAYS.default,
  ),
  factsAndPreferencesExpiryDays: recordExpiryDays('semantic and user preference'),
  summariesAndEpisodesExpiryDays: recordExpiryDays('summary and episodic'),
  retainData: z._default(z.boolean({ error: (issue) => `must be true or false ${got(issue.input)}` }), true),
  kmsKeyArn: z.optional(
    z.string({ error: (issue) => `must be a KMS key ARN ${got(issue.input)}` }).check(
      z.regex(KMS_KEY_ARN_PATTERN, {
        error: (issue) =>
          `must be the ARN of an existing KMS key such as 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' ${got(issue.input)}`,
      }),
    ),
  ),
  logRetentionDays: z._default(
    z.number({ error: (issue) => `must be a number of days ${got(issue.input)}` }).check(
      z.refine((days) => LOG_RETENTION_DAYS.includes(days), {
        error: (issue) => `must be one of ${LOG_RETENTION_DAYS.join(', ')} ${got(issue.input)}`,
      }),
    ),
    RetentionDays.ONE_MONTH,
  ),
  alarms: z.optional(alarmsSchema),
});

/** The keys an environment may set, for documentation and error messages. */
export const ENVIRONMENT_KEYS = Object.keys(environmentSchema.shape);

/**
 * Validates the `environments` context value and returns one config per environment, in
 * the order written. Throws one error listing every problem, each prefixed with the full
 * key path (`cdk.json context environments.dev.eventExpiryDays: ...`).
 */
export function parseEnvironmentsContext(value: unknown): EnvironmentConfig[] {
  const where = `cdk.json context ${ENVIRONMENTS_CONTEXT_KEY}`;
  // `cdk synth -c environments='{...}'` passes the value as a JSON string.
  const environments = typeof value === 'string' ? parseJsonOrKeep(value) : value;
  if (environments === undefined || environments === null) {
    throw new Error(`${where}: missing; define at least one environment, for example { "dev": { "models": ["..."] } }`);
  }
  if (typeof environments !== 'object' || Array.isArray(environments)) {
    throw new Error(`${where}: must be an object keyed by environment name ${got(environments)}`);
  }
  const entries = Object.entries(environments as Record<string, unknown>);
  if (entries.length === 0) throw new Error(`${where}: define at least one environment`);

  const errors: string[] = [];
  const configs: EnvironmentConfig[] = [];
  for (const [name, raw] of entries) {
    if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
      errors.push(
        `${where}.${name}: environment names must match ${ENVIRONMENT_NAME_PATTERN} (letters, digits and single hyphens, starting with a letter and not ending with a hyphen, at most 24)`,
      );
    }
    const result = environmentSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) errors.push(...describeIssue(`${where}.${name}`, issue));
      continue;
    }
    configs.push({ name, ...result.data, logRetentionDays: result.data.logRetentionDays });
  }
  if (errors.length > 0) throw new Error(`Invalid environment configuration:\n  ${errors.join('\n  ')}`);
  return configs;
}

function describeIssue(prefix: string, issue: z.core.$ZodIssue): string[] {
  const path = [
    prefix,
    ...issue.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)),
  ]
    .join('')
    .replace(/\.\[/g, '[');
  if (issue.code === 'unrecognized_keys') {
    const allowed = issue.path[0] === 'alarms' ? ALARMS_KEYS : ENVIRONMENT_KEYS;
    return issue.keys.map((key) => `${path}.${key}: unknown key; allowed keys are ${allowed.join(', ')}`);
  }
  if (issue.code === 'invalid_type' && issue.path.length === 0) {
    return [`${path}: must be an object with keys ${ENVIRONMENT_KEYS.join(', ')}`];
  }
  return [`${path}: ${issue.message}`];
}

function parseJsonOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
