import { finished, type Writable } from 'node:stream';
import { withoutAccountDetails, type TurnFailure } from '../failures.js';

/** The events of the response stream, in the order a stream sends them: `session`, `delta`..., then `done` or `error`. */
export type StreamEvent =
  | { event: 'session'; data: { sessionId: string; newSession: boolean } }
  | { event: 'delta'; data: { text: string } }
  | { event: 'done'; data: { stopReason: string; usage: TokenUsage } }
  | { event: 'error'; data: TurnFailure };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache',
  'X-Accel-Buffering': 'no',
} as const;

/** Bytes the response may hold unread by the client (one event more when it is empty); past it, deltas stop (see {@link SseWriter}). */
export const SSE_BUFFER_MAX_BYTES = 64 * 1024;

/** The error a turn ends with when its client read too slowly to take the answer. */
export const CLIENT_TOO_SLOW: TurnFailure = {
  type: 'ClientTooSlow',
  message: 'The answer was not read fast enough and stopped streaming; the turn was saved.',
  retryable: false,
};

/**
 * Writes server-sent events, one JSON object per `data:` line, holding at most
 * {@link SSE_BUFFER_MAX_BYTES} the client has not read yet: a client that reads too slowly
 * gets no more deltas, and the stream ends with a `ClientTooSlow` error instead of `done`
 * (or with the turn's own error).
 * A client that disconnects errors or destroys the stream; the writer then drops further
 * events. Either way the turn runs to its end and is saved.
 */
export class SseWriter {
  private ended = false;
  private overflowed = false;

  constructor(
    private readonly stream: Writable,
    private readonly bufferMaxBytes = SSE_BUFFER_MAX_BYTES,
  ) {
    stream.on('error', () => undefined);
  }

  /** True once the client can no longer receive events. */
  get clientGone(): boolean {
    return this.stream.destroyed;
  }

  /** True once deltas stopped because the client did not read them. */
  get clientTooSlow(): boolean {
    return this.overflowed;
  }

  /** Bytes written that the client has not taken yet. */
  get bufferedBytes(): number {
    return this.stream.writableLength;
  }

  send(streamEvent: StreamEvent): void {
    if (this.ended || this.clientGone) return;
    // The stream's last event is small and always written: the caller learns how the turn ended.
    const terminal = streamEvent.event === 'done' || streamEvent.event === 'error';
    // A turn that answered in full but whose client missed deltas did not deliver its answer.
    const sent =
      streamEvent.event === 'done' && this.overflowed
        ? { event: 'error' as const, data: CLIENT_TOO_SLOW }
        : streamEvent;
    const chunk = `event: ${sent.event}\ndata: ${JSON.stringify(eventData(sent))}\n\n`;
    if (!terminal) {
      if (this.overflowed) return;
      // An event goes out whole when nothing waits unread, however long it is.
      const waiting = this.stream.writableLength;
      if (waiting > 0 && waiting + Buffer.byteLength(chunk) > this.bufferMaxBytes) {
        this.overflowed = true;
        return;
      }
    }
    this.stream.write(chunk);
  }

  /**
   * Ends the stream once; resolves when the runtime has taken every byte, when the client
   * is gone, or at `endBy` (epoch milliseconds) whatever the client does: the stream is
   * then destroyed, so a client that stopped reading never holds the function.
   */
  end(endBy: number): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.ended = true;
    return endStream(this.stream, endBy);
  }
}

/** An event's data as sent: an error's message never carries an ARN or an account id. */
function eventData(streamEvent: StreamEvent): StreamEvent['data'] {
  if (streamEvent.event !== 'error') return streamEvent.data;
  return { ...streamEvent.data, message: withoutAccountDetails(streamEvent.data.message) };
}

/**
 * Ends a response stream, with a last chunk if given. Resolves when the stream finished,
 * at once when the client is gone (a destroyed stream never calls `end`'s callback), or at
 * `endBy` (epoch milliseconds), when a client that does not read has the stream destroyed.
 */
export function endStream(stream: Writable, endBy: number, lastChunk?: string): Promise<void> {
  stream.on('error', () => undefined);
  if (stream.destroyed) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  return new Promise<void>((resolve) => {
    finished(stream, () => resolve());
    timer = setTimeout(
      () => {
        stream.destroy();
        resolve();
      },
      Math.max(0, endBy - Date.now()),
    );
    if (lastChunk === undefined) stream.end();
    else stream.end(lastChunk);
  }).finally(() => clearTimeout(timer));
}
