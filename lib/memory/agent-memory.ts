import {
  Arn,
  ArnFormat,
  Duration,
  Names,
  RemovalPolicy,
  Resource,
  Stack,
  Token,
  type CfnResource,
  type IResource,
} from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import {
  DEFAULT_NAMESPACES,
  DEFAULT_RETRIEVAL_CONFIG,
  namespaceTemplateErrors,
  retrievalConfigSchema,
  retrievalSettingsSchema,
  retrievalTemplateFor,
  type RetrievalConfig,
  type RetrievalSettings,
} from '../../lambda/contract/index.js';

/** Named IAM action sets, like `MemoryPerms` of aws-bedrockagentcore. */
export const AgentMemoryPerms = {
  /**
   * What the converse runtime calls: CreateEvent (each finished turn, and the memory
   * tool's `record` action) and RetrieveMemoryRecords (the memory tool's `retrieve`
   * action). It keeps session history in its own table and never reads events back.
   */
  AGENT_RUNTIME_PERMS: [
    'bedrock-agentcore:CreateEvent',
    'bedrock-agentcore:RetrieveMemoryRecords',
  ] as readonly string[],

  /**
   * What the session manager's `restore()` calls to rebuild a conversation from
   * short-term memory: ListEvents. The converse runtime does not restore sessions.
   */
  SESSION_RESTORE_PERMS: ['bedrock-agentcore:ListEvents'] as readonly string[],
} as const;

/** The long-term strategies an `AgentMemory` can run. */
export type AgentMemoryStrategyKind = 'summary' | 'userPreference' | 'semantic';
export const AGENT_MEMORY_STRATEGY_KINDS: readonly AgentMemoryStrategyKind[] = [
  'summary',
  'userPreference',
  'semantic',
];

/** Default strategy names. */
export const DEFAULT_STRATEGY_NAMES: Readonly<Record<AgentMemoryStrategyKind, string>> = {
  summary: 'session_summary',
  userPreference: 'user_preference',
  semantic: 'semantic_facts',
};

/** Namespace template per strategy kind; a kind is absent when its strategy is left out. */
export type AgentMemoryNamespaces = Partial<Record<AgentMemoryStrategyKind, string>>;

/** AgentCore's pattern for memory and strategy names. */
export const MEMORY_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;
export const MIN_EVENT_EXPIRY_DAYS = 7;
export const MAX_EVENT_EXPIRY_DAYS = 365;
export const DEFAULT_EVENT_EXPIRY_DAYS = 90;

/** Options of one long-term strategy. */
export interface AgentMemoryStrategyOptions {
  /**
   * Strategy name, unique within the memory; pattern `[a-zA-Z][a-zA-Z0-9_]{0,47}`.
   * @default - `session_summary`, `user_preference` or `semantic_facts`
   */
  readonly strategyName?: string;
  /**
   * Namespace template the strategy writes its records to. Starts and ends with `/`; its
   * variables are `{actorId}` (required, first), `{sessionId}` and `{memoryStrategyId}`.
   * @default - `/summaries/{actorId}/{sessionId}/`, `/preferences/{actorId}/` or `/facts/{actorId}/`
   */
  readonly namespace?: string;
  /**
   * How many records the runtime's `retrieve` returns from this namespace (1-100).
   * @default - as in the contract's DEFAULT_RETRIEVAL_CONFIG: 3 for summaries, 5 otherwise
   */
  readonly topK?: number;
  /**
   * Lowest relevance score (0-1) a retrieved record needs to reach the model.
   * @default - as in the contract's DEFAULT_RETRIEVAL_CONFIG: 0.3
   */
  readonly relevanceScore?: number;
}

/******************************************************************************
 *                                Interface
 *****************************************************************************/

