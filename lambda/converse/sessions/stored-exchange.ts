import type { ContentBlock, Message, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { codePointLength, truncateToCodePoints } from '../../contract/index.js';
import { utf8Bytes } from './item-size.js';

/** Text in a stored exchange is cut to the first of these lengths (code points) that makes the turn fit. */
const TEXT_CUTS = [20_000, 4_000, 500];
export const CUT_MARKER = ' [cut to fit the session history]';

/** How a turn's exchange is stored: whole, cut (`cut`: some text was shortened, each cut marked), or not at all. */
export interface StoredExchange {
  readonly json: string | undefined;
  readonly cut: boolean;
  readonly dropped: boolean;
}

/**
 * The exchange as stored (JSON) in at most `maxBytes` of UTF-8. Nothing when the answer
 * alone says it all (no tool was used). When the whole exchange does not fit, its texts
 * (tool results, the model's text, tool results in JSON) are cut, each cut marked; when
 * even that does not fit, it is dropped and the turn is its answer alone.
 */
export function exchangeToStore(exchange: readonly Message[], maxBytes: number): StoredExchange {
  const usedTools = exchange.some((message) =>
    (message.content ?? []).some((block) => block.toolUse !== undefined || block.toolResult !== undefined),
  );
  if (!usedTools) return { json: undefined, cut: false, dropped: false };
  const whole = JSON.stringify(exchange);
  if (utf8Bytes(whole) <= maxBytes) return { json: whole, cut: false, dropped: false };
  for (const cut of TEXT_CUTS) {
    const shortened = JSON.stringify(exchange.map((message) => withTextsCut(message, cut)));
    if (utf8Bytes(shortened) <= maxBytes) return { json: shortened, cut: true, dropped: false };
  }
  return { json: undefined, cut: false, dropped: true };
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

function withTextsCut(message: Message, maxLength: number): Message {
  return {
    role: message.role,
    content: (message.content ?? []).map((block): ContentBlock => {
      if (block.text !== undefined) return { ...block, text: cutText(block.text, maxLength) };
      if (block.toolResult === undefined) return block;
      return {
        toolResult: {
          ...block.toolResult,
          content: (block.toolResult.content ?? []).map((part): ToolResultContentBlock => {
            if (part.text !== undefined) return { text: cutText(part.text, maxLength) };
            if (part.json === undefined) return part;
            const json = JSON.stringify(part.json);
            return codePointLength(json) > maxLength ? { text: cutText(json, maxLength) } : part;
          }),
        },
      };
    }),
  };
}

/** The first `maxLength` code points and the cut marker, or `text` itself when it is not longer. */
function cutText(text: string, maxLength: number): string {
  const cut = truncateToCodePoints(text, maxLength);
  return cut.length === text.length ? text : cut + CUT_MARKER;
}
