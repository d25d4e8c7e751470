import type { ContentBlock, ConversationRole, Message } from '@aws-sdk/client-bedrock-runtime';
import type { StoredTurn } from '../sessions/store.js';

/**
 * Appends content as `role`, merging into the last message when it has the same role:
 * Converse requires alternating roles, and a stored turn may have an empty answer (a turn
 * that timed out before any text).
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

/** The stored turns as Converse messages: the user's words as typed and the answers. */
export function historyMessages(turns: readonly StoredTurn[]): Message[] {
  const messages: Message[] = [];
  for (const turn of turns) {
    appendContent(messages, 'user', [{ text: turn.userMessage }]);
    if (turn.assistantMessage.trim().length > 0)
      appendContent(messages, 'assistant', [{ text: turn.assistantMessage }]);
  }
  return messages;
}
