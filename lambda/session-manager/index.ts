export { AgentCoreMemorySessionManager } from './session-manager';
export { withSessionManager } from './with-session-manager';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_RELEVANCE_SCORE,
  DEFAULT_TOP_K,
  MAX_BATCH_SIZE,
  MAX_TOP_K,
  MIN_TOP_K,
  SessionManagerConfigError,
} from './config';
export { CONVERSATIONAL_TEXT_MAX_LENGTH } from './payload-codec';
export { MAX_PAYLOAD_ITEMS_PER_EVENT } from './event-plan';
export type {
  AgentCoreMemorySessionManagerConfig,
  ConversationMessage,
  NamespaceRetrievalConfig,
  NamespaceRetrievalFailure,
  RetrievalResult,
  RetrievedMemoryRecord,
  SessionManagerLogger,
} from './types';
