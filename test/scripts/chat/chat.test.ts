import { spawn } from 'node:child_process';
import { EventStreamParser, type ChatEvent } from '../../../scripts/chat/event-stream.js';
import { ChatRequestError, sendChatMessage } from '../../../scripts/chat/signed-client.js';
import { ROOT, CREDENTIALS, REGION, startServer, USAGE, answer } from './function-url-stand-in.js';

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
