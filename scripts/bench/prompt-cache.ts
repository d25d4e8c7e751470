/**
 * The input cost of a long conversation under Bedrock's prompt cache, relative to no
 * caching, simulated on the requests the converse function builds (its model-request
 * builder, its history window and its cache points), for three caching policies.
 *
 * The cache, as Bedrock documents it for Claude: a request's prompt is the tools, the
 * system prompt and the messages, as a sequence of blocks. At each cache point the longest
 * prefix already cached that ends at a block boundary no more than 20 blocks before it is
 * read (0.1x the input price), and the prefix up to the cache point is written (1.25x) for
 * the part not read, if it reaches the model's minimum. Everything after the last cache
 * point is plain input (1x). Turns follow each other within the 5-minute TTL.
 */
import { createHash } from 'node:crypto';
import type { Message } from '@aws-sdk/client-bedrock-runtime';
import type { AgentDefinition } from '../../lambda/contract/index.js';
import { estimateTokens, type StoredTurn } from '../../lambda/converse/history/stored-turn.js';
import { withConversationCachePoints } from '../../lambda/converse/loop/prompt-caching.js';
import { AGENT_CORE_MEMORY_TOOL_SPEC } from '../../lambda/converse/memory/tool.js';
import { buildModelRequest, type ModelRequest } from '../../lambda/converse/turn/request.js';

export const CONVERSATION = { turns: 40, systemPromptTokens: 1_500, tokensPerTurn: 300 } as const;

const PRICE = { read: 0.1, write: 1.25 } as const;
const LOOKBACK_BLOCKS = 20;

/** Claude's smallest cached prefix, by model. */
export const MIN_CACHED_TOKENS = {
  'Claude Sonnet 4.5': 1_024,
  'Claude Haiku 4.5': 4_096,
} as const;
export type SimulatedModel = keyof typeof MIN_CACHED_TOKENS;
const MODEL_IDS: Record<SimulatedModel, string> = {
  'Claude Sonnet 4.5': 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'Claude Haiku 4.5': 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
};

/**
 * - systemAndToolsOnly: cache points after the system prompt and the tools only, with a
 *   20-turn window that slides by one turn (this function's earlier policy);
 * - slidingWindowMovingCachePoint: the same window, plus a cache point at the end of the
 *   conversation (what popular agent SDKs do);
 * - ours: cache points after the stored history and at the end, with the cache-stable window.
 */
export const POLICIES = {
  systemAndToolsOnly: 'system and tools only',
  slidingWindowMovingCachePoint: 'sliding window, moving cache point',
  ours: 'ours: incremental, cache-stable window',
} as const;
export type Policy = keyof typeof POLICIES;

/** The window agent SDKs keep by default (40 messages), and the one this function kept before. */
const SLIDING_WINDOW_TURNS = 20;

/** Text of about `tokens` tokens by the function's own estimate, distinct per `label`. */
function textOf(label: string, tokens: number): string {
  const words = [];
  for (let index = 0; words.join(' ').length < tokens * 4 - label.length - 6; index++) words.push(`w${index % 97}`);
  return `${label}: ${words.join(' ')}`.slice(0, tokens * 4 - 2);
}

interface Block {
  readonly tokens: number;
  readonly json: string;
  readonly cachePointAfter: boolean;
}

/** The prompt as Bedrock reads it: tools, system, messages; cache points mark the block before them. */
function promptBlocks(request: ModelRequest, messages: Message[]): Block[] {
  const sequence: unknown[] = [
    ...(request.toolConfig?.tools ?? []),
    ...request.system,
    ...messages.flatMap((message) => (message.content ?? []).map((block) => ({ role: message.role, block }))),
  ];
  const blocks: Block[] = [];
  for (const item of sequence) {
    const isCachePoint = JSON.stringify(item).includes('"cachePoint"');
    if (isCachePoint) {
      const last = blocks.pop();
      if (last) blocks.push({ ...last, cachePointAfter: true });
    } else {
      blocks.push({ tokens: estimateTokens(item), json: JSON.stringify(item), cachePointAfter: false });
    }
  }
  return blocks;
}

