import { readFileSync } from 'node:fs';
import type { EnvironmentConfig } from '../../lib/config/environment-config.js';
import { UsageError } from '../cli/command-line.js';

/** One long-term strategy as this code synthesizes it. */
export interface ExpectedStrategy {
  readonly name: string;
  /** The control plane's strategy type: SEMANTIC, SUMMARIZATION, USER_PREFERENCE, EPISODIC, CUSTOM. */
  readonly type: string;
  readonly namespaceTemplates: string[];
  /** Days before extracted records expire; undefined when they do not. */
  readonly recordExpiryDays?: number;
}

/** The memory of an environment as this code synthesizes it. */
export interface ExpectedMemory {
  readonly name: string;
  readonly eventExpiryDays: number;
  readonly strategies: ExpectedStrategy[];
}

export interface ExpectedEnvironment {
  readonly config: EnvironmentConfig;
  readonly statefulStackName: string;
  readonly statelessStackName: string;
  readonly memory: ExpectedMemory;
}

/** CloudFormation's strategy property names, and the strategy type GetMemory reports for each. */
export const STRATEGY_TYPE_BY_PROPERTY: Readonly<Record<string, string>> = {
  SemanticMemoryStrategy: 'SEMANTIC',
  SummaryMemoryStrategy: 'SUMMARIZATION',
  UserPreferenceMemoryStrategy: 'USER_PREFERENCE',
  EpisodicMemoryStrategy: 'EPISODIC',
  CustomMemoryStrategy: 'CUSTOM',
};

const MEMORY_RESOURCE_TYPE = 'AWS::BedrockAgentCore::Memory';

export interface CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/**
 * Reads the memory out of a synthesized stack template, so every strategy the constructs
 * render (whatever its kind) is compared, not a list kept here.
 */
export function expectedMemoryFromTemplate(template: CfnTemplate): ExpectedMemory {
  const memories = Object.values(template.Resources ?? {}).filter((resource) => resource.Type === MEMORY_RESOURCE_TYPE);
  if (memories.length !== 1) {
    throw new Error(`expected one ${MEMORY_RESOURCE_TYPE} in the stateful stack, found ${memories.length}`);
  }
  const properties = memories[0].Properties ?? {};
  const strategies = ((properties.MemoryStrategies as Record<string, Record<string, unknown>>[] | undefined) ?? []).map(
    (entry) => {
      const [property, strategy] = Object.entries(entry)[0];
      const expiry = strategy.RecordExpirySpecification as { RecordExpiryDurationDays?: number } | undefined;
      const recordExpiryDays = expiry?.RecordExpiryDurationDays ?? (strategy.RecordExpiryDurationDays as number);
      return {
        name: literal(strategy.Name, `${property}.Name`),
        type: STRATEGY_TYPE_BY_PROPERTY[property] ?? property,
        namespaceTemplates: ((strategy.NamespaceTemplates ?? strategy.Namespaces ?? []) as unknown[]).map((value) =>
          literal(value, `${property}.Namespaces`),
        ),
        ...(recordExpiryDays === undefined ? {} : { recordExpiryDays }),
      };
    },
  );
  return {
    name: literal(properties.Name, 'Name'),
    eventExpiryDays: properties.EventExpiryDuration as number,
    strategies,
  };
}

function literal(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new Error(`the synthesized memory's ${what} is not a literal (${JSON.stringify(value)}); cannot compare it`);
  }
  return value;
}

/**
 * `--expect <file>`: a synthesized CloudFormation template with one memory in it (for
 * example `cdk.out/<stack>.template.json`), or `{ "name", "eventExpiryDays", "strategies" }`
 * as `--print-expected` writes it.
 */
export function readExpectedFile(file: string): ExpectedMemory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--expect '${file}' cannot be read as JSON: ${(error as Error).message}`);
  }
  try {
    if (typeof parsed === 'object' && parsed !== null && 'Resources' in parsed) {
      return expectedMemoryFromTemplate(parsed as CfnTemplate);
    }
    return expectedMemoryFromJson(parsed);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--expect '${file}': ${(error as Error).message}`);
  }
}

function expectedMemoryFromJson(value: unknown): ExpectedMemory {
  const memory = value as Partial<ExpectedMemory>;
  const strategiesValid =
    Array.isArray(memory.strategies) &&
    memory.strategies.every(
      (strategy) =>
        typeof strategy?.name === 'string' &&
        typeof strategy.type === 'string' &&
        Array.isArray(strategy.namespaceTemplates) &&
        (strategy.recordExpiryDays === undefined || typeof strategy.recordExpiryDays === 'number'),
    );
  if (typeof memory.name !== 'string' || typeof memory.eventExpiryDays !== 'number' || !strategiesValid) {
    throw new Error(
      'is neither a CloudFormation template nor { "name": string, "eventExpiryDays": number, "strategies": [{ "name", "type", "namespaceTemplates": [], "recordExpiryDays"? }] }',
    );
  }
  return { name: memory.name, eventExpiryDays: memory.eventExpiryDays, strategies: memory.strategies };
}
