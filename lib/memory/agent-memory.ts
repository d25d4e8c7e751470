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
  DEFAULT_EPISODIC_NAMESPACES,
  DEFAULT_NAMESPACES,
  MEMORY_DESCRIPTION_MAX_LENGTH,
  MIN_RECORD_EXPIRY_DAYS,
  RETRIEVAL_DEFAULTS,
  memoryIdErrors,
  namespaceLayoutErrors,
  namespaceTemplateErrors,
  retrievalConfigSchema,
  retrievalSettingIssues,
  retrievalSettingsToItem,
  retrievalTemplateFor,
  codePointLength,
  type RetrievalConfig,
  type RetrievalSettings,
} from '../../lambda/contract/index.js';
import { acknowledgeNagRule } from '../nag/acknowledge.js';
import { acknowledgeKeyWildcards } from '../tables/table-grants.js';
import {
  AgentMemoryStrategy,
  PROMPT_MAX_LENGTH,
  actorLevelTemplate,
  type ResolvedStrategy,
} from './agent-memory-strategy.js';

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

  /**
   * What forgetting a user calls: ListSessions, ListEvents and DeleteEvent for the
   * actor's short-term events, ListMemoryRecords and BatchDeleteMemoryRecords for the
   * long-term records under the actor's namespace roots, ListMemoryExtractionJobs for
   * extraction still pending for the actor, GetMemory for the memory's current strategies.
   */
  FORGET_PERMS: [
    'bedrock-agentcore:ListSessions',
    'bedrock-agentcore:ListEvents',
    'bedrock-agentcore:DeleteEvent',
    'bedrock-agentcore:ListMemoryRecords',
    'bedrock-agentcore:BatchDeleteMemoryRecords',
    'bedrock-agentcore:ListMemoryExtractionJobs',
    'bedrock-agentcore:GetMemory',
  ] as readonly string[],
} as const;

/** The long-term strategies an `AgentMemory` can run. */
export type AgentMemoryStrategyKind = 'summary' | 'userPreference' | 'semantic' | 'episodic';
export const AGENT_MEMORY_STRATEGY_KINDS: readonly AgentMemoryStrategyKind[] = [
  'summary',
  'userPreference',
  'semantic',
  'episodic',
];

/** Default strategy names. */
export const DEFAULT_STRATEGY_NAMES: Readonly<Record<AgentMemoryStrategyKind, string>> = {
  summary: 'session_summary',
  userPreference: 'user_preference',
  semantic: 'semantic_facts',
  episodic: 'episodes',
};

/** Default namespace template per strategy kind. */
export const DEFAULT_STRATEGY_NAMESPACES: Readonly<Record<AgentMemoryStrategyKind, string>> = {
  ...DEFAULT_NAMESPACES,
  episodic: DEFAULT_EPISODIC_NAMESPACES.episodes,
};

/** Namespace template per strategy kind; a kind is absent when its strategy is left out. */
export type AgentMemoryNamespaces = Partial<Record<AgentMemoryStrategyKind, string>>;

/** AgentCore's pattern for memory and strategy names. */
export const MEMORY_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;
export const MIN_EVENT_EXPIRY_DAYS = 7;
export const MAX_EVENT_EXPIRY_DAYS = 365;
export const DEFAULT_EVENT_EXPIRY_DAYS = 90;

/**
 * A model and prompt text that override one step of a built-in strategy (the L2's
 * `OverrideConfig`). The memory's execution role is granted the model.
 */
export type AgentMemoryModelOverride = agentcore.OverrideConfig;

