export { AgentCoreMemorySessionManager } from './session-manager.js';
export { withSessionManager } from './with-session-manager.js';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MESSAGE_FORMAT,
  DEFAULT_RELEVANCE_SCORE,
  DEFAULT_TOP_K,
  MAX_BATCH_SIZE,
  MAX_TOP_K,
  MIN_TOP_K,
  SessionManagerConfigError,
} from './config.js';
export { MAX_PAYLOAD_ITEMS_PER_EVENT } from './event-plan.js';
export type { PythonAgentState } from './python-session-format.js';
export type {
  AgentCoreMemorySessionManagerConfig,
  CallOptions,
  ConversationMessage,
  ForeignMemoryRecord,
  MessageFormat,
  NamespaceRetrievalConfig,
  NamespaceRetrievalFailure,
  RetrievalResult,
  RetrievedMemoryRecord,
  SessionManagerLogger,
} from './types.js';
