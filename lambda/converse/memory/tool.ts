import type { Logger } from '@aws-lambda-powertools/logger';
import type { ToolSpecification } from '@aws-sdk/client-bedrock-runtime';
import * as z from 'zod/mini';
import {
  CONVERSATIONAL_TEXT_MAX_LENGTH,
  DEFAULT_TOOL_LIMITS,
  SEARCH_QUERY_MAX_LENGTH,
  codePointLength,
  truncateToCodePoints,
} from '../../contract/index.js';
import type {
  AgentCoreMemorySessionManagerConfig,
  CallOptions,
  ForeignMemoryRecord,
  NamespaceRetrievalConfig,
  RetrievedMemoryRecord,
} from '../../session-manager/types.js';
import { DeadlineExceededError, type TurnDeadlines } from '../../platform/deadlines.js';
import { logError } from '../../platform/logging.js';
import { loaded, refused, type Outcome } from '../../platform/outcome.js';
import { MetricName, countMetric, latencyMetric } from '../observability.js';
import { agentCoreClient } from '../clients.js';
import type { StoredTurn } from '../history/stored-turn.js';
import { textOutcome, type AgentTool, type ToolOutcome } from '../tools/tool.js';
import type { MemorySettings } from './activation.js';
import { actorsOwnRecords } from './record-ownership.js';
import { framedMemories } from './framing.js';
import { ForgetAction, forgetInputSchema } from './forget-action.js';
import { SessionRetrievals } from './session-retrievals.js';
import { EVENT_SOURCES, turnEventMetadata } from './event-metadata.js';
import {
  filtersInputSchema,
  modelFiltersRefusal,
  modelFiltersSchema,
  narrowedRetrievalConfig,
} from './metadata-filters.js';

export const AGENT_CORE_MEMORY_TOOL_NAME = 'agent_core_memory';

export const MEMORY_UNAVAILABLE_TEXT =
  'Memory is unavailable right now, so no past preferences or context could be retrieved. Answer without them.';
export const NO_MEMORIES_TEXT = 'No stored memories are relevant to this query.';
export const RECORD_SAVED_TEXT = 'Saved to long-term memory.';
export const RECORD_INCOGNITO_TEXT =
  'This conversation is incognito: nothing from it is saved to long-term memory. Tell the user it was not remembered.';
export const RECORD_FAILED_TEXT =
  'Memory is unavailable right now; this could not be saved. Tell the user it was not remembered.';
/**
 * The source metadata of every event `record` writes, so extraction and anyone inspecting the
 * memory can tell a memory the model saved from the user's typed words (the turn's own event
 * has `source` `user` or `user_and_model`); the event also names the agent and memory mode.
 */
export const RECORD_EVENT_METADATA = { source: { stringValue: EVENT_SOURCES.memoryTool } } as const;

export const RECORD_UNCONFIRMED_TEXT =
  'Memory did not confirm the save in time; it may not have been saved. Tell the user it may not be remembered.';

/**
 * The tool's specification. Agent-level only (no user, session or memory ids), so the
 * tool list is byte-identical for every user of an agent.
 */
export const AGENT_CORE_MEMORY_TOOL_SPEC = {
  name: AGENT_CORE_MEMORY_TOOL_NAME,
  description:
    'Long-term memory about the current user across conversations. action="retrieve" searches stored preferences and past context with a query; action="record" saves content the user explicitly asked to be remembered; action="forget" deletes memories the user explicitly asked to be forgotten, by the ids a retrieve returned in this conversation.',
  inputSchema: {
    json: {
      type: 'object',
      properties: {
        action: {
          type: 'string',
          enum: ['retrieve', 'record', 'forget'],
          description: 'retrieve: search memories; record: save content; forget: delete retrieved memories.',
        },
        query: { type: 'string', description: 'For retrieve: what to look for, in natural language.' },
        content: { type: 'string', description: "For record: the information to remember, in the user's words." },
        record_ids: {
          type: 'array',
          items: { type: 'string' },
          description: 'For forget: the ids of the retrieved memories the user asked to forget.',
        },
      },
      required: ['action'],
    },
  },
};

/**
 * The tool's specification for an agent that lets the model filter on `filterKeys`: the
 * shared one, with a `filters` input listing those keys (still the same for every user).
 */