/** Options of one long-term strategy. */
export interface AgentMemoryStrategyOptions {
  /**
   * Strategy name, unique within the memory; pattern `[a-zA-Z][a-zA-Z0-9_]{0,47}`.
   * @default - `session_summary`, `user_preference`, `semantic_facts` or `episodes`
   */
  readonly strategyName?: string;
  /**
   * Namespace template the strategy writes its records to. Starts and ends with `/`; its
   * segments are literals (letters, digits, `-`, `_`) or the variables `{actorId}`
   * (required, first), `{sessionId}` and `{memoryStrategyId}`; at most 512 characters,
   * and at most 1,024 once filled in with the longest ids.
   * @default - `/summaries/{actorId}/{sessionId}/`, `/preferences/{actorId}/`, `/facts/{actorId}/` or `/episodes/{actorId}/{sessionId}/`
   */
  readonly namespace?: string;
  /**
   * How many records the runtime's `retrieve` returns from this namespace (1-100).
   * @default - the contract's RETRIEVAL_DEFAULTS: 3 for summaries and episodes, 5 otherwise
   */
  readonly topK?: number;
  /**
   * Lowest relevance score (0-1) a retrieved record needs to reach the model.
   * @default - the contract's RETRIEVAL_DEFAULTS: 0.3
   */
  readonly relevanceScore?: number;
  /**
   * Extraction with a model of your choice and text appended to the built-in prompt
   * (1-30,000 characters). Not for the summary strategy, which has no extraction step.
   * @default - the built-in extraction
   */
  readonly customExtraction?: AgentMemoryModelOverride;
  /**
   * Consolidation with a model of your choice and text appended to the built-in prompt
   * (1-30,000 characters).
   * @default - the built-in consolidation
   */
  readonly customConsolidation?: AgentMemoryModelOverride;
}

/** Options of the episodic strategy: episodes per session, and reflections across them. */
export interface AgentMemoryEpisodicOptions extends AgentMemoryStrategyOptions {
  /**
   * Namespace template AgentCore writes reflections (insights across episodes) to: a
   * prefix of `namespace` that contains `{actorId}`, so reflections stay per user and
   * one retrieval prefix covers episodes and reflections.
   * @default - `namespace` cut after its `{actorId}` segment (`/episodes/{actorId}/`)
   */
  readonly reflectionNamespace?: string;
  /**
   * Reflection with a model of your choice and appended prompt text. Required when
   * `customExtraction` or `customConsolidation` is set: AgentCore then takes the
   * reflection namespace from this override, which needs a model and prompt.
   * @default - the built-in reflection
   */
  readonly customReflection?: AgentMemoryModelOverride;
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
   * Every namespace template a strategy writes records to, episodic reflections included:
   * what forgetting a user sweeps.
   */
  readonly recordNamespaces: readonly string[];
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
  /** Grants exactly {@link AgentMemoryPerms.FORGET_PERMS} on this memory's ARN, for the forget function. */
  grantForget(grantee: iam.IGrantable): iam.Grant;
}

/******************************************************************************
 *                        ABSTRACT BASE CLASS
 *****************************************************************************/

/** Grants shared by created and imported memories. */
export abstract class AgentMemoryBase extends Resource implements IAgentMemory {
  abstract readonly memoryId: string;
  abstract readonly memoryArn: string;
  abstract readonly namespaces: AgentMemoryNamespaces;
  abstract readonly recordNamespaces: readonly string[];
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

