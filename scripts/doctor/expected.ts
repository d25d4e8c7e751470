import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import {
  ENVIRONMENTS_CONTEXT_KEY,
  EnvironmentStage,
  parseEnvironmentsContext,
  type EnvironmentConfig,
} from '../../lib/index.js';

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

interface CfnTemplate {
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
 * Synthesizes one environment of `cdk.json` in this process (into a temporary directory)
 * and returns what its stacks say the memory must be.
 */
export function synthesizeExpected(environmentName: string, context: Record<string, unknown>): ExpectedEnvironment {
  const configs = parseEnvironmentsContext(context[ENVIRONMENTS_CONTEXT_KEY]);
  const config = configs.find((candidate) => candidate.name === environmentName);
  if (!config) {
    throw new UnknownEnvironmentError(
      `cdk.json defines no environment '${environmentName}'; it defines ${configs.map((c) => c.name).join(', ')}`,
    );
  }
  const outdir = mkdtempSync(path.join(tmpdir(), 'doctor-synth-'));
  try {
    const app = new App({ outdir, context });
    const stage = new EnvironmentStage(app, config.name, { config });
    const assembly = app.synth().getNestedAssembly(`assembly-${config.name}`);
    const stateful = assembly.getStackByName(stage.stateful.stackName);
    return {
      config,
      statefulStackName: stage.stateful.stackName,
      statelessStackName: stage.stateless.stackName,
      memory: expectedMemoryFromTemplate(stateful.template as CfnTemplate),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export class UnknownEnvironmentError extends Error {
  override readonly name = 'UnknownEnvironmentError';
}
