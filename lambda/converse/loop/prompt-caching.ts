import type { ContentBlock, Message, SystemContentBlock, Tool } from '@aws-sdk/client-bedrock-runtime';
import type { CacheTtl } from '../../contract/agent-definition.js';
import { estimateTokens } from '../history/stored-turn.js';

/** Where a model accepts a Bedrock `cachePoint`, and how long it may keep a cached prefix. */
export interface PromptCachingSupport {
  readonly system: boolean;
  readonly tools: boolean;
  /** Cache points in the conversation, so each turn reads the earlier turns from the cache. */
  readonly messages: boolean;
  /** Whether a cache point may ask for a one-hour TTL. */
  readonly oneHourTtl: boolean;
  /** The longest prefix the model caches, in tokens; no cache point is placed beyond it. */
  readonly maxCachedTokens?: number;
}

/**
 * Prompt caching by model family, matched anywhere in the id so inference profiles
 * (`us.`, `global.`) and ARNs work:
 * - Anthropic Claude 3.5 Haiku, 3.7 Sonnet and every Claude 4 (Sonnet, Opus, Haiku 4.x):
 *   system prompt, tools and messages; a one-hour TTL from Claude 4.5 on.
 * - Amazon Nova Micro, Lite, Pro, Premier (and Nova 2): system prompt and messages, up to
 *   32,000 tokens; Nova does not cache tool definitions.
 * Any other model gets no `cachePoint`, which it might reject.
 */
const CLAUDE = /anthropic\.claude-(3-5-haiku|3-7-sonnet|(sonnet|opus|haiku)-4)/;
// A minor version (4-5, 4-6) is one or two digits; `4-2025...` is Claude 4 and its date.
const CLAUDE_ONE_HOUR_TTL = /anthropic\.claude-(sonnet|opus|haiku)-(4-([5-9]|[1-9]\d)|[5-9])(-|:|$)/;
const NOVA = /amazon\.nova-(2-)?(micro|lite|pro|premier)/;
const NOVA_MAX_CACHED_TOKENS = 32_000;

export function promptCachingSupport(modelId: string): PromptCachingSupport {
  const id = modelId.toLowerCase();
  if (CLAUDE.test(id)) return { system: true, tools: true, messages: true, oneHourTtl: CLAUDE_ONE_HOUR_TTL.test(id) };
  if (NOVA.test(id)) {
    return { system: true, tools: false, messages: true, oneHourTtl: false, maxCachedTokens: NOVA_MAX_CACHED_TOKENS };
  }
  return { system: false, tools: false, messages: false, oneHourTtl: false };
}

/** A cache point; five minutes is the service's default, so only a longer TTL is named. */
export function cachePointBlock(ttl: CacheTtl): { cachePoint: { type: 'default'; ttl?: '1h' } } {
  return ttl === '1h' ? { cachePoint: { type: 'default', ttl: '1h' } } : { cachePoint: { type: 'default' } };
}

export function systemBlocks(
  systemPrompt: string,
  caching: PromptCachingSupport,
  ttl: CacheTtl = '5m',
): SystemContentBlock[] {
  return caching.system ? [{ text: systemPrompt }, cachePointBlock(ttl)] : [{ text: systemPrompt }];
}

export function toolList(tools: Tool[], caching: PromptCachingSupport, ttl: CacheTtl = '5m'): Tool[] {
  return caching.tools && tools.length > 0 ? [...tools, cachePointBlock(ttl)] : tools;
}

/**
 * Cache points in the conversation: one after the stored history (the next turn reads
 * up to it) and one after the last message (the next model call of the same turn reads up
 * to it). With the system prompt's and the tool list's, a request has at most four, the
 * most Bedrock accepts.
 */
export interface ConversationCachePlan {
  /** How many content blocks of the conversation are stored history. */
  readonly historyBlocks: number;
  readonly ttl: CacheTtl;
  /** Estimated tokens of the system prompt and the tools, ahead of the conversation. */
  readonly tokensBeforeMessages: number;
  readonly maxCachedTokens?: number;
}

/** A copy of the messages with the plan's cache points; the messages themselves stay as they are. */
export function withConversationCachePoints(messages: readonly Message[], plan: ConversationCachePlan): Message[] {
  const totalBlocks = messages.reduce((sum, message) => sum + (message.content?.length ?? 0), 0);
  const after = new Set([plan.historyBlocks, totalBlocks].filter((position) => position > 0));
  let blocks = 0;
  let tokens = plan.tokensBeforeMessages;
  return messages.map((message) => {
    const content: ContentBlock[] = [];
    for (const block of message.content ?? []) {
      content.push(block);
      blocks++;
      tokens += estimateTokens(block);
      const withinModelLimit = plan.maxCachedTokens === undefined || tokens <= plan.maxCachedTokens;
      if (after.has(blocks) && withinModelLimit) content.push(cachePointBlock(plan.ttl));
    }
    return { role: message.role, content };
  });
}
