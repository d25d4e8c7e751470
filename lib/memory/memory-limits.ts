import { EVENT_EXPIRY_DAYS } from '../../lambda/contract/index.js';

/** AgentCore's pattern for memory and strategy names. */
export const MEMORY_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;
/** Shortest short-term event expiry AgentCore accepts, in days. */
export const MIN_EVENT_EXPIRY_DAYS = EVENT_EXPIRY_DAYS.min;
/** Longest short-term event expiry AgentCore accepts, in days. */
export const MAX_EVENT_EXPIRY_DAYS = EVENT_EXPIRY_DAYS.max;
/** The event expiry of an `AgentMemory` that sets none, in days. */
export const DEFAULT_EVENT_EXPIRY_DAYS = EVENT_EXPIRY_DAYS.default;