export function memoryToolSpec(filterKeys: readonly string[]): ToolSpecification {
  if (filterKeys.length === 0) return AGENT_CORE_MEMORY_TOOL_SPEC;
  const { json } = AGENT_CORE_MEMORY_TOOL_SPEC.inputSchema;
  return {
    ...AGENT_CORE_MEMORY_TOOL_SPEC,
    inputSchema: {
      json: { ...json, properties: { ...json.properties, filters: filtersInputSchema(filterKeys) } },
    },
  };
}

export const memoryToolInputSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('retrieve'),
    query: z.string().check(z.trim(), z.minLength(1)),
    filters: modelFiltersSchema,
  }),
  z.object({
    action: z.literal('record'),
    content: z.string().check(
      z.trim(),
      z.minLength(1),
      z.refine((content) => codePointLength(content) <= CONVERSATIONAL_TEXT_MAX_LENGTH),
    ),
  }),
  forgetInputSchema,
]);
export type MemoryToolInput = z.infer<typeof memoryToolInputSchema>;

/** The session manager operations the tool and the turn persistence use. */
export interface MemorySessionManager {
  appendMessage(
    message: { role: 'user' | 'assistant'; content: { text: string }[] },
    options?: CallOptions,
  ): Promise<unknown>;
  flush(options?: CallOptions): Promise<unknown>;
  retrieve(
    query: string,
    options?: CallOptions,
  ): Promise<{
    records: RetrievedMemoryRecord[];
    failures: { namespace: string; error: Error }[];
    foreignRecords?: readonly ForeignMemoryRecord[];
  }>;
}

export type SessionManagerFactory = (config: AgentCoreMemorySessionManagerConfig) => MemorySessionManager;

/** Whose memory a turn works on. */
export interface MemoryScope {
  readonly settings: MemorySettings;
  readonly sessionId: string;
  readonly actorId: string;
  /** Nothing of this turn is learned: `record` is refused, and the turn's event skips extraction. */
  readonly incognito: boolean;
}

/** The actor's memories a retrieval found (`loaded`, possibly none), or `refused`: memory is unavailable. */
export type RetrievalOutcome = Outcome<RetrievedMemoryRecord[], 'unavailable'>;

/**
 * The `agent_core_memory` tool for one turn: `retrieve` searches the actor's namespaces
 * through the session manager (which resolves the templates, applies `topK` and filters
 * on the score), `record` stores the content as a USER-role event. Each call is cut off at
 * its limit and at the turn's answer deadline.
 */
export class AgentCoreMemoryTool implements AgentTool {
  readonly spec: ToolSpecification;
  private readonly retrievals = new SessionRetrievals(AGENT_CORE_MEMORY_TOOL_NAME);
  private readonly forgetting: ForgetAction;

  constructor(
    private readonly scope: MemoryScope,
    private readonly createSessionManager: SessionManagerFactory,
    private readonly logger: Logger,
    private readonly deadlines: TurnDeadlines,
    forgetsPerTurn: number = DEFAULT_TOOL_LIMITS.forgets_per_turn,
  ) {
    this.spec = memoryToolSpec(scope.settings.toolFilterKeys);
    this.forgetting = new ForgetAction(
      {
        memoryId: scope.settings.memoryId,
        actorId: scope.actorId,
        retrievalTemplates: Object.keys(scope.settings.retrievalConfig),
        forgetsPerTurn,
      },
      this.retrievals,
      agentCoreClient,
      deadlines,
      logger,
    );
  }

  /** The session's stored turns: the records their retrieves returned may be forgotten in this turn. */
  rememberRetrievedIn(turns: readonly StoredTurn[]): void {
    this.retrievals.addStoredTurns(turns);
  }

  /** A `record` writes long-term memory: it counts against the turn's `records_per_turn`. */
  writesMemory(input: unknown): boolean {
    return (input as { action?: unknown } | null)?.action === 'record';
  }

  async run(input: unknown): Promise<ToolOutcome> {
    const parsed = memoryToolInputSchema.safeParse(input);
    if (!parsed.success) {
      return textOutcome(
        'Invalid input: use {"action":"retrieve","query":"..."}, {"action":"record","content":"..."} with non-empty text, or {"action":"forget","record_ids":["..."]}.',
        'error',
      );
    }
    if (parsed.data.action === 'retrieve') {
      const { query, filters = [] } = parsed.data;
      const { retrievalConfig, toolFilterKeys } = this.scope.settings;
      const refusal = modelFiltersRefusal(retrievalConfig, toolFilterKeys, filters);
      if (refusal !== undefined) return textOutcome(refusal, 'error');
      return retrievalToolOutcome(await this.retrieve(query, narrowedRetrievalConfig(retrievalConfig, filters)));
    }
    if (parsed.data.action === 'forget') return this.forgetting.run(parsed.data.record_ids);
    return this.record(parsed.data.content);
  }

