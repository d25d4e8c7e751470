import { z } from 'zod';
import { AGENT_ID_MAX_LENGTH, AGENT_ID_PATTERN } from './identifiers';
import { DEFAULT_NAMESPACES, namespaceTemplateErrors, retrievalTemplateFor } from './namespaces';

/** How many records one namespace returns, and the lowest score kept (0..1). */
export const retrievalSettingsSchema = z.object({
  top_k: z.number().int().min(1).max(100),
  relevance_score: z.number().min(0).max(1),
});
export type RetrievalSettings = z.infer<typeof retrievalSettingsSchema>;

/** Retrieval settings keyed by namespace template (`/preferences/{actorId}/`). */
export const retrievalConfigSchema = z.record(z.string(), retrievalSettingsSchema).superRefine((config, context) => {
  for (const template of Object.keys(config)) {
    for (const message of namespaceTemplateErrors(template)) {
      context.addIssue({ code: 'custom', message, path: [template] });
    }
  }
});
export type RetrievalConfig = z.infer<typeof retrievalConfigSchema>;

/**
 * Used when an agent's `memory_feature.retrieval` is absent: the default strategies'
 * namespaces, with the summary namespace searched across all of the actor's sessions.
 */
export const DEFAULT_RETRIEVAL_CONFIG: RetrievalConfig = {
  [DEFAULT_NAMESPACES.userPreference]: { top_k: 5, relevance_score: 0.3 },
  [DEFAULT_NAMESPACES.semantic]: { top_k: 5, relevance_score: 0.3 },
  [retrievalTemplateFor(DEFAULT_NAMESPACES.summary)]: { top_k: 3, relevance_score: 0.3 },
};

export const memoryFeatureSchema = z.object({
  /** The user's switch: memory tools only when true and `memory_id` is non-empty. */
  enabled: z.boolean(),
  /** The AgentCore Memory id. Missing or empty with `enabled` true: memory is off, with a warning. */
  memory_id: z.string().optional(),
  /** Write each finished turn to AgentCore short-term memory. Default: true. */
  persist_conversation: z.boolean().default(true),
  /** Namespaces `retrieve` searches. Default: {@link DEFAULT_RETRIEVAL_CONFIG}. */
  retrieval: retrievalConfigSchema.default(DEFAULT_RETRIEVAL_CONFIG),
});
export type MemoryFeature = z.infer<typeof memoryFeatureSchema>;

/** An item of the agent-definition table (partition key `agent_id`). */
export const agentDefinitionSchema = z.object({
  agent_id: z.string().min(1).max(AGENT_ID_MAX_LENGTH).regex(AGENT_ID_PATTERN),
  base_prompt: z.string().min(1),
  /** Bedrock model or inference-profile id (or ARN). */
  foundation_model: z.string().min(1),
  memory_feature: memoryFeatureSchema.optional(),
});
export type AgentDefinition = z.infer<typeof agentDefinitionSchema>;
/** The item as written: fields with defaults may be left out. */
export type AgentDefinitionInput = z.input<typeof agentDefinitionSchema>;
