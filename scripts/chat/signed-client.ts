import * as http from 'node:http';
import * as https from 'node:https';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { EventStreamParser, type ChatEvent } from './event-stream.js';

/** The converse request body. */
export interface ChatRequest {
  readonly agentId: string;
  readonly userId: string;
  readonly sessionId?: string;
  readonly message: string;
}

export interface SendOptions {
  /** The Function URL. */
  readonly url: string;
  /** The region of the function, for the signature. */
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Called with each event as it arrives. */
  readonly onEvent: (event: ChatEvent) => void;
  readonly signal?: AbortSignal;
}

/** An answer the function gave before streaming (a status other than 200), or a broken stream. */
export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/**
 * POSTs one message to the Function URL, signed with SigV4 for the `lambda` service by the
 * SDK's signer, and hands each server-sent event to `onEvent` as it arrives. Resolves when
 * the stream ends.
 */
export async function sendChatMessage(request: ChatRequest, options: SendOptions): Promise<void> {
  const url = new URL(options.url);
  const body = JSON.stringify(request);
  const signer = new SignatureV4({
    service: 'lambda',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, 'content-type': 'application/json', accept: 'text/event-stream' },
    body,
  });
  const transport = url.protocol === 'http:' ? http : https;

  await new Promise<void>((resolve, reject) => {
    const outgoing = transport.request(
      {
        method: 'POST',
        hostname: url.hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: signed.headers,
        signal: options.signal,
      },
      (response) => {
        if (response.statusCode !== 200) {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => reject(errorFromBody(response.statusCode ?? 0, Buffer.concat(chunks).toString())));
          response.on('error', reject);
          return;
        }
        const parser = new EventStreamParser();
        response.on('data', (chunk: Buffer) => {
          for (const event of parser.push(chunk)) options.onEvent(event);
        });
        response.on('end', () => resolve());
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The function's `{"error":{"type","message"}}`, or Lambda's own `{"Message"}` (a 403 for a bad signature). */
function errorFromBody(statusCode: number, text: string): ChatRequestError {
  try {
    const parsed = JSON.parse(text) as {
      error?: { type?: string; message?: string };
      Message?: string;
      message?: string;
    };
    if (parsed.error?.type) return new ChatRequestError(parsed.error.type, parsed.error.message ?? '', statusCode);
    const message = parsed.Message ?? parsed.message;
    if (message)
      return new ChatRequestError(statusCode === 403 ? 'Forbidden' : `HTTP${statusCode}`, message, statusCode);
  } catch {
    // Not JSON: show the text.
  }
  return new ChatRequestError(`HTTP${statusCode}`, text.slice(0, 500) || `status ${statusCode}`, statusCode);
}
