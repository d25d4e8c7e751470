import type { ToolLimits } from '../../contract/index.js';

/** One tool use of a model reply, and whether it would write memory. */
export interface RequestedToolUse {
  readonly writesMemory: boolean;
}

/** Whether one tool use runs, and if not, what the model is told. */
export type ToolUseAdmission = { readonly run: true } | { readonly run: false; readonly reason: string };

/**
 * The turn's tool-use budget (the agent's `tool_limits`). Each reply's tool uses are
 * admitted in the order the model asked for them: at most `per_reply` from one reply, at
 * most `per_turn` in the whole turn, at most `records_per_turn` memory writes. A refused use
 * still gets a tool result, with the reason, so the model can answer with what it has.
 */
export class ToolUseBudget {
  private executed = 0;
  private records = 0;
  private refused = 0;

  constructor(readonly limits: ToolLimits) {}

  /** Tool uses executed so far in this turn. */
  get executedCount(): number {
    return this.executed;
  }

  /** Tool uses refused so far in this turn. */
  get refusedCount(): number {
    return this.refused;
  }

  admit(toolUses: readonly RequestedToolUse[]): ToolUseAdmission[] {
    const { per_reply, per_turn, records_per_turn } = this.limits;
    let fromThisReply = 0;
    return toolUses.map((toolUse): ToolUseAdmission => {
      const reason =
        fromThisReply >= per_reply
          ? `Not run: at most ${per_reply} tool uses run from one reply, and this reply asked for ${toolUses.length}. Ask again for what you still need, or answer with what you have.`
          : this.executed >= per_turn
            ? `Not run: this turn has used all ${per_turn} of its tool uses. Answer with what you have.`
            : toolUse.writesMemory && this.records >= records_per_turn
              ? records_per_turn === 0
                ? 'Not saved: this agent saves nothing to long-term memory. Tell the user it was not remembered.'
                : `Not saved: at most ${records_per_turn} memories are saved per turn. Tell the user which ones were not remembered.`
              : undefined;
      if (reason !== undefined) {
        this.refused++;
        return { run: false, reason };
      }
      fromThisReply++;
      this.executed++;
      if (toolUse.writesMemory) this.records++;
      return { run: true };
    });
  }
}

/** Runs `work` on every item, at most `concurrency` at a time; results in the items' order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), items.length) }, worker));
  return results;
}
