/**
 * The AgentCore Memory session manager: persists one session's conversation to AgentCore
 * short-term memory (batched, idempotent, nothing lost on a failed flush), reads it back,
 * and retrieves the actor's long-term memories.
 */
import { randomUUID } from 'node:crypto';
import {
  type BedrockAgentCoreClient,
  CreateEventCommand,
  type EventMetadataFilterExpression,
  ListEventsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { SEARCH_QUERY_MAX_LENGTH, isWellFormedUnicode, truncateToCodePoints } from '../contract/index.js';
import { defaultAgentCoreClient } from './client.js';
import { type SessionManagerSettings, validateSessionManagerConfig } from './config.js';
import { metadataForMessage } from './event-metadata.js';
import { type BufferedMessage, type EventOwner, type PlannedEvent, planEvents } from './event-plan.js';
import { defaultSessionManagerLogger } from './logger.js';
import { assertConversationMessage, encodeMessage, withoutBlankText } from './payload-codec.js';
import {
  type PythonAgentState,
  type PythonStateEvent,
  decodePythonAgentState,
  encodePythonSessionMessage,
  pythonAgentStateEvent,
  pythonAgentStateFilter,
  pythonSessionStateEvent,
  pythonSessionStateFilter,
} from './python-session-format.js';
import { listStoredMessages } from './restore.js';
import { retrieveFromNamespaces } from './retrieval.js';
import type {
  AgentCoreMemorySessionManagerConfig,
  AppendOptions,
  CallOptions,
  ConversationMessage,
  MessageFormat,
  RetrievalResult,
  SessionManagerLogger,
} from './types.js';

export class AgentCoreMemorySessionManager implements AsyncDisposable {
  readonly memoryId: string;
  readonly sessionId: string;
  readonly actorId: string;
  /** Messages buffered before they are sent in one CreateEvent. */
  readonly batchSize: number;
  readonly messageFormat: MessageFormat;

  private readonly settings: SessionManagerSettings;
  /** Appended, not yet planned into events. */
  private buffer: BufferedMessage[] = [];
  /** Planned with their timestamps and tokens fixed, not yet stored; sent before anything newer. */
  private unsentEvents: PlannedEvent[] = [];
  private lastMessageTimestampMs = 0;
  private lastEventTimestampMs = 0;
  /** Flushes run one after another, so events leave in the order they were planned. */
  private flushQueue: Promise<void> = Promise.resolve();
  private registeredAgentName: string | undefined;
  private lastStateEventTimestampMs = 0;

  /** @throws SessionManagerConfigError listing every invalid field */
  constructor(config: AgentCoreMemorySessionManagerConfig) {
    this.settings = validateSessionManagerConfig(config);
    this.memoryId = this.settings.memoryId;
    this.sessionId = this.settings.sessionId;
    this.actorId = this.settings.actorId;
    this.batchSize = this.settings.batchSize;
    this.messageFormat = this.settings.messageFormat;
  }

  /**
   * Persists a message: sent at once with `batchSize` 1, otherwise buffered and sent when
   * `batchSize` messages are waiting. Rejects if that send fails (or is aborted); the
   * message stays buffered and goes with the next flush. Blank text blocks are left out (Bedrock
   * Converse refuses them), and a message with no other content is not stored at all.
   * Its event's metadata is the call's `metadata` over the `metadataProvider`'s over
   * `defaultMetadata`, with `eventMetadata` on top.
   * A `metadataProvider` that throws or breaks those rules costs the message its provided
   * metadata only (a warning is logged), never the message.
   * @throws EventMetadataError (the message is not stored) when the call's `metadata`
   * breaks CreateEvent's limits or names a key the package writes itself
   */
  async appendMessage(message: ConversationMessage, options: AppendOptions = {}): Promise<void> {
    assertConversationMessage(message);
    const accepted = withoutBlankText(message);
    if (accepted === undefined) return;
    const metadata = metadataForMessage(this.settings.metadata, accepted, options.metadata, (reason) =>
      this.logger.warn('Stored a message without the metadata its provider failed to give', { reason }),
    );
    const timestampMs = Math.max(Date.now(), this.lastMessageTimestampMs + 1);
    const items =
      this.messageFormat === 'strands-python'
        ? [encodePythonSessionMessage(accepted, new Date(timestampMs))]
        : encodeMessage(accepted, randomUUID());
    this.lastMessageTimestampMs = timestampMs;
    this.buffer.push({ message: accepted, timestampMs, items, ...(metadata !== undefined && { metadata }) });
    if (this.buffer.length >= this.batchSize) await this.flush({ abortSignal: options.abortSignal });
  }

  /** Messages appended but not yet stored, including those of a failed flush. */
  pendingMessageCount(): number {
    return this.buffer.length + this.unsentEvents.reduce((count, event) => count + event.completedMessages, 0);
  }

  /**
   * Sends every pending message, in order, in as few CreateEvent calls as the 100-item
   * limit allows. On failure the unsent messages stay pending, in order, and the error is
   * rethrown; the next flush resends exactly what was not stored, under the same tokens.
   * An aborted flush rejects the same way (AgentCore may or may not have stored the event
   * in flight; resending it under its token is harmless).
   */
  flush(options: CallOptions = {}): Promise<void> {
    const run = this.flushQueue.then(() => this.sendPending(options));
    this.flushQueue = run.catch(() => undefined);
    return run;
  }

  /** Flushes. The manager stays usable; closing twice is harmless. */
  close(): Promise<void> {
    return this.flush();
  }

  /** `await using sessionManager = new AgentCoreMemorySessionManager(...)` flushes on scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * The stored conversation, oldest first, as it was appended (tool use and tool results
   * included). Messages still pending in this manager are not included: flush first.
   * With `eventMetadata`, only the events matching that ListEvents metadata filter.
   */
  listMessages(
    options: { readonly eventMetadata?: EventMetadataFilterExpression[] } = {},
  ): Promise<ConversationMessage[]> {
    return listStoredMessages(
      this.client,
      this.owner,
      ({ reason }) =>
        this.logger.warn('Skipped a stored payload item that is not a session message', {
          reason,
          memoryId: this.memoryId,
          sessionId: this.sessionId,
        }),
      options.eventMetadata,
    );
  }

  /** Same as {@link listMessages}. */
  restore(): Promise<ConversationMessage[]> {
    return this.listMessages();
  }

  /**
   * Searches every configured namespace in parallel. Records scoring below their
   * namespace's `relevanceScore` are left out; a namespace that fails is listed in
   * `failures` while the others' records are still returned. A query longer than
   * AgentCore's {@link SEARCH_QUERY_MAX_LENGTH} characters is cut there (never inside a
   * character); a query AgentCore would refuse as invalid Unicode (half of a character)
   * is rejected before anything is sent. An aborted retrieval lists every namespace as failed.
   * A template ending with `{actorId}` is searched as a subtree (`namespacePath`: every
   * session's records below the actor's level); any other as one namespace (`namespace`).
   * Only records whose namespaces all lie under the actor's own are returned; any other
   * record the service returns is listed in `foreignRecords` instead.
   */
  retrieve(query: string, options: CallOptions = {}): Promise<RetrievalResult> {
    if (typeof query !== 'string' || query.trim() === '') {
      return Promise.reject(new TypeError('query must be a non-empty string'));
    }
    if (!isWellFormedUnicode(query)) {
      return Promise.reject(
        new RangeError('query holds an unpaired UTF-16 surrogate (half of a character); cut strings by code point'),
      );
    }
    return retrieveFromNamespaces(
      this.client,
      this.memoryId,
      this.settings.namespaces,
      this.settings.actorRoots,
      truncateToCodePoints(query, SEARCH_QUERY_MAX_LENGTH),
      options,
    );
  }

  /**
   * Records the agent using this session. AgentCore sessions hold one conversation, so a
   * second, different agent is warned about (and not refused), as in the Python manager.
   */
  registerAgent(agentName: string): void {
    if (this.registeredAgentName === undefined) {
      this.registeredAgentName = agentName;
    } else if (this.registeredAgentName !== agentName) {
      this.logger.warn('Only one agent per session is supported; a second agent registered with this session manager', {
        registeredAgent: this.registeredAgentName,
        newAgent: agentName,
        sessionId: this.sessionId,
      });
    }
  }

  /**
   * With `messageFormat: 'strands-python'`, makes the session one a Python agent with this
   * `agent_id` resumes: the Python manager restores messages only after it finds the
   * session's state event and the agent's, so whichever is missing is created, as the
   * Python manager creates them for a new session. Idempotent.
   */
  async ensurePythonAgentState(agentId: string): Promise<void> {
    if (typeof agentId !== 'string' || agentId === '') throw new TypeError('agentId must be a non-empty string');
    if (!(await this.hasStateEvent(pythonSessionStateFilter()))) {
      await this.createStateEvent(pythonSessionStateEvent(this.sessionId, new Date()));
    }
    if (!(await this.hasStateEvent(pythonAgentStateFilter(agentId)))) {
      await this.createStateEvent(pythonAgentStateEvent(agentId, new Date()));
    }
  }

  /**
   * The newest state stored for the agent with this `agent_id` (its `SessionAgent` event,
   * as a Python agent reads it), or undefined when there is none.
   */
  async readAgentState(agentId: string): Promise<PythonAgentState | undefined> {
    const { events } = await this.client.send(
      new ListEventsCommand({
        ...this.owner,
        includePayloads: true,
        maxResults: 1,
        filter: { eventMetadata: pythonAgentStateFilter(agentId) },
      }),
    );
    return decodePythonAgentState(events?.[0]?.payload?.[0]?.blob);
  }

  /** Stores the agent's state as a new `SessionAgent` event, which a later read finds first. */
  async writeAgentState(agentId: string, agentState: PythonAgentState): Promise<void> {
    if (typeof agentId !== 'string' || agentId === '') throw new TypeError('agentId must be a non-empty string');
    await this.createStateEvent(pythonAgentStateEvent(agentId, new Date(), agentState));
  }

  private async hasStateEvent(eventMetadata: EventMetadataFilterExpression[]): Promise<boolean> {
    const { events } = await this.client.send(
      new ListEventsCommand({
        ...this.owner,
        includePayloads: false,
        maxResults: 1,
        filter: { eventMetadata },
      }),
    );
    return (events ?? []).length > 0;
  }

  private async createStateEvent(event: PythonStateEvent): Promise<void> {
    // Strictly later than the previous state event, so the newest one is found first.
    const timestampMs = Math.max(Date.now(), this.lastStateEventTimestampMs + 1);
    this.lastStateEventTimestampMs = timestampMs;
    await this.client.send(new CreateEventCommand({ ...this.owner, eventTimestamp: new Date(timestampMs), ...event }));
  }

  private async sendPending({ abortSignal }: CallOptions): Promise<void> {
    if (this.buffer.length > 0) {
      const planned = planEvents(this.owner, this.buffer, this.lastEventTimestampMs);
      this.lastEventTimestampMs = planned[planned.length - 1].eventTimestamp.getTime();
      this.unsentEvents.push(...planned);
      this.buffer = [];
    }
    while (this.unsentEvents.length > 0) {
      const event = this.unsentEvents[0];
      await this.client.send(
        new CreateEventCommand({
          memoryId: this.memoryId,
          actorId: this.actorId,
          sessionId: this.sessionId,
          eventTimestamp: event.eventTimestamp,
          payload: event.payload,
          clientToken: event.clientToken,
          extractionMode: this.settings.extractionMode,
          metadata: event.metadata,
        }),
        { abortSignal },
      );
      this.unsentEvents.shift();
    }
  }

  private get owner(): EventOwner {
    return { memoryId: this.memoryId, actorId: this.actorId, sessionId: this.sessionId };
  }

  private get client(): BedrockAgentCoreClient {
    return this.settings.client ?? defaultAgentCoreClient();
  }

  private get logger(): SessionManagerLogger {
    return this.settings.logger ?? defaultSessionManagerLogger();
  }
}
