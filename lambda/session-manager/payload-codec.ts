/**
 * How a conversation message becomes AgentCore event payload items, and back.
 *
 * Encoding, one message to one or more payload items:
 * - A plain text message (role `user` or `assistant`, exactly one `text` block of
 *   1-100,000 characters, counted in code points as AgentCore counts them) is one `conversational` item: `{ role: USER | ASSISTANT,
 *   content: { text } }`. This is the form AgentCore's strategies extract long-term
 *   memories from, so ordinary turns stay useful to them.
 * - Every other message (tool use, tool result, images, several blocks, empty text, text
 *   over the 100,000-character conversational limit, text that is not valid Unicode) is an envelope: the whole message as
 *   lossless JSON (see `lossless-json.ts`), split into chunks of at most
 *   {@link ENVELOPE_CHUNK_MAX_LENGTH} ASCII characters, each chunk one `blob` item holding
 *   the string `{"agentcoreSessionMessage":1,"id":...,"part":i,"parts":n,"data":...}`.
 *   The service never sees an oversized item, and nothing is dropped. Strategies do not
 *   extract from blobs; oversized text is therefore kept, not learned from.
 *
 * Decoding, the items of every event oldest first, in payload order:
 * - a `conversational` item whose text is a Python `SessionMessage` (see
 *   `python-session-format.ts`) is that message, and so is a Python message blob;
 * - any other `conversational` item is one message with one text block (`ASSISTANT`
 *   becomes `assistant`; `USER`, `TOOL` and `OTHER`, which other writers may use, become
 *   `user`, the Converse role that carries tool results and outside input);
 * - envelope chunks are gathered by `id` (so a message whose chunks span events still
 *   restores, and a duplicated chunk is harmless); the message takes the place of its
 *   first chunk;
 * - anything else (another writer's blob or json item, an envelope missing parts) is
 *   reported through `onUnreadable` and skipped.
 * Then, as Bedrock Converse refuses blank text and empty content, blank text blocks are
 * dropped and a message left with no content is skipped; every other block keeps its place.
 */
import type { PayloadType } from '@aws-sdk/client-bedrock-agentcore';
import { CONVERSATIONAL_TEXT_MAX_LENGTH, codePointLength, isWellFormedUnicode } from '../contract/index.js';
import { parseLossless, stringifyLossless } from './lossless-json.js';
import { decodePythonBlob, decodePythonConversationalText } from './python-session-format.js';
import type { ConversationMessage } from './types.js';

/**
 * The most bytes one envelope item takes in the CreateEvent request body. AgentCore
 * documents no size limit for a blob item; it documents 100,000 characters for
 * conversational text and 100 KB for a json item, so envelopes stay within the same bound.
 */
export const PAYLOAD_ITEM_MAX_BYTES = 100_000;
/**
 * Chunk size of an envelope. The chunk is ASCII, and the two levels of JSON quoting around
 * it (the blob string, then the request body) turn a character into at most four bytes;
 * the envelope's other fields take under 200 bytes after quoting. So (100,000 - 200) / 4,
 * rounded down: a chunk of backslashes or quotes still fits {@link PAYLOAD_ITEM_MAX_BYTES}.
 */
export const ENVELOPE_CHUNK_MAX_LENGTH = 24_950;
/** Identifies our envelope chunks among other writers' blobs; the value is the format version. */
export const ENVELOPE_MARKER = 'agentcoreSessionMessage';
const ENVELOPE_VERSION = 1;

interface EnvelopeChunk {
  readonly [ENVELOPE_MARKER]: typeof ENVELOPE_VERSION;
  readonly id: string;
  readonly part: number;
  readonly parts: number;
  readonly data: string;
}

/**
 * The payload items of one message. `envelopeId` names the message's chunks if it needs an
 * envelope; it must be unique within the session.
 */
export function encodeMessage(message: ConversationMessage, envelopeId: string): PayloadType[] {
  assertConversationMessage(message);
  const plainText = plainTextOf(message);
  if (plainText !== undefined) {
    return [{ conversational: { role: message.role === 'user' ? 'USER' : 'ASSISTANT', content: { text: plainText } } }];
  }
  const json = stringifyLossless(message);
  const parts = Math.max(1, Math.ceil(json.length / ENVELOPE_CHUNK_MAX_LENGTH));
  const items: PayloadType[] = [];
  for (let part = 0; part < parts; part++) {
    const chunk: EnvelopeChunk = {
      [ENVELOPE_MARKER]: ENVELOPE_VERSION,
      id: envelopeId,
      part,
      parts,
      data: json.slice(part * ENVELOPE_CHUNK_MAX_LENGTH, (part + 1) * ENVELOPE_CHUNK_MAX_LENGTH),
    };
    items.push({ blob: JSON.stringify(chunk) });
  }
  return items;
}

/** Something restore read but could not turn into a message; it is skipped. */
export interface UnreadablePayload {
  readonly reason: string;
}

