import type * as bedrock from 'aws-cdk-lib/aws-bedrock';
import type { BuiltInToolName, CacheTtl, MemoryMode, MetadataFilterOperator } from '../../lambda/contract/index.js';
import type { IAgentMemory } from '../memory/agent-memory-base.js';

/** An agent definition as `addAgent` writes it (the item the converse runtime reads). */
export interface AgentDefinitionOptions {
  /** Partition key value; letters, digits, `-`, `_`, `.`, at most 64 characters. */
  readonly agentId: string;
  /** The system prompt every user of the agent shares. */
  readonly basePrompt: string;
  /** Bedrock model or inference profile id (or ARN) the agent calls. */
  readonly foundationModel: string;
  /**
   * The memory the agent uses: sets `memory_feature` to `enabled: true`, this memory's id
   * and its retrieval config.
   * @default - no `memory_feature`: the agent runs without memory
   */
  readonly memory?: IAgentMemory;
  /**
   * Whether each finished turn is written to AgentCore short-term memory.
   * @default - not written to the item; the runtime's default (true) applies
   */
  readonly persistConversation?: boolean;
  /**
   * The memory mode of a turn whose request names none: `learn` (its events are extracted
   * into long-term memory) or `incognito` (it may read memories, but nothing of it is learned).
   * @default - not written to the item; the runtime's default (`learn`) applies
   */
  readonly memoryMode?: MemoryMode;
  /**
   * Filters on long-term records' metadata: which records the agent retrieves, and which
   * keys the model may narrow a retrieve by. Needs `memory`.
   * @default - no filters: every record of the agent's namespaces may be retrieved
   */
  readonly memoryFilters?: AgentMemoryFilters;
  /**
   * How long Bedrock keeps the agent's cached prompt prefixes after their last use: `5m`,
   * or `1h` where the model accepts it (Anthropic Claude 4.5 and later).
   * @default - not written to the item; the runtime's default (`5m`) applies
   */
  readonly cacheTtl?: CacheTtl;
  /**
   * Built-in tools of the converse function the model may call, besides the memory tool.
   * @default - none
   */
  readonly tools?: BuiltInToolName[];
  /**
   * Bedrock inference settings of the agent.
   * @default - the model's own defaults
   */
  readonly inference?: AgentInferenceOptions;
  /**
   * A Bedrock guardrail every model call of the agent goes through (the item's `guardrail`).
   * The converse function's role is granted `bedrock:ApplyGuardrail` on exactly it.
   * @default - no guardrail
   */
  readonly guardrail?: AgentGuardrail;
  /**
   * How many tool uses a turn executes, which bounds the AgentCore calls a turn makes.
   * @default - not written to the item; the runtime's defaults apply (8 per reply, 12 per turn, 3 records, 4 at a time)
   */
  readonly toolLimits?: AgentToolLimits;
}

/** A Bedrock guardrail and the version an agent uses. */
export interface AgentGuardrail {
  /** The guardrail: a `CfnGuardrail` (or anything that references one), its ARN, or its id in this stack's account and region. */
  readonly guardrail: bedrock.IGuardrailRef | string;
  /** A published version (`'1'`, or a `CfnGuardrailVersion`'s `attrVersion`), or `'DRAFT'` for testing. */
  readonly version: string;
}

/** How many tool uses a turn of the agent executes (the item's `tool_limits`). */
export interface AgentToolLimits {
  /** Tool uses executed from one model reply, 1-32. @default 8 */
  readonly perReply?: number;
  /** Tool uses executed in one turn, 1-64, at least `perReply`. @default 12 */
  readonly perTurn?: number;
  /** Memory `record`s (AgentCore writes) in one turn, 0-10. @default 3 */
  readonly recordsPerTurn?: number;
  /**
   * Memories the memory tool's `forget` deletes in one turn, 0-10, when the user asks to
   * forget something the agent retrieved in the session; 0 turns `forget` off. @default 3
   */
  readonly forgetsPerTurn?: number;
  /** Tool uses of one reply running at the same time, 1-16. @default 4 */
  readonly concurrency?: number;
}

/** Bedrock Converse inference settings; each one left out keeps the model's default. */
export interface AgentInferenceOptions {
  /** @default - the model's default */
  readonly maxTokens?: number;
  /** @default - the model's default */
  readonly temperature?: number;
  /** @default - the model's default */
  readonly topP?: number;
}

/** Filters on long-term records' metadata (the item's `metadata_filters` and `tool_filter_keys`). */
export interface AgentMemoryFilters {
  /**
   * Filters every record the agent retrieves must match, in every namespace it searches
   * (RetrieveMemoryRecords' `searchCriteria.metadataFilters`), 1-5.
   * @default - none
   */
  readonly metadataFilters?: AgentMetadataFilter[];
  /**
   * Metadata keys the memory tool's `retrieve` may filter on, with filters the model writes;
   * they only narrow the agent's retrieval, 1-10 keys.
   * @default - none: the tool takes no filters
   */
  readonly toolFilterKeys?: string[];
}

/** One filter on records' metadata. */
export interface AgentMetadataFilter {
  /** The metadata key: 1-128 letters, digits, spaces and `._:/=+@-`. */
  readonly key: string;
  readonly operator: MetadataFilterOperator;
  /**
   * The value compared with, exactly one member; none for `EXISTS` and `NOT_EXISTS`.
   * @default - none
   */
  readonly value?: AgentMetadataFilterValue;
}

/** A metadata filter's value: set exactly one. */
export interface AgentMetadataFilterValue {
  /** 1-256 letters, digits, spaces and `._:/=+@-`. @default - not this type */
  readonly stringValue?: string;
  /** 1-5 strings of 1-64 characters. @default - not this type */
  readonly stringListValue?: string[];
  /** @default - not this type */
  readonly numberValue?: number;
  /** An ISO 8601 date and time, such as `2026-01-31T00:00:00Z`. @default - not this type */
  readonly dateTimeValue?: string;
}
