import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { EventStreamParser, type ChatEvent } from '../../../scripts/chat/event-stream.js';
import { ChatRequestError, sendChatMessage } from '../../../scripts/chat/signed-client.js';

const ROOT = path.join(__dirname, '..', '..', '..');
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const REGION = 'eu-west-1';

interface Received {
  readonly body: Record<string, unknown>;
  readonly authorization: string;
}

/**
 * A stand-in for a Function URL on 127.0.0.1: it recomputes the SigV4 signature of each
 * request with the credentials the client should have used (403 unless it matches, like
 * Lambda), then streams the events the test scripts, waiting where told.
 */
async function startServer(
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

const USAGE = { inputTokens: 10, outputTokens: 3, totalTokens: 13, cacheReadInputTokens: 8, cacheWriteInputTokens: 0 };

async function answer(received: Received, write: (event: string, data: unknown) => void) {
  write('session', {
    sessionId: (received.body.sessionId as string | undefined) ?? 's-1',
    newSession: !received.body.sessionId,
  });
  write('delta', { text: 'Hel' });
  write('delta', { text: 'lo' });
  write('done', { stopReason: 'end_turn', usage: USAGE });
}

describe('the event-stream parser', () => {
  test('yields events as their blank line arrives, across chunks cut anywhere, even inside a character', () => {
    const parser = new EventStreamParser();
    const bytes = Buffer.from(
      'event: delta\ndata: {"text":"héllo"}\n\nevent: done\ndata: {"stopReason":"end_turn"}\n\n',
    );
    const cut = bytes.indexOf(Buffer.from('é')) + 1;
    expect(parser.push(bytes.subarray(0, cut))).toEqual([]);
    expect(parser.push(bytes.subarray(cut, cut + 20))).toEqual([{ event: 'delta', data: { text: 'héllo' } }]);
    expect(parser.push(bytes.subarray(cut + 20))).toEqual([{ event: 'done', data: { stopReason: 'end_turn' } }]);
  });
});

describe('sendChatMessage', () => {
  test('signs for lambda with the credentials given, and hands over each event as it arrives', async () => {
    let releaseRest!: () => void;
    const restMayFollow = new Promise<void>((resolve) => (releaseRest = resolve));
    const server = await startServer(async (_received, write) => {
      write('session', { sessionId: 's-1', newSession: true });
      write('delta', { text: 'first' });
      await restMayFollow; // the rest follows only once the client has shown the first delta
      write('delta', { text: ' second' });
      write('done', { stopReason: 'end_turn', usage: USAGE });
    });
    try {
      const events: ChatEvent[] = [];
      await sendChatMessage(
        { agentId: 'default', userId: 'u-1', message: 'Hi' },
        {
          url: server.url,
          region: REGION,
          credentials: CREDENTIALS,
          onEvent: (event) => {
            events.push(event);
            if (event.event === 'delta' && event.data.text === 'first') releaseRest();
          },
        },
      );
      expect(events.map((event) => event.event)).toEqual(['session', 'delta', 'delta', 'done']);
      expect(server.received[0].body).toEqual({ agentId: 'default', userId: 'u-1', message: 'Hi' });
    } finally {
      await server.close();
    }
  });

  test('is refused, as Forbidden, when signed with other credentials', async () => {
    const server = await startServer(answer);
    try {
      const sent = sendChatMessage(
        { agentId: 'default', userId: 'u-1', message: 'Hi' },
        {
          url: server.url,
          region: REGION,
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-the-secret' },
          onEvent: () => undefined,
        },
      );
      await expect(sent).rejects.toMatchObject({ type: 'Forbidden', statusCode: 403 });
      expect(server.received).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test("reports the function's own error before streaming with its type", async () => {
    const server = await startServer(answer);
    try {
      const sent = sendChatMessage(
        { agentId: 'default', userId: 'u-1', message: '' },
        { url: server.url, region: REGION, credentials: CREDENTIALS, onEvent: () => undefined },
      );
      await expect(sent).rejects.toEqual(new ChatRequestError('BadRequest', 'message must not be empty', 400));
    } finally {
      await server.close();
    }
  });
});

describe('npm run chat', () => {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
  };
  function chat(args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli/index.ts', 'chat', ...args], {
      cwd: ROOT,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return {
      child,
      exited,
      get stdout() {
        return stdout;
      },
      get stderr() {
        return stderr;
      },
    };
  }
  const waitFor = async (condition: () => boolean) => {
    for (let i = 0; i < 600 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    if (!condition()) throw new Error('timed out');
  };

  test('one-shot: prints the answer on stdout, the session on stderr, and exits 0', async () => {
    const server = await startServer(answer);
    try {
      const run = chat(['--url', server.url, '--region', REGION, '--user', 'u-42', '--message', 'Hi there']);
      expect(await run.exited).toBe(0);
      expect(run.stdout).toBe('Hello\n');
      expect(run.stderr).toContain('(session s-1)');
      expect(run.stderr).toContain('end_turn · 10 input tokens, 8 from the cache · 3 output tokens');
      expect(server.received[0].body).toEqual({ agentId: 'default', userId: 'u-42', message: 'Hi there' });
    } finally {
      await server.close();
    }
  });

  test('one-shot: shows an error event with its type and exits 1', async () => {
    const server = await startServer(async (_received, write) => {
      write('session', { sessionId: 's-1', newSession: true });
      write('delta', { text: 'Partial' });
      write('error', { type: 'Timeout', message: 'The turn ran out of time.' });
    });
    try {
      const run = chat(['--url', server.url, '--region', REGION, '--message', 'Hi']);
      expect(await run.exited).toBe(1);
      expect(run.stdout).toBe('Partial\n');
      expect(run.stderr).toContain('error [Timeout]: The turn ran out of time.');
    } finally {
      await server.close();
    }
  });

  test('interactive: keeps the session id across messages and leaves cleanly on Ctrl-C', async () => {
    const server = await startServer(answer);
    try {
      const run = chat(['--url', server.url, '--region', REGION, '--user', 'u-7', '--agent', 'support']);
      run.child.stdin.write('first message\n');
      await waitFor(() => run.stdout.includes('Hello\n'));
      run.child.stdin.write('second message\n');
      await waitFor(() => server.received.length === 2 && run.stdout.split('Hello\n').length === 3);
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(server.received.map((request) => request.body)).toEqual([
        { agentId: 'support', userId: 'u-7', message: 'first message' },
        { agentId: 'support', userId: 'u-7', sessionId: 's-1', message: 'second message' },
      ]);
      expect(run.stderr).toContain('Resume with --session s-1 --user u-7');
      expect(run.stderr).not.toMatch(/at .*\(.*:\d+:\d+\)/); // no stack trace
    } finally {
      await server.close();
    }
  });
});
