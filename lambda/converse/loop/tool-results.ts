import type { ContentBlock } from '@aws-sdk/client-bedrock-runtime';
import type { ToolOutcome } from '../tools/tool.js';

/**
 * Bedrock accepts `toolResult.status` only from Anthropic Claude and Amazon Nova models
 * (matched anywhere in the id, so inference profiles and ARNs work); any other model
 * rejects a request that carries it. Their tool results say what went wrong in the text.
 */
const STATUS_SUPPORTED = /anthropic\.claude|amazon\.nova/;

export function toolResultStatusSupported(modelId: string): boolean {
  return STATUS_SUPPORTED.test(modelId.toLowerCase());
}

/** The `toolResult` block answering one tool use, with `status` where the model accepts it. */
export function toolResultBlock(
  toolUseId: string | undefined,
  outcome: ToolOutcome,
  withStatus: boolean,
): ContentBlock {
  return {
    toolResult: { toolUseId, content: outcome.content, ...(withStatus && { status: outcome.status }) },
  };
}
