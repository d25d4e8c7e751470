/**
 * The inspector's local web server: node:http on 127.0.0.1 and a port the system picks,
 * every request through the access guard first, then the page's three files, its JSON API
 * or the export download. Every answer carries a strict Content-Security-Policy (the page
 * loads nothing but its own files and talks to nothing but this server) and is never cached.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadPageAssets, type PageAsset } from '../page-assets.js';
import { AccessGuard } from './access-guard.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
} as const;

/** A JSON request body larger than this is refused (a memory's text is far shorter). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiRequest {
  readonly method: string;
  readonly pathname: string;
  readonly query: URLSearchParams;
  /** The parsed JSON body; undefined without one. */
  readonly body: unknown;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface InspectorSite {
  /** Answers `/api/...`. */
  readonly api: (request: ApiRequest) => Promise<ApiAnswer>;
  /** Streams the export into `response` after the headers are sent; the file name to offer. */
  readonly exportFileName: () => string;
  readonly writeExport: (response: ServerResponse) => Promise<void>;
  /** Told about every refused request, so the operator sees what was turned away. */
  readonly onRefused?: (description: string) => void;
  /** Called when the export fails after its first bytes went out (the download is cut short). */
  readonly onExportFailure?: (error: unknown) => void;
}

export interface RunningInspectorServer {
  /** The page with the one-time token: print it, open it once. */
  readonly url: string;
  readonly port: number;
  readonly guard: AccessGuard;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1; `port` 0 (the default) lets the system pick a free one. */
export async function startInspectorServer(site: InspectorSite, port = 0): Promise<RunningInspectorServer> {
  const assets = loadPageAssets();
  // The guard needs the port, known once listening; no request can name the port before.
  const listening: { guard?: AccessGuard } = {};
  const server: Server = createServer((request, response) => {
    if (listening.guard === undefined) return sendJson(response, 503, { error: 'starting' });
    handle(request, response, listening.guard, assets, site).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: messageOf(error) });
      else response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const guard = new AccessGuard((server.address() as AddressInfo).port);
  listening.guard = guard;
  return {
    url: guard.startUrl,
    port: (server.address() as AddressInfo).port,
    guard,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  guard: AccessGuard,
  assets: ReadonlyMap<string, PageAsset>,
  site: InspectorSite,
): Promise<void> {
  const decision = guard.decide(request);
  if (decision.kind === 'refused') {
    const from = request.headers.origin ?? request.headers['sec-fetch-site'] ?? 'no origin';
    site.onRefused?.(
      `${request.method} ${request.url?.split('?')[0]} (${from}): ${decision.status}, ${decision.reason}`,
    );
    request.resume();
    sendJson(response, decision.status, { error: decision.reason });
    return;
  }
  if (decision.kind === 'exchange') {
    response.writeHead(303, { ...SECURITY_HEADERS, 'set-cookie': decision.cookie, location: decision.location });
    response.end();
    return;
  }

  const method = request.method ?? 'GET';
  const { pathname, searchParams } = new URL(request.url ?? '/', guard.origin);
  const asset = assets.get(pathname);
  if (asset !== undefined) {
    if (method !== 'GET' && method !== 'HEAD')
      return sendJson(response, 405, { error: `${method} is not allowed here` });
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.contentType });
    response.end(method === 'HEAD' ? undefined : asset.body);
    return;
  }
  // Browsers ask for an icon on their own; there is none, and a 404 would read as an error.
  if (pathname === '/favicon.ico') {
    response.writeHead(204, SECURITY_HEADERS);
    response.end();
    return;
  }
  if (pathname === '/export') {
    if (method !== 'GET') return sendJson(response, 405, { error: `${method} is not allowed here` });
    return streamExport(response, site);
  }
  if (pathname.startsWith('/api/')) {
    const body = await readJsonBody(request);
    if (body === INVALID_BODY) return sendJson(response, 400, { error: 'the body must be JSON, at most 1 MB' });
    const answer = await site.api({ method, pathname, query: searchParams, body });
    return sendJson(response, answer.status, answer.body);
  }
  request.resume();
  sendJson(response, 404, { error: `nothing at ${pathname}` });
}

async function streamExport(response: ServerResponse, site: InspectorSite): Promise<void> {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="${site.exportFileName()}"`,
  });
  try {
    await site.writeExport(response);
    response.end();
  } catch (error) {
    // The status is already sent: cutting the download short is the only way to say it failed.
    site.onExportFailure?.(error);
    response.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

const INVALID_BODY = Symbol('invalid body');

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Read on and drop the rest: answering in the middle of an upload resets the connection.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) return INVALID_BODY;
  if (size === 0) return undefined;
  if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) return INVALID_BODY;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return INVALID_BODY;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
