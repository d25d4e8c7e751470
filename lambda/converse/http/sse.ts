import { finished, type Writable } from 'node:stream';
import type { TurnFailure } from '../failures.js';

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

/**
 * Writes server-sent events, one JSON object per `data:` line. A client that disconnects
 * errors or destroys the stream; the writer then drops further events, so the turn still
 * runs to its end and is saved.
 */
export class SseWriter {
  private ended = false;

  constructor(private readonly stream: Writable) {
    stream.on('error', () => undefined);
  }

  /** True once the client can no longer receive events. */
  get clientGone(): boolean {
    return this.stream.destroyed;
  }

  send(streamEvent: StreamEvent): void {
    if (this.ended || this.clientGone) return;
    this.stream.write(`event: ${streamEvent.event}\ndata: ${JSON.stringify(streamEvent.data)}\n\n`);
  }

  /** Ends the stream once; resolves when the runtime has taken every byte or the client is gone. */
  end(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.ended = true;
    return endStream(this.stream);
  }
}

/**
 * Ends a response stream, with a last chunk if given. Resolves when the stream finished,
 * or at once when the client is gone (a destroyed stream never calls `end`'s callback).
 */
export function endStream(stream: Writable, lastChunk?: string): Promise<void> {
  stream.on('error', () => undefined);
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    finished(stream, () => resolve());
    if (lastChunk === undefined) stream.end();
    else stream.end(lastChunk);
  });
}