  grantForget(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...AgentMemoryPerms.FORGET_PERMS],
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
   * Description of the memory, 1-4,096 characters.
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
   * The episodic strategy (episodes of each session and reflections across them): `true`
   * or options to add it. It costs model calls for extraction and reflection, so it is off
   * unless asked for.
   * @default false - no episodic strategy
   */
  readonly episodic?: AgentMemoryEpisodicOptions | boolean;
  /**
   * How long AgentCore keeps the long-term records of the semantic and user preference
   * strategies (AgentCore requires one value for both); whole days, at least 31.
   * @default - these records never expire
   */
  readonly factsAndPreferencesExpiry?: Duration;
  /**
   * How long AgentCore keeps the long-term records of the summary and episodic strategies
   * (AgentCore requires one value for both); whole days, at least 31.
   * @default - these records never expire
   */
  readonly summariesAndEpisodesExpiry?: Duration;
  /**
   * What happens to the memory when it is removed from the stack or replaced. The service
   * role the memory is created with follows the same policy (with its policy), so a
   * retained memory never loses the role it runs extraction with.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The role AgentCore assumes for the memory (extraction models, the key, the stream),
   * passed to the L2 `Memory`. Yours to keep: its removal is not managed here.
   * @default - a service role the L2 creates, retained with the memory
   */
  readonly executionRole?: iam.IRole;
  /**
   * Where AgentCore streams memory record events (the L2's `StreamDeliveryResource`, for
   * example `StreamDeliveryResource.kinesis(stream, {...})`); at most one. The execution
   * role is granted writing to it.
   * @default - no stream delivery
   */
  readonly streamDeliveryResources?: agentcore.StreamDeliveryResource[];
  /**
   * Self-managed strategies (`MemoryStrategy.usingSelfManaged(...)`): AgentCore notifies
   * your topic and writes the events to S3, and your own pipeline creates the records. Their
   * namespaces are yours, so they are in neither `retrievalConfig` nor `recordNamespaces`:
   * add them to an agent's retrieval and to forgetting yourself.
   * @default - none
   */
  readonly selfManagedStrategies?: agentcore.SelfManagedMemoryStrategy[];
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
   * The episodic strategy's reflection namespace, when `namespaces` has `episodic`.
   * @default - the episodic namespace cut after its `{actorId}` segment
   */
  readonly reflectionNamespace?: string;
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
    const reflectionNamespace =
      namespaces.episodic === undefined
        ? undefined
        : (attrs.reflectionNamespace ?? actorLevelTemplate(namespaces.episodic));
    const errors = [...Object.values(namespaces), reflectionNamespace].flatMap((template) =>
      template === undefined || Token.isUnresolved(template) ? [] : namespaceTemplateErrors(template),
    );
    errors.push(
      ...layoutErrors([
        ...Object.values(namespaces),
        ...(reflectionNamespace === undefined ? [] : [reflectionNamespace]),
        ...Object.keys(attrs.retrievalConfig ?? {}),
      ]),
    );
    if (!Token.isUnresolved(attrs.memoryId)) errors.push(...memoryIdErrors(attrs.memoryId, 'memoryId'));
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
    const retrievalConfig = attrs.retrievalConfig ?? defaultRetrievalConfigFor(namespaces, reflectionNamespace);

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
      readonly recordNamespaces = recordNamespacesOf(namespaces, reflectionNamespace);
      readonly retrievalConfig = retrievalConfig;
    }
    return new Import(scope, id);
  }

  readonly memoryId: string;
  readonly memoryArn: string;
  readonly memoryName: string;
  readonly namespaces: AgentMemoryNamespaces;
  readonly recordNamespaces: readonly string[];
  /** The episodic strategy's reflection namespace, when the memory has the episodic strategy. */
  readonly reflectionNamespace?: string;
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
    const expiry = recordExpiryDays(props);
    const errors = [
      ...memoryNameErrors(memoryName),
      ...descriptionErrors(props.description),
      ...eventExpiryErrors(eventExpiry),
      ...expiry.errors,
      ...strategies.errors,
    ];
    if (errors.length > 0) {
      throw new Error(`Invalid AgentMemory props at ${this.node.path}:\n  - ${errors.join('\n  - ')}`);
    }

    this.memory = new agentcore.Memory(this, 'Resource', {
      memoryName,
      description: props.description,
      expirationDuration: eventExpiry,
      kmsKey: props.kmsKey,
      executionRole: props.executionRole,
      streamDeliveryResources: props.streamDeliveryResources,
      memoryStrategies: [
        ...strategies.resolved.map(
          (strategy) => new AgentMemoryStrategy(strategy, expiry.days[EXPIRY_GROUP[strategy.kind]]),
        ),
        ...(props.selfManagedStrategies ?? []),
      ],
    });
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (props.executionRole === undefined)
      retainServiceRoleWith(this.memory, removalPolicy, props.kmsKey !== undefined);
    if (strategies.resolved.some(hasModelOverride)) {
      // Only the L2's own grant for override models puts a policy on the execution role.
      acknowledgeNagRule(this.memory.executionRole!.node.findChild('DefaultPolicy'), {
        id: 'AwsSolutions-IAM5',
        appliesTo: 'Action::bedrock:InvokeModel*',
        reason:
          "The memory's execution role calls the override models of customExtraction, customConsolidation or customReflection; aws-cdk-lib's Memory grants bedrock:InvokeModel* on exactly those model ARNs, and the wildcard only spans InvokeModel and InvokeModelWithResponseStream.",
      });
    }
    // The L2 has no applyRemovalPolicy of its own: its L1 child is named `Memory`.
    (this.memory.node.findChild('Memory') as CfnResource).applyRemovalPolicy(removalPolicy);

    this.memoryId = this.memory.memoryId;
    this.memoryArn = this.memory.memoryArn;
    this.memoryName = memoryName;
    this.kmsKey = props.kmsKey;
    this.namespaces = Object.fromEntries(strategies.resolved.map((strategy) => [strategy.kind, strategy.namespace]));
    this.reflectionNamespace = strategies.resolved.find(
      (strategy) => strategy.kind === 'episodic',
    )?.reflectionNamespace;
    this.recordNamespaces = recordNamespacesOf(this.namespaces, this.reflectionNamespace);
    this.strategyNames = Object.fromEntries(
      strategies.resolved.map((strategy) => [strategy.kind, strategy.strategyName]),
    );
    this.retrievalConfig = Object.fromEntries(
      strategies.resolved.map((strategy) => [
        retrievalTemplateOf(strategy),
        retrievalSettingsToItem(strategy.retrieval),
      ]),
    );
  }
}

