// zod/mini: the same validation as zod's classic API, tree-shaken to a fraction of its
// size in the converse function's bundle.
import * as z from 'zod/mini';
import { AGENT_ID_MAX_LENGTH, AGENT_ID_PATTERN, memoryIdErrors } from './identifiers.js';
import { guardrailSchema } from './guardrail.js';
import { metadataKeySchema } from './metadata-filters.js';
import { DEFAULT_RETRIEVAL_CONFIG, retrievalConfigSchema } from './retrieval.js';
import { toolLimitsSchema } from './tool-limits.js';

/**
 * Metadata keys an agent lets the model filter its retrievals on: few, since the tool's
 * specification lists them for the model.
 */
export const TOOL_FILTER_KEYS_MAX = 10;

/**
 * What a turn does with long-term memory: `learn` from it, or stay `incognito` (read
 * memories, record nothing, and write the turn with extraction skipped).
 */
export const MEMORY_MODES = ['learn', 'incognito'] as const;
export type MemoryMode = (typeof MEMORY_MODES)[number];

export const memoryFeatureSchema = z.object({
  /** The user's switch: memory tools only when true and `memory_id` is non-empty. */
  enabled: z.boolean(),
  /**
   * The AgentCore Memory id. Missing, null (a DynamoDB NULL) or empty with `enabled` true:
   * memory is off, with a warning, never an error. Any other value must be a memory id
   * AgentCore accepts.
   */
  memory_id: z.optional(
    z.nullable(
      z.string().check(
        z.superRefine((memoryId, context) => {
          if (memoryId.trim() === '') return;
          for (const message of memoryIdErrors(memoryId, 'memory_id')) {
            context.addIssue({ code: 'custom', message, input: memoryId });
          }
        }),
      ),
    ),
  ),
  /** Write each finished turn to AgentCore short-term memory. Default: true. */
  persist_conversation: z._default(z.boolean(), true),
  /**
   * The memory mode of a turn whose request names none: `learn` (the turn's events are
   * extracted into long-term memory) or `incognito` (the turn may read memories, but nothing
   * of it is learned). Default: `learn`.
   */
  default_mode: z._default(z.enum(MEMORY_MODES), 'learn'),
  /** Namespaces `retrieve` searches. Default: {@link DEFAULT_RETRIEVAL_CONFIG}. */
  retrieval: z._default(retrievalConfigSchema, () => structuredClone(DEFAULT_RETRIEVAL_CONFIG)),
  /**
   * Record metadata keys the memory tool's `retrieve` may filter on, with filters the model
   * writes. They only narrow a retrieval (added to each namespace's `metadata_filters`); the
   * namespaces searched stay the agent's. Default: none (the tool takes no filters).
   */
  tool_filter_keys: z.optional(z.array(metadataKeySchema).check(z.minLength(1), z.maxLength(TOOL_FILTER_KEYS_MAX))),
});
export type MemoryFeature = z.infer<typeof memoryFeatureSchema>;

/**
 * Tools built into the converse function that an agent definition may name in `tools`,
 * next to the memory tool (which `memory_feature` controls, never this list).
 */
export const BUILT_IN_TOOL_NAMES = ['current_time'] as const;
export type BuiltInToolName = (typeof BUILT_IN_TOOL_NAMES)[number];

/** Bedrock Converse inference settings; a field left out keeps the model's own default. */
export const inferenceSettingsSchema = z.object({
  max_tokens: z.optional(z.int().check(z.minimum(1), z.maximum(64_000))),
  temperature: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  top_p: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
});
export type InferenceSettings = z.infer<typeof inferenceSettingsSchema>;

/** Prompt-cache TTLs an agent definition may name. */
export const CACHE_TTLS = ['5m', '1h'] as const;
export type CacheTtl = (typeof CACHE_TTLS)[number];

/** An item of the agent-definition table (partition key `agent_id`). */
export const agentDefinitionSchema = z.object({
  agent_id: z.string().check(z.minLength(1), z.maxLength(AGENT_ID_MAX_LENGTH), z.regex(AGENT_ID_PATTERN)),
  base_prompt: z.string().check(z.minLength(1)),
  /** Bedrock model or inference-profile id (or ARN). */
  foundation_model: z.string().check(z.minLength(1)),
  memory_feature: z.optional(memoryFeatureSchema),
  /** Built-in tools the model may call. Default: none (only the memory tool, when memory is active). */
  tools: z.optional(z.array(z.enum(BUILT_IN_TOOL_NAMES))),
  /** Default: the model's own inference defaults. */
  inference: z.optional(inferenceSettingsSchema),
  /**
   * How long Bedrock keeps the agent's cached prompt prefixes after their last use:
   * `5m`, or `1h` (cache writes cost 2x instead of 1.25x) where the model accepts it
   * (Anthropic Claude 4.5 and later; other models keep 5m). Default: `5m`.
   */
  cache_ttl: z.optional(z.enum(CACHE_TTLS)),
  /** The Bedrock guardrail every model call of the agent goes through. Default: none. */
  guardrail: z.optional(guardrailSchema),
  /**
   * How many tool uses a turn executes; a field left out keeps its default
   * (`DEFAULT_TOOL_LIMITS`: 8 per reply, 12 per turn, 3 records per turn, 4 at a time).
   */
  tool_limits: z.optional(toolLimitsSchema),
});
export type AgentDefinition = z.infer<typeof agentDefinitionSchema>;
/** The item as written: fields with defaults may be left out. */
export type AgentDefinitionInput = z.input<typeof agentDefinitionSchema>;
