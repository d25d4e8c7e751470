import type { ContentBlock, Message } from '@aws-sdk/client-bedrock-runtime';
import { randomUUID } from 'node:crypto';
import { SEARCH_QUERY_MAX_LENGTH, truncateToCodePoints } from '../../contract/index.js';
import type { Outcome } from '../../platform/outcome.js';
import type { StoredTurn } from '../history/stored-turn.js';
import { appendContent } from '../loop/messages.js';
import { toolResultBlock } from '../loop/tool-results.js';
import { neutraliseRuntimeMarkers } from './framing.js';
import {
  AGENT_CORE_MEMORY_TOOL_NAME,
  retrievalToolOutcome,
  type AgentCoreMemoryTool,
  type RetrievalOutcome,
} from './tool.js';

/** A retrieval run for the model before its first call (so a first turn needs one model call). */
export interface PrefetchedRetrieval {
  /** The id of the retrieve tool use the model is shown; kept so the stored exchange matches. */
  readonly toolUseId: string;
  readonly query: string;
  readonly outcome: RetrievalOutcome;
}

/**
 * The new-session nudge makes the model retrieve before its first answer: two model calls.
 * On a new session with memory active we run that retrieval ourselves, as soon as the
 * agent (and, for a named session, its emptiness) is known, with the user's message as
 * the query, so the first model call already has the result. Resolves `undefined` when
 * the turn does not qualify; never rejects.
 */
export async function prefetchNewSessionMemories(
  userMessage: string,
  memoryLoad: Promise<{ readonly tool: AgentCoreMemoryTool } | undefined>,
  sessionLoad: Promise<Outcome<readonly StoredTurn[]>>,
): Promise<PrefetchedRetrieval | undefined> {
  try {
    const [memory, session] = await Promise.all([memoryLoad, sessionLoad]);
    if (memory === undefined || session.status !== 'loaded' || session.value.length > 0) return undefined;
    const query = truncateToCodePoints(userMessage, SEARCH_QUERY_MAX_LENGTH);
    const toolUseId = `memory_prefetch_${randomUUID().replaceAll('-', '')}`;
    return { toolUseId, query, outcome: await memory.tool.retrieve(query) };
  } catch {
    return undefined;
  }
}

/**
 * The retrieval as the model would have made it: an `agent_core_memory` retrieve tool
 * use and its result after the nudged user message. The memories stay in the tool result,
 * out of the system prompt, and are never stored.
 */
export function appendPrefetchedRetrieval(
  messages: Message[],
  prefetched: PrefetchedRetrieval,
  toolResultStatus: boolean,
): void {
  const { toolUseId } = prefetched;
  const toolUse: ContentBlock = {
    toolUse: {
      toolUseId,
      name: AGENT_CORE_MEMORY_TOOL_NAME,
      // The query is the user's message: the model reads it with the runtime's marker neutralised.
      input: { action: 'retrieve', query: neutraliseRuntimeMarkers(prefetched.query) },
    },
  };
  appendContent(messages, 'assistant', [toolUse]);
  appendContent(messages, 'user', [
    toolResultBlock(toolUseId, retrievalToolOutcome(prefetched.outcome), toolResultStatus),
  ]);
}
