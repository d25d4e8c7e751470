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