class SimulatedPromptCache {
  private readonly prefixes = new Set<string>();

  constructor(private readonly minimumTokens: number) {}

  /** The cost of one request in input-token units, and its plain input tokens. */
  price(blocks: Block[]): { cost: number; tokens: number } {
    const hashes: string[] = [];
    const ends: number[] = [];
    const hash = createHash('sha256');
    let tokens = 0;
    for (const block of blocks) {
      hash.update(block.json);
      hashes.push(hash.copy().digest('hex'));
      tokens += block.tokens;
      ends.push(tokens);
    }
    let read = 0;
    let cachedUpTo = 0;
    blocks.forEach((block, index) => {
      if (!block.cachePointAfter || ends[index] < this.minimumTokens) return;
      for (let back = index; back >= Math.max(0, index - LOOKBACK_BLOCKS); back--) {
        if (this.prefixes.has(hashes[back])) {
          read = Math.max(read, ends[back]);
          break;
        }
      }
      this.prefixes.add(hashes[index]);
      cachedUpTo = ends[index];
    });
    const written = Math.max(0, cachedUpTo - read);
    return { cost: read * PRICE.read + written * PRICE.write + (tokens - read - written), tokens };
  }
}

export interface ConversationCost {
  readonly ratio: number;
  readonly inputTokens: number;
}

/** Plays the conversation turn by turn and prices every model call of it. */
export function simulateConversationCost(policy: Policy, model: SimulatedModel): ConversationCost {
  const agent: AgentDefinition = {
    agent_id: 'bench',
    base_prompt: textOf('system', CONVERSATION.systemPromptTokens - 200),
    foundation_model: MODEL_IDS[model],
  };
  const cache = new SimulatedPromptCache(MIN_CACHED_TOKENS[model]);
  const stored: StoredTurn[] = [];
  let cost = 0;
  let inputTokens = 0;
  for (let turn = 0; turn < CONVERSATION.turns; turn++) {
    const userMessage = textOf(`question ${turn}`, CONVERSATION.tokensPerTurn / 3);
    const answer = textOf(`answer ${turn}`, (CONVERSATION.tokensPerTurn * 2) / 3);
    const ours = policy === 'ours';
    const request = buildModelRequest({
      agent,
      memoryActive: true,
      history: ours
        ? stored
        : stored.slice(-SLIDING_WINDOW_TURNS).map((storedTurn) => ({ ...storedTurn, windowStart: undefined })),
      newSession: stored.length === 0,
      userMessage,
      prefetched:
        stored.length === 0
          ? {
              toolUseId: 'memory_prefetch_bench',
              query: userMessage,
              outcome: {
                status: 'loaded',
                value: [{ namespace: '/p/', memoryRecordId: 'r', text: 'Likes tea', score: 1 }],
              },
            }
          : undefined,
      toolSpecs: [AGENT_CORE_MEMORY_TOOL_SPEC],
    });
    const plan = request.conversationCache;
    const messages =
      policy === 'systemAndToolsOnly' || plan === undefined
        ? request.messages
        : withConversationCachePoints(request.messages, ours ? plan : { ...plan, historyBlocks: 0 });
    const priced = cache.price(promptBlocks(request, messages));
    cost += priced.cost;
    inputTokens += priced.tokens;
    // What the function stores: the turn's exchange after the user's message, and its window start.
    const exchange: Message[] = [
      ...request.messages.slice(request.turnStart),
      { role: 'assistant', content: [{ text: answer }] },
    ];
    stored.push({
      key: `turn#${String(turn).padStart(3, '0')}`,
      userMessage,
      exchange,
      windowStart: request.historyStart,
    });
  }
  return { ratio: cost / inputTokens, inputTokens };
}
