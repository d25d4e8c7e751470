/**
 * A restored history without its tool exchanges that Bedrock Converse still accepts. Leaving
 * out tool uses and tool results alone leaves messages empty and puts two messages of one
 * role next to each other, which Converse refuses; here empty messages are dropped,
 * neighbours of one role are merged into one message, and the history starts with a user
 * message, as Converse requires.
 */
import type { ConversationMessage } from '../types.js';

export function withoutToolExchanges(messages: readonly ConversationMessage[]): ConversationMessage[] {
  const history: ConversationMessage[] = [];
  for (const message of messages) {
    const content = (message.content ?? []).filter((block) => !('toolUse' in block) && !('toolResult' in block));
    if (content.length === 0) continue;
    const previous = history[history.length - 1];
    if (previous?.role === message.role) {
      history[history.length - 1] = { ...previous, content: [...(previous.content ?? []), ...content] };
    } else if (previous !== undefined || message.role === 'user') {
      history.push({ ...message, content });
    }
  }
  return history;
}
