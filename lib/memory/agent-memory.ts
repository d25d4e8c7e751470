import { Duration, Names, RemovalPolicy, type CfnResource } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { retrievalSettingsToItem, type RetrievalConfig } from '../../lambda/contract/index.js';
import { acknowledgeNagRule } from '../nag/acknowledge.js';
import { acknowledgeKeyWildcards } from '../tables/table-grants.js';
import { indexedKeysErrors, namespaceKeysErrors } from '../validation/memory-metadata.js';
import {
  descriptionErrors,
  eventExpiryErrors,
  memoryNameErrors,
  recordExpiryDays,
} from '../validation/memory-props.js';
import { throwIfInvalid } from '../validation/throw-if-invalid.js';
import { AgentMemoryBase, type IAgentMemory } from './agent-memory-base.js';
import { AgentMemoryStrategy, type ResolvedStrategy } from './agent-memory-strategy.js';
import { importAgentMemory, type AgentMemoryAttributes } from './imported-agent-memory.js';
import { DEFAULT_EVENT_EXPIRY_DAYS } from './memory-limits.js';
import { renderNamespaceKey, type AgentMemoryIndexedKey, type AgentMemoryNamespaceKey } from './memory-metadata.js';
import { recordNamespacesOf, retrievalTemplateOf } from './memory-namespaces.js';
import type {
  AgentMemoryEpisodicOptions,
  AgentMemoryNamespaces,
  AgentMemoryStrategyKind,
  AgentMemoryStrategyOptions,
} from './strategy-options.js';
import { hasModelOverride, resolveStrategies } from './strategy-resolution.js';

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
   * strategies (AgentCore requires one value for both); whole days, at least 31. Set on
   * each strategy's `RecordExpirySpecification`; removing it later clears the expiry.
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
   * Record metadata keys the memory indexes (1-10), so retrieval can filter records on
   * them. Each strategy's `metadataSchema` fills them in. AgentCore adds keys to an
   * existing memory but never removes one: an indexed key stays.
   * @default - no indexed keys: retrieval cannot filter on metadata
   */
  readonly indexedKeys?: AgentMemoryIndexedKey[];
  /**
   * Custom namespace variables (1-5) the strategies' namespace templates may use as a
   * whole segment after `{actorId}` (`/facts/{actorId}/{topic}/`); each event names their
   * values. A template never tells actors apart by a custom variable alone.
   * @default - only the built-in variables `{actorId}`, `{sessionId}`, `{memoryStrategyId}`
   */
  readonly namespaceKeys?: AgentMemoryNamespaceKey[];
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

/**
 * An AgentCore Memory for chat agents: the L2 `Memory` with the summary, user preference
 * and semantic strategies, validated namespace templates, a retrieval config the runtime
 * reads, retained on removal unless told otherwise.
 */
export class AgentMemory extends AgentMemoryBase {
  /** Attaches to an existing memory by id and namespaces. */
  static fromAgentMemoryAttributes(scope: Construct, id: string, attrs: AgentMemoryAttributes): IAgentMemory {
    return importAgentMemory(scope, id, attrs);
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
  /** The metadata keys records can be filtered on: the `indexedKeys` props, none when left out. */
  readonly indexedKeys: readonly string[];
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
    const strategies = resolveStrategies(props, props);
    const expiry = recordExpiryDays(props);
    throwIfInvalid(`AgentMemory props at ${this.node.path}`, [
      ...memoryNameErrors(memoryName),
      ...descriptionErrors(props.description),
      ...eventExpiryErrors(eventExpiry),
      ...expiry.errors,
      ...indexedKeysErrors(props.indexedKeys),
      ...namespaceKeysErrors(props.namespaceKeys),
      ...strategies.errors,
    ]);

    this.memory = new agentcore.Memory(this, 'Resource', {
      memoryName,
      description: props.description,
      expirationDuration: eventExpiry,
      kmsKey: props.kmsKey,
      executionRole: props.executionRole,
      streamDeliveryResources: props.streamDeliveryResources,
      memoryStrategies: [
        ...strategies.resolved.map((strategy) => new AgentMemoryStrategy(strategy, expiry.days[strategy.kind])),
        ...(props.selfManagedStrategies ?? []),
      ],
    });
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (props.executionRole === undefined) {
      retainServiceRoleWith(this.memory, removalPolicy, props.kmsKey !== undefined);
    }
    if (strategies.resolved.some(hasModelOverride)) acknowledgeOverrideModels(this.memory);
    // The L2 has no applyRemovalPolicy, indexed keys or namespace keys of its own: its L1 child is named `Memory`.
    const cfnMemory = this.memory.node.findChild('Memory') as agentcore.CfnMemory;
    cfnMemory.applyRemovalPolicy(removalPolicy);
    if (props.indexedKeys !== undefined)
      cfnMemory.indexedKeys = props.indexedKeys.map(({ key, type }) => ({ key, type }));
    if (props.namespaceKeys !== undefined) cfnMemory.namespaceKeys = props.namespaceKeys.map(renderNamespaceKey);

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
    this.retrievalConfig = retrievalConfigOf(strategies.resolved);
    this.indexedKeys = (props.indexedKeys ?? []).map(({ key }) => key);
  }
}

/** What the runtime's `retrieve` searches: each strategy's retrieval template and settings. */
function retrievalConfigOf(strategies: readonly ResolvedStrategy[]): RetrievalConfig {
  return Object.fromEntries(
    strategies.map((strategy) => [retrievalTemplateOf(strategy), retrievalSettingsToItem(strategy.retrieval)]),
  );
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

/** Only the L2's own grant for override models puts a policy on the execution role. */
function acknowledgeOverrideModels(memory: agentcore.Memory): void {
  acknowledgeNagRule(memory.executionRole!.node.findChild('DefaultPolicy'), {
    id: 'AwsSolutions-IAM5',
    appliesTo: 'Action::bedrock:InvokeModel*',
    reason:
      "The memory's execution role calls the override models of customExtraction, customConsolidation or customReflection; aws-cdk-lib's Memory grants bedrock:InvokeModel* on exactly those model ARNs, and the wildcard only spans InvokeModel and InvokeModelWithResponseStream.",
  });
}