/**
 * The service role the L2 created follows the memory's removal policy, its policy too:
 * a retained memory keeps the role it extracts with. With a customer-managed key, the L2's
 * key grant holds KMS's `kms:ReEncrypt*` family on that one key, acknowledged here.
 */
function retainServiceRoleWith(memory: agentcore.Memory, removalPolicy: RemovalPolicy, keyed: boolean): void {
  const role = memory.node.tryFindChild('ServiceRole');
  if (!role) return;
  (role.node.defaultChild as CfnResource).applyRemovalPolicy(removalPolicy);
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy) (policy.node.defaultChild as CfnResource).applyRemovalPolicy(removalPolicy);
  if (keyed) {
    acknowledgeKeyWildcards(
      memory.executionRole!,
      "The memory's customer-managed key: AgentCore re-encrypts the memory's data keys under this one key (kms:ReEncrypt* is KMS's action family for ReEncryptFrom and ReEncryptTo), granted on the key's ARN alone by aws-cdk-lib's Memory.",
      ['kms:ReEncrypt*'],
    );
  }
}

/******************************************************************************
 *                         Validation helpers
 *****************************************************************************/

/** Which record-expiry value applies to a strategy: AgentCore pairs them so. */
const EXPIRY_GROUP: Record<AgentMemoryStrategyKind, 'factsAndPreferences' | 'summariesAndEpisodes'> = {
  semantic: 'factsAndPreferences',
  userPreference: 'factsAndPreferences',
  summary: 'summariesAndEpisodes',
  episodic: 'summariesAndEpisodes',
};

const EXPIRY_PROPS = {
  factsAndPreferences: 'factsAndPreferencesExpiry',
  summariesAndEpisodes: 'summariesAndEpisodesExpiry',
} as const;

function recordExpiryDays(props: AgentMemoryProps): {
  days: Partial<Record<'factsAndPreferences' | 'summariesAndEpisodes', number>>;
  errors: string[];
} {
  const days: Partial<Record<'factsAndPreferences' | 'summariesAndEpisodes', number>> = {};
  const errors: string[] = [];
  for (const [group, prop] of Object.entries(EXPIRY_PROPS) as [
    keyof typeof EXPIRY_PROPS,
    (typeof EXPIRY_PROPS)[keyof typeof EXPIRY_PROPS],
  ][]) {
    const expiry = props[prop];
    if (expiry === undefined) continue;
    if (expiry.isUnresolved()) {
      errors.push(`${prop} must be a literal duration: it becomes a whole number of days in the template`);
      continue;
    }
    const value = expiry.toDays({ integral: false });
    if (!Number.isInteger(value) || value < MIN_RECORD_EXPIRY_DAYS) {
      errors.push(
        `${prop} must be a whole number of days, at least ${MIN_RECORD_EXPIRY_DAYS} as AgentCore requires for long-term records (got ${value} days)`,
      );
      continue;
    }
    days[group] = value;
  }
  return { days, errors };
}

function retrievalTemplate(namespace: string): string {
  return Token.isUnresolved(namespace) ? namespace : retrievalTemplateFor(namespace);
}

