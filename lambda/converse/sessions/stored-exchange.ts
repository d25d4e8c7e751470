import type { ContentBlock, Message } from '@aws-sdk/client-bedrock-runtime';

/**
 * A turn item stays under DynamoDB's 400 KB item limit with room for its keys and other
 * attributes: the user's message, the answer and the exchange together take at most this.
 */
export const STORED_TURN_MAX_BYTES = 390_000;

/** Tool-result text is cut to the first of these lengths that makes the turn fit. */
const TOOL_RESULT_TEXT_CUTS = [20_000, 4_000, 500];
export const CUT_MARKER = ' [cut to fit the session history]';

/**
 * The exchange as stored (JSON), or `undefined` when the answer alone says it all (no tool
 * was used) or it cannot fit the item even with its tool results cut: the turn is then
 * stored as its answer alone.
 */
export function exchangeToStore(exchange: readonly Message[], userMessage: string, answer: string): string | undefined {
  const usedTools = exchange.some((message) =>
    (message.content ?? []).some((block) => block.toolUse !== undefined || block.toolResult !== undefined),
  );
  if (!usedTools) return undefined;
  const room = STORED_TURN_MAX_BYTES - byteLength(userMessage) - byteLength(answer);
  const whole = JSON.stringify(exchange);
  if (byteLength(whole) <= room) return whole;
  for (const cut of TOOL_RESULT_TEXT_CUTS) {
    const shortened = JSON.stringify(exchange.map((message) => withToolResultsCut(message, cut)));
    if (byteLength(shortened) <= room) return shortened;
  }
  return undefined;
}

/** The stored exchange, or `undefined` when there is none or it is not a list of messages. */
export function exchangeFromItem(value: unknown): Message[] | undefined {
  if (typeof value !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const isMessage = (message: unknown): message is Message =>
    typeof message === 'object' &&
    message !== null &&
    ((message as Message).role === 'user' || (message as Message).role === 'assistant') &&
    Array.isArray((message as Message).content);
  return parsed.every(isMessage) ? parsed : undefined;
}

function withToolResultsCut(message: Message, maxLength: number): Message {
  return {
    role: message.role,
    content: (message.content ?? []).map((block): ContentBlock => {
      if (block.toolResult === undefined) return block;
      return {
        toolResult: {
          ...block.toolResult,
          content: (block.toolResult.content ?? []).map((part) => {
            // A JSON result (retrieved memories) is cut as its serialized text, still escaped.
            const text = part.text ?? (part.json === undefined ? undefined : JSON.stringify(part.json));
            return text !== undefined && text.length > maxLength ? { text: cutAt(text, maxLength) + CUT_MARKER } : part;
          }),
        },
      };
    }),
  };
}

/** The first `maxLength` UTF-16 units, one fewer when the cut would split a surrogate pair. */
function cutAt(text: string, maxLength: number): string {
  const last = text.charCodeAt(maxLength - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxLength - 1 : maxLength);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
