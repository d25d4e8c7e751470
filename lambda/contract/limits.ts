/**
 * AgentCore Memory's own limits, from its API reference, checked before anything is sent
 * or synthesized so that a bad value fails with the field named instead of at the service.
 * Character limits count Unicode code points, as the service does (`codePointLength`).
 */

/** A namespace template of a strategy: at most 512 characters. */
export const NAMESPACE_TEMPLATE_MAX_LENGTH = 512;
/** A namespace once `{actorId}`, `{sessionId}` and `{memoryStrategyId}` are filled in: at most 1,024 characters. */
export const RESOLVED_NAMESPACE_MAX_LENGTH = 1024;
/** A memory description: 1-4,096 characters. */
export const MEMORY_DESCRIPTION_MAX_LENGTH = 4096;
/** Long-term record expiry, when set: at least 31 days. */
export const MIN_RECORD_EXPIRY_DAYS = 31;
/** Records one BatchDeleteMemoryRecords call accepts. */
export const BATCH_DELETE_MEMORY_RECORDS_MAX = 100;
/** A RetrieveMemoryRecords search query: at most 10,000 characters. */
export const SEARCH_QUERY_MAX_LENGTH = 10_000;
/** RetrieveMemoryRecords' `searchCriteria.topK`: 1-100. */
export const SEARCH_TOP_K_MAX = 100;
/** A CreateEvent conversational item's text: 1-100,000 characters. */
export const CONVERSATIONAL_TEXT_MAX_LENGTH = 100_000;
/** Payload items one CreateEvent call accepts. */
export const CREATE_EVENT_PAYLOAD_ITEMS_MAX = 100;
/** Metadata keys one event carries. */
export const EVENT_METADATA_KEYS_MAX = 15;
/** `maxResults` of one ListEvents, ListSessions or ListMemoryRecords page. */
export const LIST_PAGE_SIZE_MAX = 100;
/** Records one BatchCreateMemoryRecords or BatchUpdateMemoryRecords call accepts. */
export const BATCH_MEMORY_RECORDS_MAX = 100;
/** A strategy's `appendToPrompt` override: 1-30,000 characters. */
export const STRATEGY_PROMPT_MAX_LENGTH = 30_000;
/** Short-term event expiry in days: 7-365, and the package's default. */
export const EVENT_EXPIRY_DAYS = { min: 7, max: 365, default: 90 } as const;
/** A long-term memory record's text (BatchCreateMemoryRecords, BatchUpdateMemoryRecords): 1-16,000 characters. */
export const MEMORY_RECORD_TEXT_MAX_LENGTH = 16_000;
/** An event metadata key (CreateEvent `metadata`): 1-128 characters of {@link EVENT_METADATA_CHARACTERS}. */
export const EVENT_METADATA_KEY_MAX_LENGTH = 128;
/** An event metadata `stringValue`: 0-256 characters of {@link EVENT_METADATA_CHARACTERS}. */
export const EVENT_METADATA_VALUE_MAX_LENGTH = 256;
/**
 * The characters event metadata keys and string values may hold: ASCII letters, digits,
 * whitespace and `._:/=+@-` (the API's `[a-zA-Z0-9\s._:/=+@-]*`, `\s` as the service's
 * ASCII whitespace).
 */
export const EVENT_METADATA_CHARACTERS = /^[a-zA-Z0-9 \t\n\v\f\r._:/=+@-]*$/;

/*
 * A memory's record metadata and namespace keys (CreateMemory's `indexedKeys`,
 * `namespaceKeys`, and a strategy's `memoryRecordSchema.metadataSchema`). A record
 * metadata key has the form of an event metadata key: 1-EVENT_METADATA_KEY_MAX_LENGTH
 * characters of EVENT_METADATA_CHARACTERS.
 */
/** Value types a metadata key can hold. */
export const METADATA_VALUE_TYPES = ['STRING', 'STRINGLIST', 'NUMBER'] as const;
/** How a record's metadata value is filled in: by the extraction model, or copied from the event's metadata. */
export const METADATA_EXTRACTION_TYPES = ['LLM_INFERRED', 'STRICTLY_CONSISTENT'] as const;
/** Keys a memory indexes for metadata filters: 1-10 (they can be added later, never removed). */
export const INDEXED_KEYS_MAX = 10;
/** Entries of one strategy's record metadata schema: 1-20. */
export const METADATA_SCHEMA_ENTRIES_MAX = 20;
/** A schema entry's `definition` and `llmExtractionInstruction`: 1-1,000 characters each. */
export const METADATA_EXTRACTION_TEXT_MAX_LENGTH = 1000;
/** Allowed values of a STRING or STRINGLIST schema entry: 1-10. */
export const METADATA_ALLOWED_VALUES_MAX = 10;
/** One allowed value of a STRING entry: 1-256 characters of EVENT_METADATA_CHARACTERS. */
export const METADATA_STRING_VALUE_MAX_LENGTH = 256;
/** One allowed item of a STRINGLIST entry: 1-64 characters of EVENT_METADATA_CHARACTERS. */
export const METADATA_STRING_LIST_VALUE_MAX_LENGTH = 64;
/** `maxItems` of a STRINGLIST entry: 1-5. */
export const METADATA_STRING_LIST_MAX_ITEMS = 5;
/** Custom namespace variables a memory declares: 1-5. */
export const NAMESPACE_KEYS_MAX = 5;
/** A custom namespace variable's name: 1-32 characters, a lowercase letter then lowercase letters and digits. */
export const NAMESPACE_KEY_MAX_LENGTH = 32;
export const NAMESPACE_KEY_PATTERN = /^[a-z][a-z0-9]*$/;
/** A custom namespace variable's value (CreateEvent's `extractionConfig.namespaceVariables`): 1-64 characters. */
export const NAMESPACE_VARIABLE_VALUE_MAX_LENGTH = 64;
export const NAMESPACE_VARIABLE_VALUE_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
/** Allowed values of one namespace key: 1-10. */
export const NAMESPACE_KEY_ALLOWED_VALUES_MAX = 10;
/** A namespace key's `regexPattern`: 1-64 characters. */
export const NAMESPACE_KEY_REGEX_MAX_LENGTH = 64;
/** Metadata filters one RetrieveMemoryRecords call accepts (`searchCriteria.metadataFilters`): 1-5. */
export const RETRIEVE_METADATA_FILTERS_MAX = 5;