  /**
   * Never throws: throttling, failures and timeouts make memory unavailable, logged and
   * counted. A partial failure keeps the namespaces that answered.
   */
  async retrieve(
    query: string,
    retrievalConfig: Readonly<Record<string, NamespaceRetrievalConfig>> = this.scope.settings.retrievalConfig,
  ): Promise<RetrievalOutcome> {
    const startedAt = Date.now();
    try {
      const manager = this.createSessionManager({
        memoryId: this.scope.settings.memoryId,
        sessionId: this.scope.sessionId,
        actorId: this.scope.actorId,
        retrievalConfig,
      });
      const result = await this.deadlines.whileAnswering(
        'memory retrieve',
        this.deadlines.limits.memoryRetrieveMs,
        (abortSignal) => manager.retrieve(truncateToCodePoints(query, SEARCH_QUERY_MAX_LENGTH), { abortSignal }),
      );
      latencyMetric(MetricName.memoryRetrieveLatency, Date.now() - startedAt);
      for (const failure of result.failures) {
        logError(this.logger, 'memory retrieve failed for a namespace', failure.error, {
          namespace: failure.namespace,
        });
      }
      if (result.failures.length > 0) countMetric(MetricName.memoryErrors, result.failures.length);
      const namespaces = Object.keys(this.scope.settings.retrievalConfig).length;
      if (namespaces > 0 && result.failures.length >= namespaces) return refused('unavailable');
      this.logger.info('memory retrieved', { records: result.records.length, failures: result.failures.length });
      const records = actorsOwnRecords(result, this.scope, this.logger);
      this.retrievals.add(records.map((record) => record.memoryRecordId));
      return loaded(records);
    } catch (error) {
      logError(this.logger, 'memory retrieve failed', error, { durationMs: Date.now() - startedAt });
      countMetric(MetricName.memoryErrors);
      return refused('unavailable');
    }
  }

  private async record(content: string): Promise<ToolOutcome> {
    if (this.scope.incognito) {
      this.logger.info('memory record refused in an incognito turn');
      return textOutcome(RECORD_INCOGNITO_TEXT, 'error');
    }
    try {
      const manager = this.createSessionManager({
        memoryId: this.scope.settings.memoryId,
        sessionId: this.scope.sessionId,
        actorId: this.scope.actorId,
        batchSize: 1,
        eventMetadata: { ...turnEventMetadata(this.scope, EVENT_SOURCES.memoryTool), ...RECORD_EVENT_METADATA },
      });
      // USER role: the user asked for this to be remembered, and AgentCore's extraction
      // classifies user preferences by the role (an ASSISTANT-role record under-extracts).
      await this.deadlines.whileAnswering('memory record', this.deadlines.limits.memoryWriteMs, (abortSignal) =>
        manager.appendMessage({ role: 'user', content: [{ text: content }] }, { abortSignal }),
      );
      this.logger.info('memory recorded', { characters: content.length });
      return textOutcome(RECORD_SAVED_TEXT);
    } catch (error) {
      logError(this.logger, 'memory record failed', error);
      countMetric(MetricName.memoryErrors);
      // Cut off in flight, the write may or may not have landed: never claim it was saved.
      const text = error instanceof DeadlineExceededError ? RECORD_UNCONFIRMED_TEXT : RECORD_FAILED_TEXT;
      return textOutcome(text, 'error');
    }
  }
}

/**
 * The tool result the model reads for a retrieval; memories reach the model only here, as a
 * JSON document (see `framedMemories`) their content cannot break out of.
 */
export function retrievalToolOutcome(outcome: RetrievalOutcome): ToolOutcome {
  if (outcome.status !== 'loaded') return textOutcome(MEMORY_UNAVAILABLE_TEXT, 'error');
  if (outcome.value.length === 0) return textOutcome(NO_MEMORIES_TEXT);
  return {
    status: 'success',
    content: [{ json: framedMemories(outcome.value) as unknown as Record<string, never> }],
  };
}
