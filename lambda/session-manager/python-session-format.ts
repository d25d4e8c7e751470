/**
 * The storage format of the Python AgentCore Memory session manager for Strands, read
 * always and written with `messageFormat: 'strands-python'`, so one session can move
 * between a Python agent and a TypeScript one.
 *
 * Python stores each message as the JSON of a Strands `SessionMessage`:
 * `{"message": <Converse message>, "message_id": 0, "redact_message": null,
 * "created_at": <ISO time>, "updated_at": <ISO time>}`, bytes anywhere in it as
 * `{"__bytes_encoded__": true, "data": <base64>}`;
 * - in one `conversational` item, role `USER` or `ASSISTANT`, while that JSON and the
 *   lowercase role together are under 100,000 characters;
 * - otherwise in one `blob` item holding the JSON array `[<that JSON>, <lowercase role>]`.
 * On restore `redact_message`, when set, stands for the message.
 *
 * It keeps its session and its agents' state (`Session`, `SessionAgent`) in events of the
 * same session, marked by the metadata key `stateType` (`SESSION`, or `AGENT` with
 * `agentId`). A Python agent restores messages only when it finds both.
 */
import type { EventMetadataFilterExpression, MetadataValue, PayloadType } from '@aws-sdk/client-bedrock-agentcore';
import { CONVERSATIONAL_TEXT_MAX_LENGTH } from '../contract/index.js';
import { escapeNonAscii, isPlainRecord, setOwn } from './lossless-json.js';
import type { ConversationMessage } from './types.js';

/**
 * Python sends a conversational item only while JSON and role total fewer characters than
 * AgentCore's conversational text limit.
 */
export const PYTHON_CONVERSATIONAL_MAX_SIZE = CONVERSATIONAL_TEXT_MAX_LENGTH;
/** The metadata key marking the Python manager's session and agent state events. */
const PYTHON_STATE_TYPE_KEY = 'stateType';
const PYTHON_AGENT_ID_KEY = 'agentId';
/** The conversation manager a Python agent uses unless told otherwise. */
const PYTHON_DEFAULT_CONVERSATION_MANAGER = 'SlidingWindowConversationManager';

const BYTES_MARKER = '__bytes_encoded__';
const SESSION_MESSAGE_KEYS = new Set(['message', 'message_id', 'redact_message', 'created_at', 'updated_at']);

/** The payload item Python writes for a message (already cleared of blank text). */
export function encodePythonSessionMessage(message: ConversationMessage, createdAt: Date): PayloadType {
  const time = createdAt.toISOString();
  const sessionMessage = { message, message_id: 0, redact_message: null, created_at: time, updated_at: time };
  const json = escapeNonAscii(JSON.stringify(encodeBytes(sessionMessage)));
  const role = message.role === 'user' ? 'user' : 'assistant';
  if (json.length + role.length < PYTHON_CONVERSATIONAL_MAX_SIZE) {
    return { conversational: { role: role === 'user' ? 'USER' : 'ASSISTANT', content: { text: json } } };
  }
  return { blob: JSON.stringify([json, role]) };
}

/** The message in a conversational item's text, if the text is a Python `SessionMessage`. */
export function decodePythonConversationalText(text: string): ConversationMessage | undefined {
  if (!text.startsWith('{')) return undefined;
  return sessionMessageFrom(parseJson(text));
}

/** The message in a blob item, if the blob is Python's `[SessionMessage JSON, role]`. */
export function decodePythonBlob(blob: unknown): ConversationMessage | undefined {
  const pair = typeof blob === 'string' && blob.startsWith('[') ? parseJson(blob) : blob;
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') return undefined;
  return sessionMessageFrom(parseJson(pair[0]));
}

/** Whether an event holds the Python manager's session or agent state rather than messages. */
export function isPythonStateEvent(metadata: Record<string, MetadataValue> | undefined): boolean {
  return metadata?.[PYTHON_STATE_TYPE_KEY] !== undefined;
}

/** The payload and metadata of a state event. */
export interface PythonStateEvent {
  readonly payload: PayloadType[];
  readonly metadata: Record<string, MetadataValue>;
}