/** Episodic retrieval searches from the reflection level, a prefix of the episodes, so it finds both. */
function retrievalTemplateOf(strategy: Pick<ResolvedStrategy, 'namespace' | 'reflectionNamespace'>): string {
  return retrievalTemplate(strategy.reflectionNamespace ?? strategy.namespace);
}

function defaultRetrievalSettings(kind: AgentMemoryStrategyKind): RetrievalSettings {
  return RETRIEVAL_DEFAULTS[kind];
}

function defaultRetrievalConfigFor(namespaces: AgentMemoryNamespaces, reflectionNamespace?: string): RetrievalConfig {
  const config: RetrievalConfig = {};
  for (const kind of AGENT_MEMORY_STRATEGY_KINDS) {
    const namespace = namespaces[kind];
    if (namespace === undefined) continue;
    const template = retrievalTemplateOf({
      namespace,
      reflectionNamespace: kind === 'episodic' ? reflectionNamespace : undefined,
    });
    config[template] = retrievalSettingsToItem(defaultRetrievalSettings(kind));
  }
  return config;
}

function recordNamespacesOf(namespaces: AgentMemoryNamespaces, reflectionNamespace?: string): string[] {
  const templates = AGENT_MEMORY_STRATEGY_KINDS.flatMap((kind) => namespaces[kind] ?? []);
  return [...new Set(reflectionNamespace === undefined ? templates : [...templates, reflectionNamespace])];
}

function memoryNameErrors(memoryName: string): string[] {
  if (Token.isUnresolved(memoryName) || MEMORY_NAME_PATTERN.test(memoryName)) return [];
  return [
    `memoryName '${memoryName}' must start with a letter and hold only letters, digits and '_', at most 48 characters (pattern ${MEMORY_NAME_PATTERN.source})`,
  ];
}

