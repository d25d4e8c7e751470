/**
 * Long-term memories reach the model as per-call content: a text block after the content
 * of the last user message, counted in `dynamicTrailingBlocks`. A provider that places
 * cache points (Bedrock with `cacheConfig`) keeps its point ahead of that block, so the
 * cached prefix (history and prompt) is the same one the next invocation sends, which
 * carries the prompt without its memories, and that invocation reads the history from cache.
 */
import { type InvokeModelContext, Message, TextBlock } from '@strands-agents/sdk';

/** The model call's context with `memories` after the last user message's content. */
export function withTrailingMemories(context: InvokeModelContext, memories: string): InvokeModelContext {
  const lastIndex = context.messages.length - 1;
  const last = context.messages[lastIndex];
  if (last === undefined || last.role !== 'user') return context;
  const messages = [...context.messages];
  // The model is sent copies of the agent's messages; a copy keeps the tracking id.
  messages[lastIndex] = new Message({
    role: last.role,
    content: [...last.content, new TextBlock(memories)],
    trackingId: last.trackingId,
    ...(last.metadata !== undefined && { metadata: last.metadata }),
  });
  return { ...context, messages, dynamicTrailingBlocks: (context.dynamicTrailingBlocks ?? 0) + 1 };
}
