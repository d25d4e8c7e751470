/**
 * What the inspector shows and changes about one user's memory, and what it needs to do so.
 * Every listing and change is scoped to that one user: the actor the converse function
 * maps the userId to, and the namespaces the memory's strategies resolve for that actor.
 */
import type { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import type { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Outcome } from '../platform/outcome.js';

/** A long-term strategy of the memory: its id, what kind it is, and where it files records. */
export interface InspectedStrategy {
  readonly strategyId: string;
  /** The strategy's type as the control plane names it (`SEMANTIC`, `USER_PREFERENCE`, ...); `undefined` when unknown. */
  readonly kind?: string;
  /** Namespace templates with `{actorId}` (and optionally `{sessionId}`, `{memoryStrategyId}`). */
  readonly namespaceTemplates: readonly string[];
}

/** The session-history table of the converse function, read to list the user's turns. */
export interface InspectedSessionTable {
  readonly dynamo: DynamoDBDocumentClient;
  readonly tableName: string;
}

export interface MemoryInspectorOptions {
  readonly memoryId: string;
  /** The userId as callers of the converse function name it; mapped to the actorId the same way. */
  readonly userId: string;
  /** Who is inspecting: written to the audit log with every change. */
  readonly operator: string;
  readonly agentCore: BedrockAgentCoreClient;
  /**
   * The memory's strategies.
   * @default - read with GetMemory through `control`
   */
  readonly strategies?: readonly InspectedStrategy[];
  /** Reads the strategies when `strategies` is left out; one of the two is required. */
  readonly control?: BedrockAgentCoreControlClient;
  /**
   * The session-history table.
   * @default - no session history is listed or exported
   */
  readonly sessionTable?: InspectedSessionTable;
  /**
   * Where every change (and every refused change) is recorded.
   * @default - changes are refused: an inspector that writes needs an audit log
   */
  readonly auditLog?: AuditLog;
  /**
   * `maxResults` of each list call, 1-100.
   * @default 100
   */
  readonly pageSize?: number;
  /** @default - the system clock */
  readonly now?: () => Date;
}

/** One long-term memory record of the user. */
export interface InspectedRecord {
  readonly memoryRecordId: string;
  readonly text: string;
  readonly strategyId?: string;
  /** The kind of the record's strategy, when the strategy is known. */
  readonly strategyKind?: string;
  /** The first namespace the record is filed under; the one it is changed and deleted in. */
  readonly namespace: string;
  readonly namespaces: readonly string[];
  /** ISO 8601. */
  readonly createdAt?: string;
}

/** A record a semantic search found, with the service's relevance score. */
export interface ScoredRecord extends InspectedRecord {
  readonly score: number;
}

/** One short-term session of the user in AgentCore. */
export interface InspectedSession {
  readonly sessionId: string;
  /** ISO 8601. */
  readonly createdAt?: string;
}

/** One payload item of an event: a conversational message, or a blob or JSON document as stored. */
export type InspectedPayload =
  { readonly role: string; readonly text: string } | { readonly blob: unknown } | { readonly json: unknown };

/** One short-term event of the user. */
export interface InspectedEvent {
  readonly eventId: string;
  readonly sessionId: string;
  /** ISO 8601. */
  readonly eventTimestamp?: string;
  readonly payload: readonly InspectedPayload[];
  readonly metadata?: Readonly<Record<string, string>>;
}

/** One turn of the user in the session-history table. */
export interface HistoryItem {
  readonly sessionId: string;
  /** The item's sort key, unique within the session. */
  readonly key: string;
  readonly agentId?: string;
  /** ISO 8601. */
  readonly createdAt?: string;
  readonly userMessage?: string;
  readonly assistantMessage?: string;
  /** Set when the turn's answer was cut off. */
  readonly incomplete?: boolean;
}

/** What a change did: the record as it was and as it is now (`undefined` for what does not exist). */
export interface RecordChange {
  readonly action: AuditAction;
  readonly memoryRecordId: string;
  readonly namespace: string;
  readonly before?: string;
  readonly after?: string;
}

/** Why a change was refused without any call that writes. */
export type ChangeRefusal =
  /** The record is filed under a namespace that is not the user's alone. */
  | 'notTheUsersRecord'
  /** The namespace to add to is not one of the user's own. */
  | 'notTheUsersNamespace'
  /** The inspector was opened without an audit log. */
  | 'noAuditLog';

export type ChangeOutcome = Outcome<RecordChange, ChangeRefusal>;

export type AuditAction = 'delete' | 'correct' | 'add';

/** One line of the audit log: one change, made or refused. */
export interface AuditEntry {
  /** ISO 8601. */
  readonly at: string;
  readonly operator: string;
  readonly action: AuditAction;
  readonly result: 'done' | 'refused';
  /** Why it was refused. */
  readonly reason?: ChangeRefusal;
  readonly memoryId: string;
  readonly userId: string;
  readonly actorId: string;
  /** The record changed; for a refused add, absent. */
  readonly memoryRecordId?: string;
  readonly namespace?: string;
  readonly before?: string;
  readonly after?: string;
}

/** Where changes are recorded. `append` resolves once the entry is stored. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
}

export interface TextSearchOptions {
  /** @default - every match */
  readonly limit?: number;
}