function descriptionErrors(description: string | undefined): string[] {
  if (description === undefined || Token.isUnresolved(description)) return [];
  const length = codePointLength(description);
  if (length >= 1 && length <= MEMORY_DESCRIPTION_MAX_LENGTH) return [];
  return [
    `description must be 1-${MEMORY_DESCRIPTION_MAX_LENGTH.toLocaleString('en-US')} characters (got ${length}); shorten it or leave it out`,
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

function hasModelOverride(strategy: ResolvedStrategy): boolean {
  return [strategy.customExtraction, strategy.customConsolidation, strategy.customReflection].some(
    (override) => override !== undefined,
  );
}

function overrideErrors(field: string, override: AgentMemoryModelOverride | undefined): string[] {
  if (override === undefined || Token.isUnresolved(override.appendToPrompt)) return [];
  const length = codePointLength(override.appendToPrompt);
  if (length >= 1 && length <= PROMPT_MAX_LENGTH) return [];
  return [`${field}.appendToPrompt must be 1-${PROMPT_MAX_LENGTH.toLocaleString('en-US')} characters (got ${length})`];
}

/** Fills in defaults and collects every problem with the strategy props. */
function resolveStrategies(props: AgentMemoryProps): { resolved: ResolvedStrategy[]; errors: string[] } {
  const errors: string[] = [];
  const resolved: ResolvedStrategy[] = [];
  for (const kind of AGENT_MEMORY_STRATEGY_KINDS) {
    const given = props[kind];
    // Episodic is off unless asked for; the others are on unless `false`.
    if (given === false || (kind === 'episodic' && given === undefined)) continue;
    const options: AgentMemoryEpisodicOptions = typeof given === 'object' ? given : {};
    const strategyName = options.strategyName ?? DEFAULT_STRATEGY_NAMES[kind];
    const namespace = options.namespace ?? DEFAULT_STRATEGY_NAMESPACES[kind];
    const defaults = defaultRetrievalSettings(kind);
    const retrieval = {
      topK: options.topK ?? defaults.topK,
      relevanceScore: options.relevanceScore ?? defaults.relevanceScore,
    };

    if (!Token.isUnresolved(strategyName) && !MEMORY_NAME_PATTERN.test(strategyName)) {
      errors.push(
        `${kind}.strategyName '${strategyName}' must start with a letter and hold only letters, digits and '_', at most 48 characters`,
      );
    }
    if (!Token.isUnresolved(namespace)) {
      errors.push(...namespaceTemplateErrors(namespace).map((error) => `${kind}.namespace: ${error}`));
    }
    for (const issue of retrievalSettingIssues(retrieval)) errors.push(`${kind}.${issue.key} ${issue.message}`);
    errors.push(...overrideErrors(`${kind}.customExtraction`, options.customExtraction));
    errors.push(...overrideErrors(`${kind}.customConsolidation`, options.customConsolidation));
    if (kind === 'summary' && options.customExtraction !== undefined) {
      errors.push(
        'summary.customExtraction: the summary strategy has no extraction step to override; use customConsolidation',
      );
    }

    let reflectionNamespace: string | undefined;
    if (kind === 'episodic') {
      reflectionNamespace =
        options.reflectionNamespace ?? (Token.isUnresolved(namespace) ? namespace : actorLevelTemplate(namespace));
      errors.push(...reflectionErrors(namespace, reflectionNamespace, options));
    } else {
      const misplaced = (['reflectionNamespace', 'customReflection'] as const).filter(
        (key) => options[key] !== undefined,
      );
      for (const key of misplaced) errors.push(`${kind}.${key}: only the episodic strategy has reflections; remove it`);
    }
    resolved.push({
      kind,
      strategyName,
      namespace,
      reflectionNamespace,
      retrieval,
      customExtraction: options.customExtraction,
      customConsolidation: options.customConsolidation,
      customReflection: options.customReflection,
    });
  }

  if (resolved.length === 0) {
    errors.push(
      'keep at least one of summary, userPreference, semantic, episodic: without a strategy the memory tool has nothing to retrieve',
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
    ...duplicateErrors(resolved, retrievalTemplateOf, 'retrieve from', 'give each strategy its own namespace'),
  );
  errors.push(...overlappingNamespaceErrors(resolved));
  errors.push(
    ...layoutErrors(
      resolved.flatMap((strategy) => [strategy.namespace, strategy.reflectionNamespace ?? strategy.namespace]),
    ),
  );
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

/**
 * The templates as one layout: no actor's namespaces may cover another actor's, for any
 * two actorIds (an actorId can equal any literal segment). Templates still tokens are
 * left out; each template's own problems are reported on their own.
 */
function layoutErrors(templates: readonly string[]): string[] {
  return namespaceLayoutErrors(templates.filter((template) => !Token.isUnresolved(template))).map(
    (error) => `namespace layout: ${error}`,
  );
}

/** Retrieval matches namespaces by prefix: one strategy's prefix must not cover another's records. */
function overlappingNamespaceErrors(strategies: ResolvedStrategy[]): string[] {
  const errors: string[] = [];
  for (const outer of strategies) {
    for (const inner of strategies) {
      const outerTemplate = retrievalTemplateOf(outer);
      const innerTemplate = retrievalTemplateOf(inner);
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

function reflectionErrors(
  namespace: string,
  reflectionNamespace: string,
  options: AgentMemoryEpisodicOptions,
): string[] {
  const errors: string[] = [];
  if (!Token.isUnresolved(reflectionNamespace)) {
    const templateErrors = namespaceTemplateErrors(reflectionNamespace);
    errors.push(...templateErrors.map((error) => `episodic.reflectionNamespace: ${error}`));
    if (templateErrors.length === 0 && !Token.isUnresolved(namespace) && !namespace.startsWith(reflectionNamespace)) {
      errors.push(
        `episodic.reflectionNamespace '${reflectionNamespace}' must be a prefix of episodic.namespace '${namespace}' (AgentCore reflects over the episodes below it), for example '${actorLevelTemplate(namespace)}'`,
      );
    }
  }
  errors.push(...overrideErrors('episodic.customReflection', options.customReflection));
  if (
    options.customReflection === undefined &&
    (options.customExtraction !== undefined || options.customConsolidation !== undefined)
  ) {
    errors.push(
      'episodic.customReflection is required with customExtraction or customConsolidation: AgentCore then takes the reflection namespace from the override, which needs a model and appendToPrompt',
    );
  }
  return errors;
}
