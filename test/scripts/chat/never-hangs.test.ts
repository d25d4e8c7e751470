import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { runChatCli, type ChatCliDependencies } from '../../../scripts/chat/index.js';
import { retryDelayMs, sendChatMessage } from '../../../scripts/chat/signed-client.js';
import type { AwsAccess } from '../../../scripts/cli/aws-preflight.js';
import { answer, CREDENTIALS, REGION, ROOT, startServer } from './function-url-stand-in.js';

const access =
  (credentials = CREDENTIALS) =>
  async (): Promise<AwsAccess> => ({
    region: REGION,
    credentials: async () => credentials,
  });

async function chat(argv: string[], dependencies: ChatCliDependencies = {}) {
  let stdout = '';
  let stderr = '';
  const started = Date.now();
  const code = await runChatCli(
    argv,
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    { access: access(), ...dependencies },
  );
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** A bare HTTP server on 127.0.0.1: `handle` gets each request and how many came before it. */
async function rawServer(handle: (response: http.ServerResponse, index: number) => void) {
  let count = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => handle(response, count++));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests: () => count,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const sse = (response: http.ServerResponse, event: string, data: unknown) =>
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
function answerHello(response: http.ServerResponse) {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  sse(response, 'session', { sessionId: 's-1', newSession: true });
  sse(response, 'delta', { text: 'Hello' });
  sse(response, 'done', { stopReason: 'end_turn', usage: {} });
  response.end();
}
const jsonError = (response: http.ServerResponse, status: number, body: unknown, headers = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};

describe('the chat client never hangs', () => {
  test('a function that never answers is given up after the idle timeout (exit 2)', async () => {
    const server = await rawServer(() => undefined);
    try {
      const run = await chat(['--url', server.url, '--message', 'Hi', '--idle-timeout', '0.3']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error [IdleTimeout]: no data from 127.0.0.1');
      expect(run.stderr).toContain('for 0.3 s; raise --idle-timeout');
      expect(run.ms).toBeLessThan(3_000);
    } finally {
      await server.close();
    }
  });

  test('a stream that stalls mid-answer is cut after the idle timeout (exit 2), the partial answer shown', async () => {
    const server = await rawServer((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(response, 'session', { sessionId: 's-1', newSession: true });
      sse(response, 'delta', { text: 'Partial' });
    });
    try {
      const run = await chat(['--url', server.url, '--message', 'Hi', '--idle-timeout', '0.3']);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('Partial\n');
      expect(run.stderr).toContain('error [IdleTimeout]');
    } finally {
      await server.close();
    }
  });

  test('a 503 with Retry-After is asked again after it, then answered (exit 0)', async () => {
    const server = await rawServer((response, index) =>
      index === 0
        ? jsonError(response, 503, { error: { type: 'Busy', message: 'try later' } }, { 'retry-after': '1' })
        : answerHello(response),
    );
    try {
      const run = await chat(['--url', server.url, '--message', 'Hi']);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('Hello\n');
      expect(server.requests()).toBe(2);
      expect(run.ms).toBeGreaterThanOrEqual(950);
      expect(run.stderr).toContain('(the function answered 503; asking again in 1 s, retry 1)');
    } finally {
      await server.close();
    }
  });

  test('a function still busy after the retries is given up (exit 2)', async () => {
    const server = await rawServer((response) =>
      jsonError(response, 503, { Message: 'Rate Exceeded.' }, { 'retry-after': '0' }),
    );
    try {
      const run = await chat(['--url', server.url, '--message', 'Hi', '--retries', '2']);
      expect(run.code).toBe(2);
      expect(server.requests()).toBe(3);
      expect(run.stderr).toContain('Rate Exceeded. (still 503 after 2 retries; try again later)');
    } finally {
      await server.close();
    }
  });

  test('a Retry-After longer than the cap is cut to it; an HTTP date is honoured', async () => {
    const server = await rawServer((response, index) =>
      index === 0 ? jsonError(response, 503, { Message: 'busy' }, { 'retry-after': '3600' }) : answerHello(response),
    );
    try {
      const delays: number[] = [];
      await sendChatMessage(
        { agentId: 'default', userId: 'u-1', message: 'Hi' },
        {
          url: server.url,
          region: REGION,
          credentials: CREDENTIALS,
          onEvent: () => undefined,
          maxRetryDelayMs: 50,
          onRetry: (_status, delayMs) => delays.push(delayMs),
        },
      );
      expect(delays).toEqual([50]);
    } finally {
      await server.close();
    }
    expect(retryDelayMs(new Date(10_000).toUTCString(), 0, 4_000)).toBe(6_000);
    expect(retryDelayMs(undefined, 2)).toBe(4_000);
  });
});

describe('chat exit codes', () => {
  test('wrong credentials give exit 2 with --url (Lambda refuses the signature) and with --env (CloudFormation does)', async () => {
    const server = await startServer(answer);
    const wrong = { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' };
    const cwd = process.cwd();
    try {
      const viaUrl = await chat(['--url', server.url, '--message', 'Hi'], { access: access(wrong) });
      process.chdir(ROOT);
      const viaEnv = await chat(['--env', 'dev', '--message', 'Hi'], {
        access: access(wrong),
        cloudFormationFor: () => ({
          send: (async (command: DescribeStacksCommand) => {
            expect(command.input.StackName).toBe('AgentMemory-dev-Stateless');
            throw Object.assign(new Error('The request signature we calculated does not match'), {
              name: 'SignatureDoesNotMatch',
            });
          }) as never,
        }),
      });

      expect(viaUrl.code).toBe(2);
      expect(viaEnv.code).toBe(2);
      expect(viaUrl.stderr).toContain('error [Forbidden]: The request signature we calculated does not match');
      expect(viaEnv.stderr).toContain('(BadCredentials): AWS did not accept the credentials');
    } finally {
      process.chdir(cwd);
      await server.close();
    }
  });

  test('a request the function refuses (4xx with its error) exits 1', async () => {
    const server = await rawServer((response) =>
      jsonError(response, 404, { error: { type: 'AgentNotFound', message: "no agent 'nope'" } }),
    );
    try {
      const run = await chat(['--url', server.url, '--agent', 'nope', '--message', 'Hi']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("error [AgentNotFound]: no agent 'nope'");
    } finally {
      await server.close();
    }
  });

  test('a function that cannot be reached exits 2', async () => {
    const server = await rawServer(() => undefined);
    const url = server.url;
    await server.close();
    const run = await chat(['--url', url, '--message', 'Hi']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error [ECONNREFUSED]: could not reach 127.0.0.1');
  });

  test('interactive mode exits with the worst code of its messages', async () => {
    const server = await rawServer((response, index) =>
      index === 0
        ? answerHello(response)
        : jsonError(response, 400, { error: { type: 'BadRequest', message: 'too long' } }),
    );
    try {
      const stdin = new PassThrough();
      const running = chat(['--url', server.url], { stdin });
      stdin.write('first\n');
      stdin.write('second\n');
      stdin.end();
      const run = await running;
      expect(server.requests()).toBe(2);
      expect(run.stdout).toBe('Hello\n');
      expect(run.stderr).toContain('error [BadRequest]: too long');
      expect(run.code).toBe(1);
    } finally {
      await server.close();
    }
  });

  test.each([
    [['--url', 'not a url', '--message', 'Hi'], "--url 'not a url' is not a URL"],
    [['--url', 'ftp://example.com/', '--message', 'Hi'], "--url 'ftp://example.com/' is not an http(s) URL"],
    [['--url', 'http://127.0.0.1:1/', '--idle-timeout', '0'], "--idle-timeout '0' is not a positive number of seconds"],
    [['--url', 'http://127.0.0.1:1/', '--connect-timeout', 'x'], "--connect-timeout 'x' is not a positive number"],
    [['--url', 'http://127.0.0.1:1/', '--retries', '1.5'], "--retries '1.5' is not a whole number"],
    [['--message', 'Hi'], 'name the function: --url, --function or --env'],
    [['--url', 'http://127.0.0.1:1/', '--function', 'f'], 'use one of --url, --function'],
    [['--url', 'http://127.0.0.1:1/', '--mesage', 'Hi'], "Unknown option '--mesage'"],
  ])('%j exits 2 naming the option', async (argv, message) => {
    const run = await chat(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
