import type { ToolResultContentBlock, ToolResultStatus, ToolSpecification } from '@aws-sdk/client-bedrock-runtime';

/** What a tool answers; becomes the `toolResult` block the model reads. */
export interface ToolOutcome {
  readonly status: ToolResultStatus;
  readonly content: ToolResultContentBlock[];
}

/** What a running tool is told about its time. */
export interface ToolRunContext {
  /** Fires when the tool's time is up (its own limit, or the turn's answer deadline); stop work then. */
  readonly abortSignal: AbortSignal;
  /** Epoch milliseconds by which the tool must have answered. */
  readonly deadline: number;
}

/** A tool the agent loop can offer the model and run when the model calls it. */
export interface AgentTool {
  readonly spec: ToolSpecification;
  /** `input` is what the model sent: untrusted, validated by the tool. */
  run(input: unknown, context: ToolRunContext): Promise<ToolOutcome>;
  /** Whether this use writes long-term memory (counted against the turn's `records_per_turn`). */
  writesMemory?(input: unknown): boolean;
}

export function textOutcome(text: string, status: ToolResultStatus = 'success'): ToolOutcome {
  return { status, content: [{ text }] };
}
