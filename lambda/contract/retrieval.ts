/**
 * Retrieval settings: one shape, one defaults table and one validator, used by the agent
 * definition (`memory_feature.retrieval`, snake_case as stored in DynamoDB), the session
 * manager (`retrievalConfig`, camelCase) and the `AgentMemory` construct (`topK`,
 * `relevanceScore` per strategy). The spellings differ by medium; the rules do not.
 */
// zod/mini: the same validation as zod's classic API, tree-shaken to a fraction of its size.
import * as z from 'zod/mini';
import {
  DEFAULT_EPISODIC_NAMESPACES,
  DEFAULT_NAMESPACES,
  namespaceTemplateErrors,
  retrievalTemplateFor,
} from './namespaces.js';
import { metadataFiltersSchema } from './metadata-filters.js';

/** How many records one namespace returns, and the lowest relevance score kept (filtered client-side). */
export interface RetrievalSettings {
  readonly topK: number;
  readonly relevanceScore: number;
}

/** What RetrieveMemoryRecords accepts: `searchCriteria.topK` 1-100; scores are 0-1. */
export const RETRIEVAL_SETTING_BOUNDS = {
  topK: { min: 1, max: 100 },
  relevanceScore: { min: 0, max: 1 },
} as const;

/** The strategies whose records an agent retrieves by default. */
export type RetrievalStrategyKind = 'summary' | 'userPreference' | 'semantic' | 'episodic';

/**
 * The one defaults table. `namespace` is what the session manager uses for a namespace
 * given without settings; the strategy rows are what an agent retrieves from each
 * strategy's namespace when its definition (or the `AgentMemory` strategy) names none.
 */
export const RETRIEVAL_DEFAULTS = {
  namespace: { topK: 10, relevanceScore: 0.2 },
  summary: { topK: 3, relevanceScore: 0.3 },
  userPreference: { topK: 5, relevanceScore: 0.3 },
  semantic: { topK: 5, relevanceScore: 0.3 },
  episodic: { topK: 3, relevanceScore: 0.3 },
} as const satisfies Record<'namespace' | RetrievalStrategyKind, RetrievalSettings>;

export type RetrievalSettingKey = keyof RetrievalSettings;

/** One problem with a retrieval setting: which key, and what to change (without the field name). */
export interface RetrievalSettingIssue {
  readonly key: RetrievalSettingKey;
  readonly message: string;
}

/**
 * The one validator. Every problem with the given settings; a key left `undefined` is
 * not checked (the caller applies its default). Out-of-range values are rejected, never
 * clamped, wherever they come from.
 */
export function retrievalSettingIssues(settings: {
  readonly topK?: unknown;
  readonly relevanceScore?: unknown;
}): RetrievalSettingIssue[] {
  const issues: RetrievalSettingIssue[] = [];
  const { topK, relevanceScore } = RETRIEVAL_SETTING_BOUNDS;
  if (
    settings.topK !== undefined &&
    !(Number.isInteger(settings.topK) && (settings.topK as number) >= topK.min && (settings.topK as number) <= topK.max)
  ) {
    issues.push({
      key: 'topK',
      message: `must be a whole number from ${topK.min} to ${topK.max} (got ${JSON.stringify(settings.topK)})`,
    });
  }
  if (
    settings.relevanceScore !== undefined &&
    !(
      typeof settings.relevanceScore === 'number' &&
      settings.relevanceScore >= relevanceScore.min &&
      settings.relevanceScore <= relevanceScore.max
    )
  ) {
    issues.push({
      key: 'relevanceScore',
      message: `must be a number from ${relevanceScore.min} to ${relevanceScore.max} (got ${JSON.stringify(settings.relevanceScore)})`,
    });
  }
  return issues;
}

/** The settings' keys as an agent definition stores them. */
export const RETRIEVAL_ITEM_KEYS = { topK: 'top_k', relevanceScore: 'relevance_score' } as const;