/** A memory the converse runtime can use: created by `AgentMemory` or imported. */
export interface IAgentMemory extends IResource {
  /** @attribute */
  readonly memoryId: string;
  /** @attribute */
  readonly memoryArn: string;
  /** Namespace template per strategy kind. */
  readonly namespaces: AgentMemoryNamespaces;
  /**
   * What the runtime's `retrieve` searches: settings keyed by retrieval template
   * (`retrievalTemplateFor(namespace)`), ready for an agent's `memory_feature.retrieval`.
   */
  readonly retrievalConfig: RetrievalConfig;
  /** Grants exactly {@link AgentMemoryPerms.AGENT_RUNTIME_PERMS} on this memory's ARN. */
  grantAgentRuntime(grantee: iam.IGrantable): iam.Grant;
  /**
   * Grants exactly {@link AgentMemoryPerms.SESSION_RESTORE_PERMS} on this memory's ARN,
   * for a runtime that rebuilds sessions with the session manager's `restore()`.
   */
  grantSessionRestore(grantee: iam.IGrantable): iam.Grant;
}

/******************************************************************************
 *                        ABSTRACT BASE CLASS
 *****************************************************************************/

/** Grants shared by created and imported memories. */
export abstract class AgentMemoryBase extends Resource implements IAgentMemory {
  abstract readonly memoryId: string;
  abstract readonly memoryArn: string;
  abstract readonly namespaces: AgentMemoryNamespaces;
  abstract readonly retrievalConfig: RetrievalConfig;

  grantAgentRuntime(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...AgentMemoryPerms.AGENT_RUNTIME_PERMS],
      resourceArns: [this.memoryArn],
    });
  }

  grantSessionRestore(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...AgentMemoryPerms.SESSION_RESTORE_PERMS],
      resourceArns: [this.memoryArn],
    });
  }
}

/******************************************************************************
 *                                Props
 *****************************************************************************/