/** The `Session` event a Python manager looks for before it reads any agent. */
export function pythonSessionStateEvent(sessionId: string, now: Date): PythonStateEvent {
  const time = now.toISOString();
  return {
    payload: [
      { blob: JSON.stringify({ session_id: sessionId, session_type: 'AGENT', created_at: time, updated_at: time }) },
    ],
    metadata: { [PYTHON_STATE_TYPE_KEY]: { stringValue: 'SESSION' } },
  };
}

/** An agent's state as a `SessionAgent` holds it: its key-value state and how many of the session's first messages its conversation manager removed. */
export interface PythonAgentState {
  readonly state: Record<string, unknown>;
  readonly removedMessageCount: number;
}

/**
 * The `SessionAgent` event a Python agent with this `agent_id` restores from: by default no
 * state, and the default conversation manager's state with nothing removed, so every
 * message restores.
 */
export function pythonAgentStateEvent(
  agentId: string,
  now: Date,
  agentState: PythonAgentState = { state: {}, removedMessageCount: 0 },
): PythonStateEvent {
  const time = now.toISOString();
  const sessionAgent = {
    agent_id: agentId,
    state: agentState.state,
    conversation_manager_state: {
      __name__: PYTHON_DEFAULT_CONVERSATION_MANAGER,
      removed_message_count: agentState.removedMessageCount,
      model_call_count: 0,
    },
    _internal_state: {},
    created_at: time,
    updated_at: time,
  };
  return {
    payload: [{ blob: JSON.stringify(sessionAgent) }],
    metadata: {
      [PYTHON_STATE_TYPE_KEY]: { stringValue: 'AGENT' },
      [PYTHON_AGENT_ID_KEY]: { stringValue: agentId },
    },
  };
}

/** The state in a `SessionAgent` event's blob; undefined when the blob is not one. */
export function decodePythonAgentState(blob: unknown): PythonAgentState | undefined {
  const sessionAgent = typeof blob === 'string' ? parseJson(blob) : blob;
  if (!isPlainRecord(sessionAgent) || typeof sessionAgent.agent_id !== 'string') return undefined;
  const state = isPlainRecord(sessionAgent.state) ? sessionAgent.state : {};
  const managerState = sessionAgent.conversation_manager_state;
  const removed = isPlainRecord(managerState) ? managerState.removed_message_count : undefined;
  const removedMessageCount = typeof removed === 'number' && Number.isSafeInteger(removed) && removed > 0 ? removed : 0;
  return { state, removedMessageCount };
}

/** The ListEvents filter that finds the session's state event, as the Python manager looks for it. */
export function pythonSessionStateFilter(): EventMetadataFilterExpression[] {
  return [metadataIs(PYTHON_STATE_TYPE_KEY, 'SESSION')];
}

/** The ListEvents filter that finds an agent's state event, as the Python manager looks for it. */
export function pythonAgentStateFilter(agentId: string): EventMetadataFilterExpression[] {
  return [metadataIs(PYTHON_STATE_TYPE_KEY, 'AGENT'), metadataIs(PYTHON_AGENT_ID_KEY, agentId)];
}

function metadataIs(key: string, value: string): EventMetadataFilterExpression {
  return { left: { metadataKey: key }, operator: 'EQUALS_TO', right: { metadataValue: { stringValue: value } } };
}

function sessionMessageFrom(value: unknown): ConversationMessage | undefined {
  if (!isPlainRecord(value) || !('message' in value) || !('message_id' in value)) return undefined;
  if (!Object.keys(value).every((key) => SESSION_MESSAGE_KEYS.has(key))) return undefined;
  const chosen = value.redact_message ?? value.message;
  if (
    !isPlainRecord(chosen) ||
    (chosen.role !== 'user' && chosen.role !== 'assistant') ||
    !Array.isArray(chosen.content)
  ) {
    return undefined;
  }
  return decodeBytes(chosen) as ConversationMessage;
}

function encodeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES_MARKER]: true, data: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeBytes);
  if (isPlainRecord(value)) {
    const encoded: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) setOwn(encoded, key, encodeBytes(entry));
    return encoded;
  }
  return value;
}

function decodeBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeBytes);
  if (!isPlainRecord(value)) return value;
  if (value[BYTES_MARKER] === true && typeof value.data === 'string') {
    return new Uint8Array(Buffer.from(value.data, 'base64'));
  }
  const decoded: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) setOwn(decoded, key, decodeBytes(entry));
  return decoded;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
