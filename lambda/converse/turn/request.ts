import type {
  InferenceConfiguration,
  Message,
  SystemContentBlock,
  ToolConfiguration,
  ToolSpecification,
} from '@aws-sdk/client-bedrock-runtime';
import type { AgentDefinition, InferenceSettings } from '../../contract/index.js';
import { appendContent, historyMessages } from '../loop/messages.js';
import { promptCachingSupport, systemBlocks, toolList } from '../loop/prompt-caching.js';
import { toolResultStatusSupported } from '../loop/tool-results.js';
import { appendPrefetchedRetrieval, type PrefetchedRetrieval } from '../memory/first-turn-retrieval.js';
import { buildSystemPrompt, messageForModel } from '../memory/prompts.js';
import type { StoredTurn } from '../sessions/store.js';

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
  readonly messages: Message[];
  /** Whether tool results may carry `status` (see `toolResultStatusSupported`). */
  readonly toolResultStatus: boolean;
}

/**
 * Builds the model request from the loaded turn, with no I/O: the system prompt, the
 * tool list, the history and the user's message (with the new-session nudge where it
 * applies), the prefetched retrieval as a tool exchange, and the cache points.
 */
export function buildModelRequest(input: ModelRequestInput): ModelRequest {
  const { agent, memoryActive } = input;
  const caching = promptCachingSupport(agent.foundation_model);
  const toolResultStatus = toolResultStatusSupported(agent.foundation_model);

  const messages = historyMessages(input.history);
  appendContent(messages, 'user', [{ text: messageForModel(input.userMessage, input.newSession, memoryActive) }]);
  if (input.prefetched) appendPrefetchedRetrieval(messages, input.prefetched, toolResultStatus);

  const tools = input.toolSpecs.map((toolSpec) => ({ toolSpec }));
  return {
    modelId: agent.foundation_model,
    system: systemBlocks(buildSystemPrompt(agent.base_prompt, memoryActive), caching),
    toolConfig: tools.length > 0 ? { tools: toolList(tools, caching) } : undefined,
    inferenceConfig: inferenceConfigFor(agent.inference),
    messages,
    toolResultStatus,
  };
}

function inferenceConfigFor(inference: InferenceSettings | undefined): InferenceConfiguration | undefined {
  if (inference === undefined) return undefined;
  return { maxTokens: inference.max_tokens, temperature: inference.temperature, topP: inference.top_p };
}
