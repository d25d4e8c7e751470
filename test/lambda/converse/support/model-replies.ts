import { BedrockRuntimeServiceException, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';

/** What a scripted model call does: stream these events, or fail before streaming. */
export type ModelReply =
  { kind: 'stream'; events: () => AsyncGenerator<ConverseStreamOutput> } | { kind: 'reject'; error: Error };

export const REPLY_USAGE = {
  inputTokens: 100,
  outputTokens: 20,
  totalTokens: 120,
  cacheReadInputTokens: 80,
  cacheWriteInputTokens: 0,
};

async function* streamOf(events: ConverseStreamOutput[]): AsyncGenerator<ConverseStreamOutput> {
  for (const event of events) {
    await new Promise((resolve) => setImmediate(resolve));
    yield event;
  }
}

function textEvents(pieces: string[], index = 0): ConverseStreamOutput[] {
  return [
    ...pieces.map((text) => ({ contentBlockDelta: { contentBlockIndex: index, delta: { text } } })),
    { contentBlockStop: { contentBlockIndex: index } },
  ];
}

/** An answer streamed in pieces, ending the turn. */
export function textReply(...pieces: string[]): ModelReply {
  return {
    kind: 'stream',
    events: () =>
      streamOf([
        { messageStart: { role: 'assistant' } },
        ...textEvents(pieces),
        { messageStop: { stopReason: 'end_turn' } },
        { metadata: { usage: REPLY_USAGE, metrics: { latencyMs: 5 } } },
      ]),
  };
}

export interface ScriptedToolUse {
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
  /** The input JSON as streamed, when it should not be `input` serialized (malformed JSON). */
  inputJson?: string;
}

/** Optional lead text, then tool calls (their JSON input streamed in two pieces). */
export function toolUseReply(toolUses: ScriptedToolUse[], leadText?: string): ModelReply {
  const offset = leadText === undefined ? 0 : 1;
  const events: ConverseStreamOutput[] = [{ messageStart: { role: 'assistant' } }];
  if (leadText !== undefined) events.push(...textEvents([leadText]));
  toolUses.forEach((toolUse, position) => {
    const index = position + offset;
    const json = toolUse.inputJson ?? JSON.stringify(toolUse.input);
    const half = Math.floor(json.length / 2);
    events.push(
      {
        contentBlockStart: {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } },
        },
      },
      { contentBlockDelta: { contentBlockIndex: index, delta: { toolUse: { input: json.slice(0, half) } } } },
      { contentBlockDelta: { contentBlockIndex: index, delta: { toolUse: { input: json.slice(half) } } } },
      { contentBlockStop: { contentBlockIndex: index } },
    );
  });
  events.push(
    { messageStop: { stopReason: 'tool_use' } },
    { metadata: { usage: REPLY_USAGE, metrics: { latencyMs: 5 } } },
  );
  return { kind: 'stream', events: () => streamOf(events) };
}

/** The request fails the way the SDK reports a service error (its `name` is the error code). */
export function rejectedReply(name: string, message: string): ModelReply {
  const error = new BedrockRuntimeServiceException({
    name,
    message,
    $fault: 'client',
    $metadata: { httpStatusCode: 429 },
  });
  return { kind: 'reject', error };
}

/** The request fails outside Bedrock: a network fault or a bug, with internals in its message. */
export function brokenReply(error: Error): ModelReply {
  return { kind: 'reject', error };
}

/** Streams some text, then Bedrock reports an exception inside the stream. */
export function failingMidStreamReply(text: string, exceptionMember: string, message: string): ModelReply {
  return {
    kind: 'stream',
    events: () =>
      streamOf([
        { messageStart: { role: 'assistant' } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { text } } },
        { [exceptionMember]: { message } } as unknown as ConverseStreamOutput,
      ]),
  };
}

/** Streams some text, then never continues (a model slower than the function's time). */
export function stallingReply(text: string): ModelReply {
  return {
    kind: 'stream',
    events: async function* () {
      yield { messageStart: { role: 'assistant' } };
      yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text } } };
      await new Promise(() => undefined);
    },
  };
}

/** Streams some text, then the stream simply ends: no `messageStop`, no exception. */
export function endingEarlyReply(...pieces: string[]): ModelReply {
  return {
    kind: 'stream',
    events: () =>
      streamOf([
        { messageStart: { role: 'assistant' } },
        ...pieces.map((text) => ({ contentBlockDelta: { contentBlockIndex: 0, delta: { text } } })),
      ]),
  };
}

/** Streams some text, then the connection is reset (the SDK's stream throws a network error). */
export function resetMidStreamReply(text: string): ModelReply {
  return {
    kind: 'stream',
    events: async function* () {
      yield { messageStart: { role: 'assistant' } };
      await new Promise((resolve) => setImmediate(resolve));
      yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text } } };
      await new Promise((resolve) => setImmediate(resolve));
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    },
  };
}