/**
 * Retrieval settings of one namespace in an agent definition: `{ top_k, relevance_score }`,
 * and optionally `metadata_filters`, which every record retrieved from the namespace must
 * match (sent as RetrieveMemoryRecords' `searchCriteria.metadataFilters`).
 */
export const retrievalSettingsSchema = z
  .object({ top_k: z.number(), relevance_score: z.number(), metadata_filters: z.optional(metadataFiltersSchema) })
  .check(
    z.superRefine((item, context) => {
      for (const issue of retrievalSettingIssues(retrievalSettingsFromItem(item))) {
        const key = RETRIEVAL_ITEM_KEYS[issue.key];
        context.addIssue({ code: 'custom', message: issue.message, path: [key], input: item[key] });
      }
    }),
  );
export type RetrievalSettingsItem = z.infer<typeof retrievalSettingsSchema>;

export function retrievalSettingsFromItem(item: RetrievalSettingsItem): RetrievalSettings {
  return { topK: item.top_k, relevanceScore: item.relevance_score };
}

export function retrievalSettingsToItem(settings: RetrievalSettings): RetrievalSettingsItem {
  return { top_k: settings.topK, relevance_score: settings.relevanceScore };
}

/** Namespaces one retrieval searches at most: each costs one RetrieveMemoryRecords per retrieve. */
export const RETRIEVAL_NAMESPACES_MAX = 8;

/**
 * Retrieval settings keyed by namespace template (`/preferences/{actorId}/`). The runtime
 * resolves `{actorId}` and `{sessionId}`; it has no strategy id to put in
 * `{memoryStrategyId}`, so a template using it is rejected here rather than making every
 * retrieval fail ("memory is unavailable") at run time. Search the prefix before it instead
 * (`retrievalTemplateFor`), as `AgentMemory.retrievalConfig` does.
 */
export const retrievalConfigSchema = z.record(z.string(), retrievalSettingsSchema).check(
  z.superRefine((config, context) => {
    const count = Object.keys(config).length;
    if (count > RETRIEVAL_NAMESPACES_MAX) {
      context.addIssue({
        code: 'custom',
        message: `lists ${count} namespaces; at most ${RETRIEVAL_NAMESPACES_MAX}, since every retrieve searches each of them (one AgentCore call per namespace)`,
        input: config,
      });
    }
    for (const template of Object.keys(config)) {
      const messages = namespaceTemplateErrors(template);
      if (messages.length === 0 && template.includes('{memoryStrategyId}')) {
        messages.push(
          `namespace '${template}' uses '{memoryStrategyId}', which retrieval cannot resolve; search the prefix before it ('${retrievalTemplateFor(template)}')`,
        );
      }
      for (const message of messages) {
        context.addIssue({ code: 'custom', message, path: [template], input: template });
      }
    }
  }),
);
export type RetrievalConfig = z.infer<typeof retrievalConfigSchema>;

/**
 * Used when an agent's `memory_feature.retrieval` is absent: the namespaces of every
 * strategy `AgentMemory` offers, each searched at the actor's level, so summaries and
 * episodes of every earlier session are found too. A namespace no strategy writes to
 * costs one retrieval that returns nothing.
 */
export const DEFAULT_RETRIEVAL_CONFIG: RetrievalConfig = {
  [DEFAULT_NAMESPACES.userPreference]: retrievalSettingsToItem(RETRIEVAL_DEFAULTS.userPreference),
  [DEFAULT_NAMESPACES.semantic]: retrievalSettingsToItem(RETRIEVAL_DEFAULTS.semantic),
  [retrievalTemplateFor(DEFAULT_NAMESPACES.summary)]: retrievalSettingsToItem(RETRIEVAL_DEFAULTS.summary),
  [retrievalTemplateFor(DEFAULT_EPISODIC_NAMESPACES.episodes)]: retrievalSettingsToItem(RETRIEVAL_DEFAULTS.episodic),
};