export interface AgentMemoryProps {
  /**
   * Memory name, unique per account and region: include the environment. Pattern
   * `[a-zA-Z][a-zA-Z0-9_]{0,47}`.
   * @default - a unique name derived from the construct path
   */
  readonly memoryName?: string;
  /**
   * Description of the memory.
   * @default - no description
   */
  readonly description?: string;
  /**
   * How long AgentCore keeps short-term memory events; whole days between 7 and 365.
   * @default Duration.days(90)
   */
  readonly eventExpiry?: Duration;
  /**
   * Customer-managed KMS key for the memory's data. The L2 grants the memory's execution
   * role the key actions AgentCore needs (CreateGrant, Decrypt, DescribeKey,
   * GenerateDataKey*, ReEncrypt*). Callers of the data plane (CreateEvent,
   * RetrieveMemoryRecords, ListEvents) need no permission on the key, so
   * `grantAgentRuntime` and `grantSessionRestore` grant none, like the L2's own
   * `grantWrite` and `grantRead`.
   * @default - AgentCore encrypts with a key AWS owns and manages
   */
  readonly kmsKey?: kms.IKey;
  /**
   * The session summary strategy, or `false` to leave it out.
   * @default - strategy `session_summary` on `/summaries/{actorId}/{sessionId}/`
   */
  readonly summary?: AgentMemoryStrategyOptions | false;
  /**
   * The user preference strategy, or `false` to leave it out.
   * @default - strategy `user_preference` on `/preferences/{actorId}/`
   */
  readonly userPreference?: AgentMemoryStrategyOptions | false;
  /**
   * The semantic facts strategy, or `false` to leave it out.
   * @default - strategy `semantic_facts` on `/facts/{actorId}/`
   */
  readonly semantic?: AgentMemoryStrategyOptions | false;
  /**
   * What happens to the memory when it is removed from the stack or replaced.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Attributes of an existing memory, for {@link AgentMemory.fromAgentMemoryAttributes}. */
export interface AgentMemoryAttributes {
  /** The memory id, for example `my_memory-a1b2c3d4e5`. */
  readonly memoryId: string;
  /**
   * The memory ARN.
   * @default - `arn:<partition>:bedrock-agentcore:<region>:<account>:memory/<memoryId>` of the importing stack
   */
  readonly memoryArn?: string;
  /**
   * The namespace templates the memory's strategies write to.
   * @default - the three default namespaces (DEFAULT_NAMESPACES of the contract)
   */
  readonly namespaces?: AgentMemoryNamespaces;
  /**
   * What the runtime's `retrieve` searches.
   * @default - each namespace's retrieval template with the default settings
   */
  readonly retrievalConfig?: RetrievalConfig;
}

/******************************************************************************
 *                                Construct
 *****************************************************************************/

/**
 * An AgentCore Memory for chat agents: the L2 `Memory` with the summary, user preference
 * and semantic strategies, validated namespace templates, a retrieval config the runtime
 * reads, retained on removal unless told otherwise.
 */
export class AgentMemory extends AgentMemoryBase {
  /** Attaches to an existing memory by id and namespaces. */
  static fromAgentMemoryAttributes(scope: Construct, id: string, attrs: AgentMemoryAttributes): IAgentMemory {
    const namespaces = attrs.namespaces ?? { ...DEFAULT_NAMESPACES };
    const errors = Object.values(namespaces).flatMap((template) =>
      template === undefined || Token.isUnresolved(template) ? [] : namespaceTemplateErrors(template),
    );
    if (attrs.memoryArn && !Token.isUnresolved(attrs.memoryArn) && !Token.isUnresolved(attrs.memoryId)) {
      // Catch a mismatched id and ARN here rather than at the first denied call.
      const arnMemoryId = Arn.split(attrs.memoryArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
      if (arnMemoryId !== attrs.memoryId)
        errors.push(`memoryArn names memory '${arnMemoryId}', not '${attrs.memoryId}'`);
    }
    if (attrs.retrievalConfig) {
      const result = retrievalConfigSchema.safeParse(attrs.retrievalConfig);
      if (!result.success) {
        errors.push(...result.error.issues.map((issue) => `retrievalConfig.${issue.path.join('.')}: ${issue.message}`));
      }
    }
    if (errors.length > 0) throw new Error(`AgentMemory.fromAgentMemoryAttributes: ${errors.join('; ')}`);
    const retrievalConfig = attrs.retrievalConfig ?? defaultRetrievalConfigFor(namespaces);

    class Import extends AgentMemoryBase {
      readonly memoryId = attrs.memoryId;
      readonly memoryArn =
        attrs.memoryArn ??
        Stack.of(scope).formatArn({
          service: 'bedrock-agentcore',
          resource: 'memory',
          resourceName: attrs.memoryId,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        });
      readonly namespaces = namespaces;
      readonly retrievalConfig = retrievalConfig;
    }
    return new Import(scope, id);
  }

  readonly memoryId: string;
  readonly memoryArn: string;
  readonly memoryName: string;
  readonly namespaces: AgentMemoryNamespaces;
  /** Strategy name per strategy kind. */
  readonly strategyNames: Partial<Record<AgentMemoryStrategyKind, string>>;
  readonly retrievalConfig: RetrievalConfig;
  /** The underlying L2 memory, for grants and metrics this construct does not wrap. */
  readonly memory: agentcore.Memory;
  /** The customer-managed key of the memory, when it has one. */
  readonly kmsKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: AgentMemoryProps = {}) {
    super(scope, id);
    const memoryName =
      props.memoryName ??
      Names.uniqueResourceName(this, { maxLength: 48, separator: '_', allowedSpecialCharacters: '_' });
    const eventExpiry = props.eventExpiry ?? Duration.days(DEFAULT_EVENT_EXPIRY_DAYS);
    const strategies = resolveStrategies(props);
    const errors = [...memoryNameErrors(memoryName), ...eventExpiryErrors(eventExpiry), ...strategies.errors];
    if (errors.length > 0) {
      throw new Error(`Invalid AgentMemory props at ${this.node.path}:\n  - ${errors.join('\n  - ')}`);
    }

    this.memory = new agentcore.Memory(this, 'Resource', {
      memoryName,
      description: props.description,
      expirationDuration: eventExpiry,
      kmsKey: props.kmsKey,
      memoryStrategies: strategies.resolved.map((strategy) => STRATEGY_FACTORIES[strategy.kind](strategy)),
    });
    // The L2 has no applyRemovalPolicy of its own: its L1 child is named `Memory`.
    (this.memory.node.findChild('Memory') as CfnResource).applyRemovalPolicy(
      props.removalPolicy ?? RemovalPolicy.RETAIN,
    );

    this.memoryId = this.memory.memoryId;
    this.memoryArn = this.memory.memoryArn;
    this.memoryName = memoryName;
    this.kmsKey = props.kmsKey;
    this.namespaces = Object.fromEntries(strategies.resolved.map((strategy) => [strategy.kind, strategy.namespace]));
    this.strategyNames = Object.fromEntries(
      strategies.resolved.map((strategy) => [strategy.kind, strategy.strategyName]),
    );
    this.retrievalConfig = Object.fromEntries(
      strategies.resolved.map((strategy) => [retrievalTemplate(strategy.namespace), strategy.retrieval]),
    );
  }
}

/******************************************************************************
 *                         Validation helpers
 *****************************************************************************/

interface ResolvedStrategy {
  readonly kind: AgentMemoryStrategyKind;
  readonly strategyName: string;
  readonly namespace: string;
  readonly retrieval: RetrievalSettings;
}

const STRATEGY_FACTORIES: Record<AgentMemoryStrategyKind, (strategy: ResolvedStrategy) => agentcore.IMemoryStrategy> = {
  summary: (s) =>
    agentcore.MemoryStrategy.usingSummarization({ strategyName: s.strategyName, namespaces: [s.namespace] }),
  userPreference: (s) =>
    agentcore.MemoryStrategy.usingUserPreference({ strategyName: s.strategyName, namespaces: [s.namespace] }),
  semantic: (s) => agentcore.MemoryStrategy.usingSemantic({ strategyName: s.strategyName, namespaces: [s.namespace] }),
};

function retrievalTemplate(namespace: string): string {
  return Token.isUnresolved(namespace) ? namespace : retrievalTemplateFor(namespace);
}

function defaultRetrievalSettings(kind: AgentMemoryStrategyKind): RetrievalSettings {
  return DEFAULT_RETRIEVAL_CONFIG[retrievalTemplateFor(DEFAULT_NAMESPACES[kind])];
}

function defaultRetrievalConfigFor(namespaces: AgentMemoryNamespaces): RetrievalConfig {
  const config: RetrievalConfig = {};
  for (const kind of AGENT_MEMORY_STRATEGY_KINDS) {
    const namespace = namespaces[kind];
    if (namespace !== undefined) config[retrievalTemplate(namespace)] = defaultRetrievalSettings(kind);
  }
  return config;
}

function memoryNameErrors(memoryName: string): string[] {
  if (Token.isUnresolved(memoryName) || MEMORY_NAME_PATTERN.test(memoryName)) return [];
  return [
    `memoryName '${memoryName}' must start with a letter and hold only letters, digits and '_', at most 48 characters (pattern ${MEMORY_NAME_PATTERN.source})`,
  ];
}

function eventExpiryErrors(eventExpiry: Duration): string[] {
  if (eventExpiry.isUnresolved()) return [];
  const days = eventExpiry.toDays({ integral: false });
  if (Number.isInteger(days) && days >= MIN_EVENT_EXPIRY_DAYS && days <= MAX_EVENT_EXPIRY_DAYS) return [];
  return [
    `eventExpiry must be a whole number of days between ${MIN_EVENT_EXPIRY_DAYS} and ${MAX_EVENT_EXPIRY_DAYS} (got ${days} days)`,
  ];
}

/** Fills in defaults and collects every problem with the strategy props. */
function resolveStrategies(props: AgentMemoryProps): { resolved: ResolvedStrategy[]; errors: string[] } {
  const errors: string[] = [];
  const resolved: ResolvedStrategy[] = [];
  for (const kind of AGENT_MEMORY_STRATEGY_KINDS) {
    const options = props[kind];
    if (options === false) continue;
    const strategyName = options?.strategyName ?? DEFAULT_STRATEGY_NAMES[kind];
    const namespace = options?.namespace ?? DEFAULT_NAMESPACES[kind];
    const defaults = defaultRetrievalSettings(kind);
    const retrieval = {
      top_k: options?.topK ?? defaults.top_k,
      relevance_score: options?.relevanceScore ?? defaults.relevance_score,
    };

    if (!Token.isUnresolved(strategyName) && !MEMORY_NAME_PATTERN.test(strategyName)) {
      errors.push(
        `${kind}.strategyName '${strategyName}' must start with a letter and hold only letters, digits and '_', at most 48 characters`,
      );
    }
    if (!Token.isUnresolved(namespace)) {
      errors.push(...namespaceTemplateErrors(namespace).map((error) => `${kind}.namespace: ${error}`));
    }
    if (!retrievalSettingsSchema.shape.top_k.safeParse(retrieval.top_k).success) {
      errors.push(`${kind}.topK must be a whole number between 1 and 100 (got ${retrieval.top_k})`);
    }
    if (!retrievalSettingsSchema.shape.relevance_score.safeParse(retrieval.relevance_score).success) {
      errors.push(`${kind}.relevanceScore must be between 0 and 1 (got ${retrieval.relevance_score})`);
    }
    resolved.push({ kind, strategyName, namespace, retrieval });
  }

  if (resolved.length === 0) {
    errors.push(
      'keep at least one of summary, userPreference, semantic: without a strategy the memory tool has nothing to retrieve',
    );
  }
  errors.push(
    ...duplicateErrors(
      resolved,
      (strategy) => strategy.strategyName,
      'use the strategy name',
      'give each strategy its own strategyName',
    ),
  );
  errors.push(
    ...duplicateErrors(
      resolved,
      (strategy) => retrievalTemplate(strategy.namespace),
      'retrieve from',
      'give each strategy its own namespace',
    ),
  );
  errors.push(...overlappingNamespaceErrors(resolved));
  return { resolved, errors };
}

function duplicateErrors(
  strategies: ResolvedStrategy[],
  keyOf: (strategy: ResolvedStrategy) => string,
  verb: string,
  remedy: string,
): string[] {
  const byKey = new Map<string, AgentMemoryStrategyKind[]>();
  for (const strategy of strategies) {
    const key = keyOf(strategy);
    if (Token.isUnresolved(key)) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), strategy.kind]);
  }
  return [...byKey.entries()]
    .filter(([, kinds]) => kinds.length > 1)
    .map(([key, kinds]) => `strategies ${kinds.join(' and ')} both ${verb} '${key}'; ${remedy}`);
}

/** Retrieval matches namespaces by prefix: one strategy's prefix must not cover another's records. */
function overlappingNamespaceErrors(strategies: ResolvedStrategy[]): string[] {
  const errors: string[] = [];
  for (const outer of strategies) {
    for (const inner of strategies) {
      const outerTemplate = retrievalTemplate(outer.namespace);
      const innerTemplate = retrievalTemplate(inner.namespace);
      if (outer === inner || Token.isUnresolved(outerTemplate) || Token.isUnresolved(innerTemplate)) continue;
      if (outerTemplate !== innerTemplate && innerTemplate.startsWith(outerTemplate)) {
        errors.push(
          `${outer.kind} retrieves from '${outerTemplate}', a prefix of ${inner.kind}'s '${innerTemplate}', so it would also return ${inner.kind} records; move one of them to a namespace of its own`,
        );
      }
    }
  }
  return errors;
}
