import type { BedrockAgentCoreClient, MemoryMetadataFilterExpression } from '@aws-sdk/client-bedrock-agentcore';
import type { Message } from '@aws-sdk/client-bedrock-runtime';
import type { EventMetadata, MetadataProvider } from './event-metadata.js';

/**
 * A conversation message, in the Bedrock Converse shape (`role` plus content blocks:
 * text, toolUse, toolResult, ...), so an agent loop on Converse can append what it sends
 * and receives without conversion.
 */
export type ConversationMessage = Message;

/** Retrieval settings of one namespace template. */
export interface NamespaceRetrievalConfig {
  /** Records to return, a whole number from 1 to 100 (what RetrieveMemoryRecords accepts). @default 10 */
  readonly topK?: number;
  /** Lowest relevance score kept, 0..1; filtered client-side. @default 0.2 */
  readonly relevanceScore?: number;
  /**
   * Resolves `{memoryStrategyId}` and filters retrieval to this strategy; 1-100 letters,
   * digits, `-` and `_`. @default - none
   */
  readonly strategyId?: string;
  /**
   * Filters on the records' metadata, all of which a record must match (RetrieveMemoryRecords'
   * `searchCriteria.metadataFilters`, 1-5). @default - none
   */
  readonly metadataFilters?: readonly MemoryMetadataFilterExpression[];
}

export interface AgentCoreMemorySessionManagerConfig {
  /** The AgentCore Memory id (`<name>-<10 letters or digits>`, at least 12 characters) or its ARN. */
  readonly memoryId: string;
  /** AgentCore sessionId: 1-100 characters, `[a-zA-Z0-9][a-zA-Z0-9-_]*`. */
  readonly sessionId: string;
  /** AgentCore actorId: 1-255 characters, AgentCore's actorId pattern. */
  readonly actorId: string;
  /** Namespace template to retrieval settings. @default - no long-term retrieval */
  readonly retrievalConfig?: Readonly<Record<string, NamespaceRetrievalConfig>>;
  /**
   * Long-term extraction of the events this manager writes: `SKIP` keeps them in short-term
   * memory only, so no strategy learns from them (an incognito conversation).
   * @default - every event is extracted as usual
   */
  readonly extractionMode?: 'SKIP';
  /**
   * Metadata fixed on every conversation event this manager writes (CreateEvent `metadata`):
   * no other metadata option may name its keys. The package's own components set their keys
   * here (the memory tool's `source`, the Strands plugin's `agentId`); `stateType` is refused.
   * @default - none
   */
  readonly eventMetadata?: EventMetadata;
  /**
   * Metadata of every conversation event unless the provider or the call sets the key
   * (Python's `default_metadata`). The package's keys (`stateType`, `agentId`, `source`)
   * are refused. All layers together carry at most 15 keys per event.
   * @default - none
   */
  readonly defaultMetadata?: EventMetadata;
  /**
   * Called for each message appended; what it returns is that message's event metadata,
   * over `defaultMetadata` and under the call's `metadata`. Messages whose metadata differ
   * go in different events. @default - none
   */
  readonly metadataProvider?: MetadataProvider;
  /** Messages buffered before one CreateEvent, 1-100. @default 1 (send each at once) */
  readonly batchSize?: number;
  /**
   * How messages are written. `'native'`: plain text turns as conversational items (what
   * long-term strategies extract from), everything else as lossless JSON blobs.
   * `'strands-python'`: as the Python AgentCore Memory session manager for Strands writes
   * them, so a Python agent can resume the session. Restore reads both, whichever is set.
   * @default 'native'
   */
  readonly messageFormat?: MessageFormat;
  /** @default - a client shared by the process, created on first use, region from the AWS environment */
  readonly client?: BedrockAgentCoreClient;
  /**
   * Receives warnings (a second agent registering, stored items restore could not read).
   * A Powertools `Logger` fits, and so does `console`.
   * @default - a Powertools Logger (service `agentcore-memory-session-manager`), created on first warning
   */
  readonly logger?: SessionManagerLogger;
}

/** How the session manager writes messages; see {@link AgentCoreMemorySessionManagerConfig.messageFormat}. */
export type MessageFormat = 'native' | 'strands-python';

/** Per-call options of the session manager's AgentCore calls. */
export interface CallOptions {
  /**
   * Cuts the call off (every attempt and retry) when it aborts; the call then rejects.
   * @default - the call runs as long as the client's own timeouts allow
   */
  readonly abortSignal?: AbortSignal;
}

/** Options of `appendMessage`. */
export interface AppendOptions extends CallOptions {
  /**
   * This message's event metadata, over the provider's and `defaultMetadata`; the
   * package's keys are refused. @default - none
   */
  readonly metadata?: EventMetadata;
}

/** The one logging method the session manager needs. */
export interface SessionManagerLogger {
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** A long-term memory record, tagged with the namespace it was retrieved under. */
export interface RetrievedMemoryRecord {
  /** The resolved namespace (or namespace path) of the search that found it. */
  readonly namespace: string;
  /**
   * The namespaces the record is filed under, as AgentCore reports them. Retrieval returns
   * a record only when every one lies under the actor's own namespaces; a record without
   * any is treated as another actor's.
   */
  readonly namespaces?: readonly string[];
  readonly memoryRecordId: string;
  readonly text: string;
  readonly score: number;
  readonly createdAt?: Date;
}

/** A namespace whose retrieval failed; the other namespaces' records are still returned. */
export interface NamespaceRetrievalFailure {
  readonly namespace: string;
  readonly error: Error;
}

/** A record the service returned that is not under the actor's own namespaces: never in `records`. */
export interface ForeignMemoryRecord {
  readonly memoryRecordId: string;
  readonly namespaces: readonly string[];
  /** The resolved namespace of the search that returned it. */
  readonly retrievedFrom: string;
}

export interface RetrievalResult {
  /** Records from every namespace that answered, best score first; only the actor's own. */
  readonly records: RetrievedMemoryRecord[];
  readonly failures: NamespaceRetrievalFailure[];
  /**
   * Records AgentCore returned whose namespaces are not all under the actor's own (a layout
   * in which one actor's namespace covers another's, or a record filed under several
   * actors): left out of `records`, listed here so the caller can log and count them.
   */
  readonly foreignRecords: readonly ForeignMemoryRecord[];
}
