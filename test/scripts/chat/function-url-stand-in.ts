/** A stand-in for a Function URL on 127.0.0.1 that checks SigV4 signatures as Lambda does. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

export const ROOT = path.join(__dirname, '..', '..', '..');
export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
export const REGION = 'eu-west-1';

export interface Received {
  readonly body: Record<string, unknown>;
  readonly authorization: string;
}

/**
 * A stand-in for a Function URL on 127.0.0.1: it recomputes the SigV4 signature of each
 * request with the credentials the client should have used (403 unless it matches, like
 * Lambda), then streams the events the test scripts, waiting where told.
 */
export async function startServer(
  script: (received: Received, write: (event: string, data: unknown) => void) => Promise<void>,
) {
  const received: Received[] = [];
  const verifier = new SignatureV4({ service: 'lambda', region: REGION, credentials: CREDENTIALS, sha256: Sha256 });
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString();
        const authorization = request.headers.authorization ?? '';
        const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
        const amzDate = String(request.headers['x-amz-date']);
        const signingDate = new Date(
          `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
        );
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const expected = await verifier.sign(
          {
            method: request.method ?? 'POST',
            protocol: 'http:',
            hostname: '127.0.0.1',
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            headers: Object.fromEntries(
              signedHeaders
                .filter((name) => name !== 'authorization')
                .map((name) => [name, String(request.headers[name])]),
            ),
            body,
          },
          { signingDate },
        );
        const valid =
          /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request, /.test(authorization) &&
          signedHeaders.includes('host') &&
          expected.headers.authorization === authorization;
        if (!valid) {
          response.writeHead(403, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({
              Message: 'The request signature we calculated does not match the signature you provided.',
            }),
          );
          return;
        }
        const parsed = JSON.parse(body) as Record<string, unknown>;
        received.push({ body: parsed, authorization });
        if (typeof parsed.message === 'string' && parsed.message.length === 0) {
          response.writeHead(400, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { type: 'BadRequest', message: 'message must not be empty' } }));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        await script(received.at(-1)!, (event, data) =>
          response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        );
        response.end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const USAGE = {
  inputTokens: 10,
  outputTokens: 3,
  totalTokens: 13,
  cacheReadInputTokens: 8,
  cacheWriteInputTokens: 0,
};

export async function answer(received: Received, write: (event: string, data: unknown) => void) {
  write('session', {
    sessionId: (received.body.sessionId as string | undefined) ?? 's-1',
    newSession: !received.body.sessionId,
  });
  write('delta', { text: 'Hel' });
  write('delta', { text: 'lo' });
  write('done', { stopReason: 'end_turn', usage: USAGE });
}
