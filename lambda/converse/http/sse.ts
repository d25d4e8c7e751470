import type { Writable } from 'node:stream';

/** The events of the response stream, in the order DESIGN.md section 5 gives them. */
export type StreamEvent =
  | { event: 'session'; data: { sessionId: string; newSession: boolean } }
  | { event: 'delta'; data: { text: string } }
  | { event: 'done'; data: { stopReason: string; usage: TokenUsage } }
  | { event: 'error'; data: { type: string; message: string } };

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

/** Writes server-sent events, one JSON object per `data:` line. */
export class SseWriter {
  private ended = false;

  constructor(private readonly stream: Writable) {}

  send(streamEvent: StreamEvent): void {
    if (this.ended) return;
    this.stream.write(`event: ${streamEvent.event}\ndata: ${JSON.stringify(streamEvent.data)}\n\n`);
  }

  /** Ends the stream once; resolves when the runtime has taken every byte. */
  end(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.ended = true;
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
