import type { ContentBlock, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { neutraliseRuntimeMarkers, neutraliseRuntimeMarkersInJson } from '../memory/framing.js';
import type { ToolOutcome } from '../tools/tool.js';

/**
 * Bedrock accepts `toolResult.status` only from Anthropic Claude and Amazon Nova models
 * (matched anywhere in the id, so inference profiles and ARNs work); any other model
 * rejects a request that carries it. Their tool results say what went wrong in the text.
 * The same models read JSON tool-result blocks; the others get the JSON as text.
 */
const STATUS_SUPPORTED = /anthropic\.claude|amazon\.nova/;

export function toolResultStatusSupported(modelId: string): boolean {
  return STATUS_SUPPORTED.test(modelId.toLowerCase());
}

/**
 * Tool-result content as the model may read it: text and every string of JSON with
 * imitations of the runtime's marker neutralised (a tool's answer is untrusted), JSON kept
 * as a JSON block where the model reads them, else serialized (still one escaped JSON text).
 */
export function toolResultContentFor(
  content: readonly ToolResultContentBlock[] | undefined,
  structured: boolean,
): ToolResultContentBlock[] {
  return (content ?? []).map((block): ToolResultContentBlock => {
    if (block.text !== undefined) return { text: neutraliseRuntimeMarkers(block.text) };
    if (block.json === undefined) return block;
    const json = neutraliseRuntimeMarkersInJson(block.json) as NonNullable<ToolResultContentBlock['json']>;
    return structured ? { json } : { text: JSON.stringify(json) };
  });
}

/** The `toolResult` block answering one tool use, with `status` where the model accepts it. */
export function toolResultBlock(
  toolUseId: string | undefined,
  outcome: ToolOutcome,
  withStatus: boolean,
): ContentBlock {
  return {
    toolResult: {
      toolUseId,
      content: toolResultContentFor(outcome.content, withStatus),
      ...(withStatus && { status: outcome.status }),
    },
  };
}
