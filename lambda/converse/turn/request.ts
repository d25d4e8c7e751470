import type {
  GuardrailStreamConfiguration,
  InferenceConfiguration,
  Message,
  SystemContentBlock,
  ToolConfiguration,
  ToolSpecification,
} from '@aws-sdk/client-bedrock-runtime';
import {
  toolLimitsOf,
  type AgentDefinition,
  type CacheTtl,
  type InferenceSettings,
  type ToolLimits,
} from '../../contract/index.js';
import { conversationMessages } from '../history/conversation.js';
import { estimateTokens, type StoredTurn } from '../history/stored-turn.js';
import { historyWindow } from '../history/window.js';
import { guardrailStreamConfig } from '../loop/guardrail.js';
import { appendContent } from '../loop/messages.js';
import { promptCachingSupport, systemBlocks, toolList, type ConversationCachePlan } from '../loop/prompt-caching.js';
import { toolResultStatusSupported } from '../loop/tool-results.js';
import { appendPrefetchedRetrieval, type PrefetchedRetrieval } from '../memory/first-turn-retrieval.js';
import { buildSystemPrompt, userContentForModel } from '../memory/prompts.js';

/** Everything the first model call of a turn is built from; all of it already loaded. */
export interface ModelRequestInput {
  readonly agent: AgentDefinition;
  readonly memoryActive: boolean;
  /** The session's stored turns, oldest first. */
  readonly history: readonly StoredTurn[];
  readonly newSession: boolean;
  /** The user's message as typed. */
  readonly userMessage: string;
  readonly prefetched: PrefetchedRetrieval | undefined;
  /** The tools offered to the model, in order. */
  readonly toolSpecs: readonly ToolSpecification[];
}

/** The Converse request of a turn's first model call; the agent loop appends to `messages`. */
export interface ModelRequest {
  readonly modelId: string;
  readonly system: SystemContentBlock[];
  readonly toolConfig: ToolConfiguration | undefined;
  readonly inferenceConfig: InferenceConfiguration | undefined;
  /** The agent's Bedrock guardrail; absent when it has none. */
  readonly guardrailConfig: GuardrailStreamConfiguration | undefined;
  /** How many tool uses the turn executes. */
  readonly toolLimits: ToolLimits;
  /** The history window, the user's message, and (on a first turn) the prefetched retrieval. */
  readonly messages: Message[];
  /** Where this turn's own exchange begins in `messages`: what follows is stored with the turn. */
  readonly turnStart: number;
  /** The key of the history window's first turn (stored, so the next turn keeps the window). */
  readonly historyStart: string | undefined;
  /** Cache points of the conversation; absent for a model that caches no messages. */
  readonly conversationCache: ConversationCachePlan | undefined;
  /** Whether tool results may carry `status` (see `toolResultStatusSupported`). */
  readonly toolResultStatus: boolean;
}

/**
 * Builds the model request from the loaded turn, with no I/O: the system prompt, the
 * tool list, the history window and the user's message (with the new-session nudge where
 * it applies), the prefetched retrieval as a tool exchange, and the cache points.
 */
export function buildModelRequest(input: ModelRequestInput): ModelRequest {
  const { agent, memoryActive } = input;
  const caching = promptCachingSupport(agent.foundation_model);
  const ttl: CacheTtl = agent.cache_ttl === '1h' && caching.oneHourTtl ? '1h' : '5m';
  const toolResultStatus = toolResultStatusSupported(agent.foundation_model);

  const window = historyWindow(input.history);
  const messages = conversationMessages(window.turns, {
    offeredTools: new Set(input.toolSpecs.map((spec) => spec.name ?? '')),
    toolResultStatus,
  });
  const historyBlocks = messages.reduce((sum, message) => sum + (message.content?.length ?? 0), 0);
  appendContent(messages, 'user', userContentForModel(input.userMessage, input.newSession, memoryActive));
  const turnStart = messages.length;
  if (input.prefetched) appendPrefetchedRetrieval(messages, input.prefetched, toolResultStatus);

  const system = systemBlocks(buildSystemPrompt(agent.base_prompt, memoryActive), caching, ttl);
  const tools = input.toolSpecs.map((toolSpec) => ({ toolSpec }));
  const toolConfig = tools.length > 0 ? { tools: toolList(tools, caching, ttl) } : undefined;
  return {
    modelId: agent.foundation_model,
    system,
    toolConfig,
    inferenceConfig: inferenceConfigFor(agent.inference),
    guardrailConfig: guardrailStreamConfig(agent.guardrail),
    toolLimits: toolLimitsOf(agent),
    messages,
    turnStart,
    historyStart: window.start,
    conversationCache: caching.messages
      ? {
          historyBlocks,
          ttl,
          tokensBeforeMessages: estimateTokens(system) + estimateTokens(toolConfig ?? null),
          maxCachedTokens: caching.maxCachedTokens,
        }
      : undefined,
    toolResultStatus,
  };
}

function inferenceConfigFor(inference: InferenceSettings | undefined): InferenceConfiguration | undefined {
  if (inference === undefined) return undefined;
  return { maxTokens: inference.max_tokens, temperature: inference.temperature, topP: inference.top_p };
}
