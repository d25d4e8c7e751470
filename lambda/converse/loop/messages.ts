import type { ContentBlock, ConversationRole, Message } from '@aws-sdk/client-bedrock-runtime';

/**
 * Appends content as `role`, merging into the last message when it has the same role:
 * Converse requires alternating roles, and a stored turn may have an empty answer (a turn
 * that timed out before any text) or end with tool results.
 */
export function appendContent(messages: Message[], role: ConversationRole, content: ContentBlock[]): void {
  if (content.length === 0) return;
  const last = messages[messages.length - 1];
  if (last !== undefined && last.role === role) {
    last.content = [...(last.content ?? []), ...content];
    return;
  }
  messages.push({ role, content: [...content] });
}