export interface SemanticSearchOptions {
  /**
   * Records wanted, 1-100.
   * @default 10
   */
  readonly topK?: number;
}

export interface AddRecordInput {
  /** One of the user's own namespaces (see {@link MemoryInspector.namespaces}). */
  readonly namespace: string;
  readonly text: string;
  /** @default - the strategy whose template resolves to `namespace`, when exactly one does */
  readonly strategyId?: string;
}

/**
 * One user's memory. Listings are async iterables fed page by page through the SDK's
 * paginators, so a caller holds at most one page at a time.
 */
export interface MemoryInspector {
  readonly memoryId: string;
  readonly userId: string;
  readonly actorId: string;
  readonly strategies: readonly InspectedStrategy[];
  /** The user's resolved namespace roots: every record of the user lies under one of them. */
  readonly namespaces: readonly string[];
  /** Every long-term record of the user, optionally of one strategy. */
  records(filter?: { readonly strategyId?: string }): AsyncIterable<InspectedRecord>;
  /** One record, loaded with GetMemoryRecord; refused when it is not the user's. */
  record(memoryRecordId: string): Promise<Outcome<InspectedRecord, 'notTheUsersRecord'>>;
  /** Records whose text contains `query`, ignoring case. */
  searchText(query: string, options?: TextSearchOptions): Promise<InspectedRecord[]>;
  /** RetrieveMemoryRecords over the user's namespaces, most relevant first. */
  searchSemantic(query: string, options?: SemanticSearchOptions): Promise<ScoredRecord[]>;
  /** The user's short-term sessions. */
  sessions(): AsyncIterable<InspectedSession>;
  /** The events of one of the user's sessions, as ListEvents returns them (newest first). */
  events(sessionId: string): AsyncIterable<InspectedEvent>;
  /** The user's turns in the session-history table; nothing without a session table. */
  history(): AsyncIterable<HistoryItem>;
  deleteRecord(memoryRecordId: string): Promise<ChangeOutcome>;
  /** At most 100 ids; one outcome per id, in order. */
  deleteRecords(memoryRecordIds: readonly string[]): Promise<ChangeOutcome[]>;
  correctRecord(memoryRecordId: string, text: string): Promise<ChangeOutcome>;
  addRecord(input: AddRecordInput): Promise<ChangeOutcome>;
}

/** Counts of what an export held, known once it is complete. */
export interface ExportCounts {
  readonly records: number;
  readonly sessions: number;
  readonly events: number;
  readonly historyItems: number;
}

/** The export's format identifier, first in the document. */
export const EXPORT_FORMAT = 'agentcore-memory-export/1';
