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
  /** Longest wait for the connection. @default 10_000 */
  readonly connectTimeoutMs?: number;
  /** Longest wait for the next bytes (the answer's start, or more of the stream). @default 60_000 */
  readonly idleTimeoutMs?: number;
  /** How often a 503 or 429 is retried. @default 2 */
  readonly retries?: number;
  /** The longest `Retry-After` honoured; a longer one is cut to this. @default 30_000 */
  readonly maxRetryDelayMs?: number;
  /** Told before each retry. */
  readonly onRetry?: (statusCode: number, delayMs: number, attempt: number) => void;
}

/**
 * `answered`: the function (or Lambda on its behalf) answered and refused or failed the
 * request. `unreachable`: it could not be reached or the caller not authenticated
 * (network, timeouts, a signature or credentials Lambda refused, still busy after retries).
 */
export type ChatFailureKind = 'answered' | 'unreachable';

/** An answer the function gave before streaming (a status other than 200), or a broken stream. */
export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode?: number,
    readonly kind: ChatFailureKind = 'answered',
  ) {
    super(message);
  }
}

const RETRIED_STATUSES = new Set([429, 503]);

/**
 * POSTs one message to the Function URL, signed with SigV4 for the `lambda` service by the
 * SDK's signer, and hands each server-sent event to `onEvent` as it arrives. A 503 or 429
 * is retried after its `Retry-After` (capped), a bounded number of times. Resolves when the
 * stream ends; never waits longer than the connect and idle timeouts allow.
 */
export async function sendChatMessage(request: ChatRequest, options: SendOptions): Promise<void> {
  const retries = options.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptOnce(request, options);
    if (outcome === 'streamed') return;
    if (!RETRIED_STATUSES.has(outcome.statusCode)) throw errorFromBody(outcome.statusCode, outcome.body);
    if (attempt >= retries) {
      const last = errorFromBody(outcome.statusCode, outcome.body);
      throw new ChatRequestError(
        last.type,
        `${last.message} (still ${outcome.statusCode} after ${retries} ${retries === 1 ? 'retry' : 'retries'}; try again later)`,
        outcome.statusCode,
        'unreachable',
      );
    }
    const delayMs = Math.min(retryDelayMs(outcome.retryAfter, attempt), options.maxRetryDelayMs ?? 30_000);
    options.onRetry?.(outcome.statusCode, delayMs, attempt + 1);
    await sleep(delayMs, options.signal);
  }
}

/** `Retry-After` as seconds or an HTTP date; without it, 1 s, 2 s, 4 s... */
export function retryDelayMs(header: string | undefined, attempt: number, now = Date.now()): number {
  if (header !== undefined && header.trim() !== '') {
    if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return 1000 * 2 ** attempt;
}

interface StatusAnswer {
  readonly statusCode: number;
  readonly body: string;
  readonly retryAfter?: string;
}

async function attemptOnce(request: ChatRequest, options: SendOptions): Promise<'streamed' | StatusAnswer> {
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
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;

  return new Promise((resolve, reject) => {
    let settled = false;
    let failure: ChatRequestError | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(idleTimer);
      action();
    };
    const fail = (error: unknown) =>
      settle(() => reject(failure ?? (error instanceof ChatRequestError ? error : unreachable(error, url))));
    const cut = (error: ChatRequestError) => {
      failure ??= error;
      outgoing.destroy(error);
    };
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () =>
          cut(
            new ChatRequestError(
              'IdleTimeout',
              `no data from ${url.host} for ${idleTimeoutMs / 1000} s; raise --idle-timeout if the agent needs longer`,
              undefined,
              'unreachable',
            ),
          ),
        idleTimeoutMs,
      );
    };
    const connectTimer = setTimeout(
      () =>
        cut(
          new ChatRequestError(
            'ConnectTimeout',
            `could not connect to ${url.host} within ${connectTimeoutMs / 1000} s (--connect-timeout)`,
            undefined,
            'unreachable',
          ),
        ),
      connectTimeoutMs,
    );

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
        armIdle();
        const statusCode = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        const parser = statusCode === 200 ? new EventStreamParser() : undefined;
        response.on('data', (chunk: Buffer) => {
          armIdle();
          if (!parser) {
            chunks.push(chunk);
            return;
          }
          try {
            for (const event of parser.push(chunk)) options.onEvent(event);
          } catch (error) {
            fail(error);
          }
        });
        response.on('end', () =>
          settle(() => {
            if (parser) resolve('streamed');
            else
              resolve({
                statusCode,
                body: Buffer.concat(chunks).toString(),
                retryAfter: header(response, 'retry-after'),
              });
          }),
        );
        response.on('error', fail);
        response.on('close', () =>
          fail(
            new ChatRequestError(
              'ConnectionClosed',
              `${url.host} closed the connection mid-answer`,
              undefined,
              'unreachable',
            ),
          ),
        );
      },
    );
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) {
        clearTimeout(connectTimer);
        armIdle();
      } else {
        socket.once('connect', () => {
          clearTimeout(connectTimer);
          armIdle();
        });
      }
    });
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

function header(response: http.IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function unreachable(error: unknown, url: URL): ChatRequestError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new ChatRequestError(
    code ?? 'NetworkError',
    `could not reach ${url.host}: ${message}`,
    undefined,
    'unreachable',
  );
}

const abortError = () => Object.assign(new Error('aborted'), { name: 'AbortError' });

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The function's `{"error":{"type","message"}}` (it answered: refused or failed the request),
 * or Lambda's own `{"Message"}`: a 403 there is a signature or credentials Lambda refused,
 * and a 5xx a function that could not run, both "could not reach".
 */
function errorFromBody(statusCode: number, text: string): ChatRequestError {
  let parsed: { error?: { type?: string; message?: string }; Message?: string; message?: string } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not JSON: show the text.
  }
  if (parsed?.error?.type) return new ChatRequestError(parsed.error.type, parsed.error.message ?? '', statusCode);
  const kind: ChatFailureKind = statusCode === 403 || statusCode >= 500 ? 'unreachable' : 'answered';
  const message = parsed?.Message ?? parsed?.message;
  if (message) {
    const hint =
      statusCode === 403
        ? '; check the credentials (AWS_PROFILE), the region, and lambda:InvokeFunctionUrl on the function'
        : '';
    return new ChatRequestError(
      statusCode === 403 ? 'Forbidden' : `HTTP${statusCode}`,
      `${message}${hint}`,
      statusCode,
      kind,
    );
  }
  return new ChatRequestError(`HTTP${statusCode}`, text.slice(0, 500) || `status ${statusCode}`, statusCode, kind);
}