/** Rebuilds messages from payload items given oldest first, in payload order. */
export function decodeMessages(
  items: readonly PayloadType[],
  onUnreadable: (unreadable: UnreadablePayload) => void,
): ConversationMessage[] {
  const slots: (ConversationMessage | undefined)[] = [];
  const envelopes = new Map<string, { slot: number; parts: number; chunks: Map<number, string> }>();

  for (const item of items) {
    if (item.conversational !== undefined) {
      const text = item.conversational.content?.text;
      if (typeof text !== 'string') {
        onUnreadable({ reason: 'conversational item without text' });
        continue;
      }
      slots.push(
        decodePythonConversationalText(text) ?? {
          role: item.conversational.role === 'ASSISTANT' ? 'assistant' : 'user',
          content: [{ text }],
        },
      );
      continue;
    }
    const chunk = item.blob !== undefined ? parseEnvelopeChunk(item.blob) : undefined;
    const pythonMessage = chunk === undefined && item.blob !== undefined ? decodePythonBlob(item.blob) : undefined;
    if (pythonMessage !== undefined) {
      slots.push(pythonMessage);
      continue;
    }
    if (chunk === undefined) {
      onUnreadable({ reason: `${Object.keys(item).join(',') || 'empty'} item that is not a session message envelope` });
      continue;
    }
    let envelope = envelopes.get(chunk.id);
    if (envelope === undefined) {
      envelope = { slot: slots.length, parts: chunk.parts, chunks: new Map() };
      envelopes.set(chunk.id, envelope);
      slots.push(undefined);
    }
    if (chunk.parts !== envelope.parts) {
      onUnreadable({
        reason: `envelope ${chunk.id} chunk says ${chunk.parts} parts, first chunk said ${envelope.parts}`,
      });
      continue;
    }
    envelope.chunks.set(chunk.part, chunk.data);
  }

  for (const [id, envelope] of envelopes) {
    if (envelope.chunks.size !== envelope.parts) {
      onUnreadable({ reason: `envelope ${id} has ${envelope.chunks.size} of ${envelope.parts} parts` });
      continue;
    }
    let json = '';
    for (let part = 0; part < envelope.parts; part++) json += envelope.chunks.get(part);
    try {
      const message = parseLossless(json);
      assertConversationMessage(message);
      slots[envelope.slot] = message;
    } catch (error) {
      onUnreadable({ reason: `envelope ${id} does not hold a message: ${(error as Error).message}` });
    }
  }
  return slots
    .map((message) => (message === undefined ? undefined : withoutBlankText(message)))
    .filter((message): message is ConversationMessage => message !== undefined);
}

/**
 * The message as Bedrock Converse accepts it: without its blank text blocks (Converse
 * refuses them), every other block in its place; undefined when no content is left.
 */
export function withoutBlankText(message: ConversationMessage): ConversationMessage | undefined {
  const content = (message.content ?? []).filter((block) => typeof block.text !== 'string' || block.text.trim() !== '');
  if (content.length === 0) return undefined;
  return content.length === message.content?.length ? message : { ...message, content };
}

/** The text of a message that fits one conversational item, else undefined. */
function plainTextOf(message: ConversationMessage): string | undefined {
  const content = message.content ?? [];
  if (content.length !== 1) return undefined;
  const block = content[0] as unknown as Record<string, unknown>;
  const definedKeys = Object.keys(block).filter((key) => block[key] !== undefined);
  if (definedKeys.length !== 1 || definedKeys[0] !== 'text' || typeof block.text !== 'string') return undefined;
  const text = block.text;
  const fits = text.length >= 1 && codePointLength(text) <= CONVERSATIONAL_TEXT_MAX_LENGTH;
  // AgentCore rejects text that is not valid Unicode; the envelope escapes it, so it is kept.
  return fits && isWellFormedUnicode(text) ? text : undefined;
}

export function assertConversationMessage(message: unknown): asserts message is ConversationMessage {
  if (message === null || typeof message !== 'object') throw new TypeError('message must be an object');
  const { role, content } = message as Record<string, unknown>;
  if (role !== 'user' && role !== 'assistant') throw new TypeError("message.role must be 'user' or 'assistant'");
  if (!Array.isArray(content)) throw new TypeError('message.content must be an array of content blocks');
}

function parseEnvelopeChunk(blob: unknown): EnvelopeChunk | undefined {
  if (typeof blob !== 'string' || !blob.includes(ENVELOPE_MARKER)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(blob);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const chunk = parsed as Partial<Record<keyof EnvelopeChunk, unknown>>;
  const valid =
    chunk[ENVELOPE_MARKER] === ENVELOPE_VERSION &&
    typeof chunk.id === 'string' &&
    Number.isInteger(chunk.parts) &&
    (chunk.parts as number) >= 1 &&
    Number.isInteger(chunk.part) &&
    (chunk.part as number) >= 0 &&
    (chunk.part as number) < (chunk.parts as number) &&
    typeof chunk.data === 'string';
  return valid ? (chunk as EnvelopeChunk) : undefined;
}
