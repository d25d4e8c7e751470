import type { Logger } from '@aws-lambda-powertools/logger';
import {
  namespaceLayoutErrors,
  retrievalSettingsFromItem,
  type AgentDefinition,
  type MemoryMode,
} from '../../contract/index.js';
import { NOT_FOUND, loaded, refused, type Outcome } from '../../platform/outcome.js';
import type { NamespaceRetrievalConfig } from '../../session-manager/types.js';
import { MetricName, countMetric } from '../observability.js';
import { memoryMetadataFilter } from './metadata-filters.js';

export const MEMORY_ID_MISSING_WARNING =
  'memory_feature.enabled=True but memory_id is missing or empty; memory disabled';
export const UNSAFE_NAMESPACE_LAYOUT_WARNING =
  "memory_feature.retrieval namespaces would let one user's namespaces cover another's; memory disabled";

/** What a turn does with the memory of an agent that has it active; decided once per turn from the agent definition. */
export interface MemorySettings {
  /** The agent whose turns these are: written on every event of its turns. */
  readonly agentId: string;
  readonly memoryId: string;
  readonly persistConversation: boolean;
  /** The mode of a turn whose request names none. */
  readonly defaultMode: MemoryMode;
  /** The session manager's retrieval config, keyed by namespace template. */
  readonly retrievalConfig: Readonly<Record<string, NamespaceRetrievalConfig>>;
  /** Metadata keys the model may filter a `retrieve` on; none: the tool takes no filters. */
  readonly toolFilterKeys: readonly string[];
}

/** Why an agent with memory enabled gets none: its definition names no memory, or would mix users' namespaces. */
export type MemoryMisconfiguration = 'memoryIdMissing' | 'unsafeNamespaceLayout';

/**
 * Memory is active (`loaded`) when `memory_feature.enabled` is true and `memory_id` is
 * non-empty; `notFound` when the agent has no memory enabled. Enabled without an id, or with
 * retrieval templates that do not keep users apart, is `refused`: a misconfiguration that
 * degrades to no memory with a WARNING, never an error to the caller.
 */
export function memorySettingsFor(
  agent: AgentDefinition,
  logger: Logger,
): Outcome<MemorySettings, MemoryMisconfiguration> {
  const feature = agent.memory_feature;
  if (feature === undefined || !feature.enabled) return NOT_FOUND;
  const memoryId = feature.memory_id ?? '';
  if (memoryId.trim() === '') {
    logger.warn(MEMORY_ID_MISSING_WARNING, { agentId: agent.agent_id });
    return refused('memoryIdMissing');
  }
  // Each template was checked on its own when the item was parsed; isolation is a property of the set.
  const layoutErrors = namespaceLayoutErrors(Object.keys(feature.retrieval));
  if (layoutErrors.length > 0) {
    logger.warn(UNSAFE_NAMESPACE_LAYOUT_WARNING, { agentId: agent.agent_id, problems: layoutErrors });
    countMetric(MetricName.unsafeNamespaceLayouts);
    return refused('unsafeNamespaceLayout');
  }
  // `persist_conversation` and `retrieval` carry their defaults from the schema the item was parsed with.
  const retrievalConfig: Record<string, NamespaceRetrievalConfig> = {};
  for (const [template, settings] of Object.entries(feature.retrieval)) {
    retrievalConfig[template] = {
      ...retrievalSettingsFromItem(settings),
      ...(settings.metadata_filters !== undefined && {
        metadataFilters: settings.metadata_filters.map(memoryMetadataFilter),
      }),
    };
  }
  return loaded({
    agentId: agent.agent_id,
    memoryId,
    persistConversation: feature.persist_conversation,
    defaultMode: feature.default_mode,
    retrievalConfig,
    toolFilterKeys: feature.tool_filter_keys ?? [],
  });
}
