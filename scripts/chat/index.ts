/**
 * `npm run chat -- --env <env> [--agent default] [--user <id>] [--session <id>] [--message "..."]`
 *
 * Talks to the deployed converse function: finds its Function URL in the Stateless stack's
 * outputs, signs each request with SigV4 (the standard AWS credential chain), prints the
 * answer as it streams and keeps the session across messages. With --message it sends one
 * message, prints the answer and exits (0 on `done`, 1 on an error).
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { isValidUserId } from '../../lambda/contract/index.js';
import { parseEnvironmentsContext } from '../../lib/index.js';
import { describeFailure } from '../doctor/doctor.js';
import { stackOutputs } from '../doctor/deployed.js';
import type { ChatEvent } from './event-stream.js';
import { ChatRequestError, sendChatMessage } from './signed-client.js';

const USAGE =
  'usage: npm run chat -- --env <env> [--agent default] [--user <id>] [--session <id>] [--message "..."] [--url <function url>]';

/** Where the answer and the rest go: the answer on stdout, everything else on stderr. */
interface Output {
  answer(text: string): void;
  note(text: string): void;
}

const terminal: Output = {
  answer: (text) => process.stdout.write(text),
  note: (text) => process.stderr.write(`${text}\n`),
};

interface Conversation {
  readonly url: string;
  readonly region: string;
  readonly agentId: string;
  readonly userId: string;
  sessionId?: string;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        env: { type: 'string' },
        agent: { type: 'string', default: 'default' },
        user: { type: 'string' },
        session: { type: 'string' },
        message: { type: 'string' },
        url: { type: 'string' },
        region: { type: 'string' },
      },
    }));
  } catch (error) {
    terminal.note(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.env && !values.url) {
    terminal.note(USAGE);
    return 2;
  }
  const userId = values.user ?? defaultUserId();
  if (!isValidUserId(userId)) {
    terminal.note(`--user '${userId}' is not a valid userId: 1-64 printable ASCII characters without spaces`);
    return 2;
  }

  let url: string;
  let region: string;
  try {
    ({ url, region } = await locate(values.env, values.url, values.region));
  } catch (error) {
    const failure = describeFailure(error);
    terminal.note(`Cannot find the Function URL (${failure.type}): ${failure.message}`);
    return 2;
  }
  const conversation: Conversation = { url, region, agentId: values.agent, userId, sessionId: values.session };

  if (values.message !== undefined) {
    return (await converse(conversation, values.message, terminal)) ? 0 : 1;
  }
  return interactive(conversation);
}

/** The Function URL and its region: from --url, or from the environment's Stateless stack outputs. */
async function locate(env: string | undefined, url: string | undefined, regionFlag: string | undefined) {
  let region = regionFlag;
  if (!url) {
    const cdkJson = JSON.parse(readFileSync(path.join(process.cwd(), 'cdk.json'), 'utf8')) as {
      context?: { environments?: unknown };
    };
    const config = parseEnvironmentsContext(cdkJson.context?.environments).find((c) => c.name === env);
    if (!config) throw new Error(`cdk.json defines no environment '${env}'`);
    region ??= config.region;
    const outputs = await stackOutputs(new CloudFormationClient({ region }), `AgentMemory-${config.name}-Stateless`);
    url = outputs.ConverseUrl;
    if (!url) throw new Error(`stack AgentMemory-${config.name}-Stateless has no ConverseUrl output`);
  }
  // A Function URL names its region: https://<id>.lambda-url.<region>.on.aws/
  region ??= /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(new URL(url).hostname)?.[1] ?? process.env.AWS_REGION;
  if (!region) throw new Error('Region is missing: pass --region or export AWS_REGION');
  return { url, region };
}

let inFlight: AbortController | undefined;

/** Sends one message and renders its stream; true when the turn ended with `done`. */
async function converse(conversation: Conversation, message: string, output: Output): Promise<boolean> {
  inFlight = new AbortController();
  let ended: 'done' | 'error' | undefined;
  let answered = false;
  try {
    await sendChatMessage(
      {
        agentId: conversation.agentId,
        userId: conversation.userId,
        sessionId: conversation.sessionId,
        message,
      },
      {
        url: conversation.url,
        region: conversation.region,
        credentials: defaultProvider(),
        signal: inFlight.signal,
        onEvent: (event) => {
          const result = render(event, conversation, output, answered);
          if (event.event === 'delta') answered = true;
          ended ??= result;
        },
      },
    );
  } catch (error) {
    if (inFlight.signal.aborted) return false;
    if (answered) output.answer('\n');
    if (error instanceof ChatRequestError) output.note(`error [${error.type}]: ${error.message}`);
    else {
      const failure = describeFailure(error, conversation.region);
      output.note(`error [${failure.type}]: ${failure.message}`);
    }
    return false;
  } finally {
    inFlight = undefined;
  }
  if (ended === undefined) output.note('error [StreamEnded]: the stream ended without done or error');
  return ended === 'done';
}

function render(event: ChatEvent, conversation: Conversation, output: Output, answered: boolean) {
  const data = event.data;
  switch (event.event) {
    case 'session':
      if (typeof data.sessionId === 'string') {
        if (conversation.sessionId !== data.sessionId) output.note(`(session ${data.sessionId})`);
        conversation.sessionId = data.sessionId;
      }
      return undefined;
    case 'delta':
      output.answer(typeof data.text === 'string' ? data.text : '');
      return undefined;
    case 'done': {
      if (answered) output.answer('\n');
      const usage = (data.usage ?? {}) as Record<string, number>;
      output.note(
        `(${String(data.stopReason)} · ${usage.inputTokens ?? 0} input tokens, ${usage.cacheReadInputTokens ?? 0} from the cache · ${usage.outputTokens ?? 0} output tokens)`,
      );
      return 'done';
    }
    case 'error':
      if (answered) output.answer('\n');
      output.note(`error [${String(data.type)}]: ${String(data.message)}`);
      return 'error';
    default:
      return undefined;
  }
}

async function interactive(conversation: Conversation): Promise<number> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  terminal.note(
    `Chatting with agent '${conversation.agentId}' as '${conversation.userId}'. Ctrl-C or Ctrl-D leaves; the session id resumes it.`,
  );
  let closing = false;
  const leave = () => {
    if (closing) return;
    closing = true;
    inFlight?.abort();
    rl.close();
  };
  rl.on('SIGINT', leave);
  process.on('SIGINT', leave);

  rl.setPrompt('you> ');
  rl.prompt();
  for await (const line of rl) {
    const message = line.trim();
    if (message !== '') {
      rl.pause();
      await converse(conversation, message, terminal);
      if (closing) break;
      rl.resume();
    }
    rl.prompt();
  }
  process.off('SIGINT', leave);
  terminal.note(
    conversation.sessionId
      ? `\nBye. Resume with --session ${conversation.sessionId} --user ${conversation.userId}`
      : '\nBye.',
  );
  return 0;
}

function defaultUserId(): string {
  const name = os.userInfo().username.replace(/[^\x21-\x7e]/g, '');
  return `cli-${name || 'user'}`.slice(0, 64);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    terminal.note(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
