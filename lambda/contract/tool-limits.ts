import * as z from 'zod/mini';

/**
 * How many tool uses a turn executes. Every tool use the model asks for beyond these gets
 * a tool result (status error) saying why it was not run, so the model can answer with what
 * it has. With the defaults, and the agent loop's at most 8 model calls, a turn makes a small,
 * fixed number of AgentCore calls whatever the model asks (see {@link agentCoreCallBound}).
 */
export const DEFAULT_TOOL_LIMITS = {
  /** Tool uses executed from one model reply. */
  per_reply: 8,
  /** Tool uses executed in the whole turn (every reply together). */
  per_turn: 12,
  /** Memory `record`s (AgentCore writes) in the whole turn. */
  records_per_turn: 3,
  /**
   * Memory records a `forget` may delete in the whole turn, all in one AgentCore delete: only
   * records a `retrieve` of the session returned, and only when the user asked to forget them.
   */
  forgets_per_turn: 3,
  /** Tool uses of one reply that run at the same time. */
  concurrency: 4,
} as const;

/** The agent's limits, each field it leaves out (or the whole `tool_limits`) at its default. */
export function toolLimitsOf(agent: { readonly tool_limits?: ToolLimits }): ToolLimits {
  return agent.tool_limits ?? DEFAULT_TOOL_LIMITS;
}

/** The highest values an agent item may set: beyond them a turn is no longer small. */
export const TOOL_LIMIT_MAXIMUMS = {
  per_reply: 32,
  per_turn: 64,
  records_per_turn: 10,
  forgets_per_turn: 10,
  concurrency: 16,
} as const;

const limit = (max: number, fallback: number) => z._default(z.int().check(z.minimum(1), z.maximum(max)), fallback);

/** `tool_limits` of an agent item; each field left out keeps its default. */
export const toolLimitsSchema = z
  .object({
    per_reply: limit(TOOL_LIMIT_MAXIMUMS.per_reply, DEFAULT_TOOL_LIMITS.per_reply),
    per_turn: limit(TOOL_LIMIT_MAXIMUMS.per_turn, DEFAULT_TOOL_LIMITS.per_turn),
    records_per_turn: z._default(
      z.int().check(z.minimum(0), z.maximum(TOOL_LIMIT_MAXIMUMS.records_per_turn)),
      DEFAULT_TOOL_LIMITS.records_per_turn,
    ),
    forgets_per_turn: z._default(
      z.int().check(z.minimum(0), z.maximum(TOOL_LIMIT_MAXIMUMS.forgets_per_turn)),
      DEFAULT_TOOL_LIMITS.forgets_per_turn,
    ),
    concurrency: limit(TOOL_LIMIT_MAXIMUMS.concurrency, DEFAULT_TOOL_LIMITS.concurrency),
  })
  .check(
    z.refine((limits) => limits.per_reply <= limits.per_turn, {
      message: 'per_reply must not be greater than per_turn',
      path: ['per_reply'],
    }),
  );
export type ToolLimits = z.infer<typeof toolLimitsSchema>;

/**
 * The most AgentCore calls one turn can make, whatever the model asks:
 * - each executed `retrieve` searches every retrieval namespace (one RetrieveMemoryRecords each),
 *   and a turn executes at most `per_turn` tool uses;
 * - a new session's first turn runs one retrieval of its own before the first model call;
 * - each `record` is one CreateEvent, at most `records_per_turn`;
 * - `forget` reads each record it deletes first (one GetMemoryRecord each, at most
 *   `forgets_per_turn` in the turn) and deletes them in one BatchDeleteMemoryRecords, once a
 *   turn; that call is the tool use's own, so only the reads come on top;
 * - the finished turn is written in one CreateEvent.
 * A `record` costs one call where a `retrieve` costs `namespaces`, so the worst case is all retrieves.
 */
export function agentCoreCallBound(
  limits: ToolLimits,
  namespaces: number,
): { readonly total: number; readonly writes: number } {
  const perToolUse = Math.max(namespaces, 1);
  const forgetWrites = limits.forgets_per_turn > 0 ? 1 : 0;
  return {
    total: limits.per_turn * perToolUse + namespaces + 1 + limits.forgets_per_turn,
    writes: limits.records_per_turn + 1 + forgetWrites,
  };
}
