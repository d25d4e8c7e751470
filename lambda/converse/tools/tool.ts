import type { ToolResultContentBlock, ToolResultStatus, ToolSpecification } from '@aws-sdk/client-bedrock-runtime';

/** What a tool answers; becomes the `toolResult` block the model reads. */
export interface ToolOutcome {
  readonly status: ToolResultStatus;
  readonly content: ToolResultContentBlock[];
}

/** A tool the agent loop can offer the model and run when the model calls it. */
export interface AgentTool {
  readonly spec: ToolSpecification;
  run(input: unknown): Promise<ToolOutcome>;
}

export function textOutcome(text: string, status: ToolResultStatus = 'success'): ToolOutcome {
  return { status, content: [{ text }] };
}
