/**
 * A stand-in for the `awslambda` global the Lambda Node.js runtime provides, so the
 * streaming handler runs in tests: `streamifyResponse` returns the handler as is, and
 * `HttpResponseStream.from` records the status and headers on the captured response.
 */
import { Writable } from 'node:stream';

export interface ResponseMetadata {
  statusCode: number;
  headers: Record<string, string>;
}

export interface StreamedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Collects what the handler writes to its response stream. */
export class CapturedResponse extends Writable {
  metadata: ResponseMetadata | undefined;
  finished = false;
  /** The most bytes ever written and not yet taken by the client. */
  peakBufferedBytes = 0;
  private readonly chunks: Buffer[] = [];

  /**
   * @param disconnectAfter the client goes away (the stream is destroyed with an error) once it has received this event
   * @param stalled the client takes the first chunk and then never reads again (the stream never drains)
   */
  constructor(
    private readonly disconnectAfter?: string,
    private readonly stalled = false,
  ) {
    super();
  }

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    const accepted = (super.write as (...args: unknown[]) => boolean)(chunk, ...rest);
    this.peakBufferedBytes = Math.max(this.peakBufferedBytes, this.writableLength);
    return accepted;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    this.chunks.push(buffer);
    if (this.stalled) return;
    callback();
    if (this.disconnectAfter !== undefined && buffer.toString('utf8').startsWith(`event: ${this.disconnectAfter}\n`)) {
      this.destroy(new Error('client disconnected'));
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.finished = true;
    callback();
  }

  get statusCode(): number | undefined {
    return this.metadata?.statusCode;
  }

  get body(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  json(): unknown {
    return JSON.parse(this.body);
  }

  /** The server-sent events, in order. */
  get events(): StreamedEvent[] {
    return this.body
      .split('\n\n')
      .filter((block) => block.trim() !== '')
      .map((block) => {
        const lines = block.split('\n');
        const event = lines.find((line) => line.startsWith('event: '))!.slice('event: '.length);
        const dataLines = lines.filter((line) => line.startsWith('data: '));
        if (dataLines.length !== 1) throw new Error(`event ${event} has ${dataLines.length} data lines`);
        return { event, data: JSON.parse(dataLines[0].slice('data: '.length)) };
      });
  }

  /** The answer text as the caller sees it: every delta joined. */
  get answer(): string {
    return this.events
      .filter((streamed) => streamed.event === 'delta')
      .map((streamed) => String(streamed.data.text))
      .join('');
  }
}

class ShimHttpResponseStream {
  static from(stream: Writable, metadata: ResponseMetadata): Writable {
    if (stream instanceof CapturedResponse) {
      if (stream.metadata !== undefined) throw new Error('HttpResponseStream.from called twice on one response');
      stream.metadata = metadata;
    }
    return stream;
  }
}

(globalThis as unknown as { awslambda: unknown }).awslambda = {
  streamifyResponse: <T>(handler: T): T => handler,
  HttpResponseStream: ShimHttpResponseStream,
};
