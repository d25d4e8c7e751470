/**
 * The Python AgentCore Memory session manager for Strands, as far as tests need it: how it
 * writes a message and how it reads a session back, rebuilt from its documented storage shape:
 * - a message is the JSON (`json.dumps`: `", "` and `": "` separators, non-ASCII escaped)
 *   of a Strands `SessionMessage` `{message, message_id, redact_message, created_at,
 *   updated_at}`, bytes as `{"__bytes_encoded__": true, "data": <base64>}`;
 * - it is a conversational item (role upper-cased) while JSON plus lowercase role are under
 *   100,000 characters, else a blob holding `json.dumps([json, role])`;
 * - reading walks ListEvents' events (newest first) reversed, items in order: every
 *   conversational text must parse as a SessionMessage, a blob counts when it parses as a
 *   two-element array whose first element is one; blank text blocks are dropped and a
 *   message left empty is skipped; `redact_message`, when set, stands for the message.
 */
import type { Event, PayloadType } from '@aws-sdk/client-bedrock-agentcore';
import type { ConversationMessage } from '../../../lambda/session-manager/index.js';

/** Python's `json.dumps` with its default separators and `ensure_ascii`. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([key, entry]) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(entry)}`);
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** Python's `encode_bytes_values`. */
function pythonEncodeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return { __bytes_encoded__: true, data: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(pythonEncodeBytes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, pythonEncodeBytes(entry)]));
  }
  return value;
}

/** Python's `decode_bytes_values`. */
function pythonDecodeBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pythonDecodeBytes);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.__bytes_encoded__ === true && 'data' in record) {
      return new Uint8Array(Buffer.from(record.data as string, 'base64'));
    }
    return Object.fromEntries(Object.entries(record).map(([key, entry]) => [key, pythonDecodeBytes(entry)]));
  }
  return value;
}

const PYTHON_TIME = '2025-08-25T15:12:34.123456+00:00';

/** The JSON Python stores for a message: `json.dumps(SessionMessage.to_dict())`. */
function pythonSessionMessageJson(message: ConversationMessage, redactMessage: ConversationMessage | null = null) {
  return pythonJsonDumps(
    pythonEncodeBytes({
      message,
      message_id: 0,
      redact_message: redactMessage,
      created_at: PYTHON_TIME,
      updated_at: PYTHON_TIME,
    }),
  );
}

/** The payload item Python's `create_message` writes for a message. */
export function pythonItem(
  message: ConversationMessage,
  redactMessage: ConversationMessage | null = null,
): PayloadType {
  const json = pythonSessionMessageJson(message, redactMessage);
  const role = message.role!;
  if (json.length + role.length >= 100_000) return { blob: pythonJsonDumps([json, role]) };
  return { conversational: { content: { text: json }, role: role.toUpperCase() as 'USER' | 'ASSISTANT' } };
}

interface PythonSessionMessage {
  message: ConversationMessage;
  message_id: number;
  redact_message: ConversationMessage | null;
  created_at: string;
  updated_at: string;
}

/** Python's `SessionMessage.from_dict`: needs `message` and `message_id`, ignores other keys. */
function pythonSessionMessageFromDict(value: Record<string, unknown>): PythonSessionMessage {
  if (!('message' in value) || !('message_id' in value)) throw new TypeError('missing required SessionMessage fields');
  return pythonDecodeBytes(value) as PythonSessionMessage;
}

/** Python's `_filter_empty_text`. */
function pythonFilterEmptyText(message: ConversationMessage): ConversationMessage {
  const content = (message.content ?? []).filter((block) => !('text' in block) || (block.text ?? '').trim() !== '');
  return { ...message, content };
}

/** Python's `events_to_messages` then `to_message()`: the messages a Python agent restores. */
export function pythonRestore(eventsNewestFirst: readonly Event[]): ConversationMessage[] {
  const messages: PythonSessionMessage[] = [];
  for (const stored of [...eventsNewestFirst].reverse()) {
    for (const item of stored.payload ?? []) {
      if (item.conversational !== undefined) {
        // json.loads with no guard: one unreadable conversational item fails the whole restore.
        const sessionMessage = pythonSessionMessageFromDict(JSON.parse(item.conversational.content!.text!));
        sessionMessage.message = pythonFilterEmptyText(sessionMessage.message);
        if (sessionMessage.message.content!.length > 0) messages.push(sessionMessage);
      } else if (item.blob !== undefined) {
        let data: unknown;
        try {
          data = JSON.parse(item.blob as string);
        } catch {
          continue;
        }
        if (!Array.isArray(data) || data.length !== 2) continue;
        try {
          const sessionMessage = pythonSessionMessageFromDict(JSON.parse(data[0] as string));
          sessionMessage.message = pythonFilterEmptyText(sessionMessage.message);
          if (sessionMessage.message.content!.length > 0) messages.push(sessionMessage);
        } catch {
          continue;
        }
      }
    }
  }
  return messages.map((sessionMessage) => sessionMessage.redact_message ?? sessionMessage.message);
}
