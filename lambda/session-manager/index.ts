/**
 * The session manager entry (`agentcore-memory-agents/session-manager`): one actor's session
 * in AgentCore Memory, short-term events and long-term retrieval, for any agent loop.
 */
export {
  /** Persists one session's conversation to AgentCore short-term memory and retrieves long-term memories. */
  AgentCoreMemorySessionManager,
} from './session-manager.js';
export {
  /** Runs work with a new session manager and flushes it afterwards, also when the work throws. */
  withSessionManager,
} from './with-session-manager.js';
export {
  /** Messages buffered before one CreateEvent when the config names no `batchSize`. */
  DEFAULT_BATCH_SIZE,
  /** How messages are written when the config names no `messageFormat`. */
  DEFAULT_MESSAGE_FORMAT,
  /** Lowest relevance score kept when a namespace names none. */
  DEFAULT_RELEVANCE_SCORE,
  /** Records retrieved per namespace when a namespace names no `topK`. */
  DEFAULT_TOP_K,
  /** Largest `batchSize` the config accepts. */
  MAX_BATCH_SIZE,
  /** Largest `topK` the config accepts. */
  MAX_TOP_K,
  /** Smallest `topK` the config accepts. */
  MIN_TOP_K,
  /** Thrown by the constructor for an invalid config; names every field to change. */
  SessionManagerConfigError,
} from './config.js';
export {
  /** Keys the package writes itself, refused in `defaultMetadata`, a provider's and per-call metadata. */
  RESERVED_METADATA_KEYS,
} from './event-metadata.js';
export type {
  /** CreateEvent metadata: `{ stringValue }` entries, at most 15 keys. */
  EventMetadata,
  /** Called per appended message; returns that message's event metadata. */
  MetadataProvider,
} from './event-metadata.js';
export {
  /** A message's event metadata breaks CreateEvent's limits or names a key the package writes. */
  EventMetadataError,
} from '../platform/errors.js';
export type {
  /** The Python session manager's agent state: the agent's `state` and its conversation manager's. */
  PythonAgentState,
} from './python-session-format.js';
export type {
  /** What the session manager is built from: memory, session, actor, retrieval, batching, client. */
  AgentCoreMemorySessionManagerConfig,
  /** Options of `appendMessage`: the abort signal and the message's event metadata. */
  AppendOptions,
  /** Per-call options of the session manager's AgentCore calls (abort signal). */
  CallOptions,
  /** A conversation message in the Bedrock Converse shape. */
  ConversationMessage,
  /** A record AgentCore returned that is not under the actor's own namespaces. */
  ForeignMemoryRecord,
  /** How messages are written: `native` or `strands-python`. */
  MessageFormat,
  /** Retrieval settings of one namespace template. */
  NamespaceRetrievalConfig,
  /** A namespace whose retrieval failed; the others' records are still returned. */
  NamespaceRetrievalFailure,
  /** What `retrieve` returns: the actor's records, the failed namespaces, the foreign records. */
  RetrievalResult,
  /** A long-term memory record with the namespace it was retrieved under. */
  RetrievedMemoryRecord,
  /** The one logging method the session manager needs. */
  SessionManagerLogger,
} from './types.js';
