import type * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import {
  DEFAULT_EPISODIC_NAMESPACES,
  DEFAULT_NAMESPACES,
  MEMORY_STRATEGY_KINDS,
  type MemoryStrategyKind,
} from '../../lambda/contract/index.js';
import type { AgentMemoryMetadataField } from './memory-metadata.js';

/** The long-term strategies an `AgentMemory` can run: the contract's strategy kinds. */
export type AgentMemoryStrategyKind = MemoryStrategyKind;
export const AGENT_MEMORY_STRATEGY_KINDS: readonly AgentMemoryStrategyKind[] = MEMORY_STRATEGY_KINDS;

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
   * and at most 1,024 once filled in with the longest ids. A custom variable of the
   * memory's `namespaceKeys` may fill a whole segment after `{actorId}`
   * (`/facts/{actorId}/{topic}/`); retrieval and forgetting then work on the template cut
   * before it (`/facts/{actorId}/`).
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
  /**
   * Metadata the strategy gives each long-term record it writes (1-20 fields): filled in
   * by the extraction model or copied from the event's metadata. Index a field's key in
   * the memory's `indexedKeys` (same type) to filter retrieval on it.
   * @default - records carry no metadata
   */
  readonly metadataSchema?: AgentMemoryMetadataField[];
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
