import type { SystemContentBlock, Tool } from '@aws-sdk/client-bedrock-runtime';

/** Where a model accepts a Bedrock `cachePoint`. */
export interface PromptCachingSupport {
  readonly system: boolean;
  readonly tools: boolean;
}

/**
 * Prompt caching by model family, matched anywhere in the id so inference profiles
 * (`us.`, `global.`) and ARNs work:
 * - Anthropic Claude 3.5 Haiku, 3.7 Sonnet and every Claude 4 (Sonnet, Opus, Haiku 4.x):
 *   system prompt and tools.
 * - Amazon Nova Micro, Lite, Pro, Premier (and Nova 2): system prompt only; Nova does not
 *   cache tool definitions.
 * Any other model gets no `cachePoint`, which it might reject.
 */
const SYSTEM_AND_TOOLS = /anthropic\.claude-(3-5-haiku|3-7-sonnet|(sonnet|opus|haiku)-4)/;
const SYSTEM_ONLY = /amazon\.nova-(2-)?(micro|lite|pro|premier)/;

export function promptCachingSupport(modelId: string): PromptCachingSupport {
  const id = modelId.toLowerCase();
  if (SYSTEM_AND_TOOLS.test(id)) return { system: true, tools: true };
  if (SYSTEM_ONLY.test(id)) return { system: true, tools: false };
  return { system: false, tools: false };
}

const CACHE_POINT = { cachePoint: { type: 'default' } } as const;

export function systemBlocks(systemPrompt: string, caching: PromptCachingSupport): SystemContentBlock[] {
  return caching.system ? [{ text: systemPrompt }, CACHE_POINT] : [{ text: systemPrompt }];
}

export function toolList(tools: Tool[], caching: PromptCachingSupport): Tool[] {
  return caching.tools && tools.length > 0 ? [...tools, CACHE_POINT] : tools;
}
