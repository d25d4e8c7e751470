/**
 * `agentcore-memory chat`: talks to a deployed converse function through its Function URL,
 * signing each request with SigV4 (the standard AWS credential chain), printing the answer
 * as it streams and keeping the session across messages. With --message it sends one
 * message and exits. Exit codes, one-shot and interactive alike: 0 answered; 1 the agent
 * answered with an error or refused the request; 2 could not reach it or authenticate.
 */
import * as os from 'node:os';
import * as readline from 'node:readline';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetFunctionUrlConfigCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { isValidUserId } from '../../lambda/contract/index.js';
import { describeAwsFailure, resolveAwsAccess, type AwsAccess } from '../cli/aws-preflight.js';
import {
  countOption,
  ExitCode,
  processIo,
  runCommand,
  secondsOption,
  stringOption,
  UsageError,
  type CommandIo,
  type CommandSpec,
} from '../cli/command-line.js';
import { repositoryEnvironment } from '../cli/repository-environment.js';
import { stackOutputs } from '../doctor/deployed.js';
import type { ChatEvent } from './event-stream.js';
import { ChatRequestError, sendChatMessage, type SendOptions } from './signed-client.js';

export const CHAT_COMMAND: CommandSpec = {
  name: 'chat',
  summary: 'talks to a deployed converse function, streaming its answers.',
  usage: [
    'chat --url <function url> [--agent <id>] [--user <id>] [--session <id>] [--message "..."]',
    'chat --function <name or ARN> [--region <region>] ...',
    'chat --env <env> ...          (in this package’s own repository)',
  ],
  options: {
    url: {
      type: 'string',
      value: 'function url',
      description: 'The converse Function URL (https://<id>.lambda-url.<region>.on.aws/); its region is read from it.',
    },
    function: {
      type: 'string',
      value: 'name or ARN',
      description: 'The converse function; its Function URL is looked up (lambda:GetFunctionUrlConfig).',
    },
    env: {
      type: 'string',
      value: 'env',
      description:
        'An environment of this package’s own app (reads ./cdk.json): the ConverseUrl output of stack AgentMemory-<env>-Stateless, in the environment’s region.',
    },
    region: {
      type: 'string',
      value: 'region',
      description: 'The function’s region (default: from the URL, else AWS_REGION or your profile’s).',
    },
    agent: { type: 'string', value: 'id', default: 'default', description: 'The agent to talk to (agentId).' },
    user: { type: 'string', value: 'id', description: 'The userId to talk as (default: cli-<your login>).' },
    session: {
      type: 'string',
      value: 'id',
      description: 'Resume this session; without it the first answer starts one.',
    },
    message: {
      type: 'string',
      value: 'text',
      description: 'Send this one message, print the answer and exit (for scripts).',
    },
    'connect-timeout': {
      type: 'string',
      value: 'seconds',
      default: '10',
      description: 'Longest wait for the connection.',
    },
    'idle-timeout': {
      type: 'string',
      value: 'seconds',
      default: '60',
      description: 'Longest wait for the next bytes of the answer (its start included) before giving up on it.',
    },
    retries: {
      type: 'string',
      value: 'count',
      default: '2',
      description: 'How often a busy function (503 or 429) is asked again, after its Retry-After (at most 30 s).',
    },
  },
  notes: [
    'Exit codes: 0 the agent answered; 1 the agent answered with an error or refused the request (a 4xx from the function, an error event); 2 could not reach it or authenticate (network, timeouts, credentials or a signature Lambda refused, still busy after the retries), with what to do. Interactive mode exits with the worst code of its messages.',
    'The answer goes to stdout; the session, usage and errors to stderr. The caller needs lambda:InvokeFunctionUrl and lambda:InvokeFunction on the function.',
  ],
};

interface Conversation {
  readonly send: Pick<SendOptions, 'url' | 'region' | 'credentials' | 'connectTimeoutMs' | 'idleTimeoutMs' | 'retries'>;
  readonly agentId: string;
  readonly userId: string;
  sessionId?: string;
}

export interface ChatCliDependencies {
  readonly access?: (regionFlag: string | undefined, configuredRegion: string | undefined) => Promise<AwsAccess>;
  readonly cloudFormationFor?: (access: AwsAccess) => Pick<CloudFormationClient, 'send'>;
  readonly lambdaFor?: (access: AwsAccess) => Pick<LambdaClient, 'send'>;
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function runChatCli(
  argv: readonly string[],
  io: CommandIo = processIo,
  dependencies: ChatCliDependencies = {},
): Promise<ExitCode> {
  return runCommand(CHAT_COMMAND, argv, io, async (values) => {
    const given = ['url', 'function', 'env'].filter((name) => values[name] !== undefined);
    if (given.length !== 1) {
      throw new UsageError(
        given.length === 0
          ? 'name the function: --url, --function or --env'
          : `use one of ${given.map((name) => `--${name}`).join(', ')}`,
      );
    }
    const userId = stringOption(values, 'user') ?? defaultUserId();
    if (!isValidUserId(userId)) {
      throw new UsageError(`--user '${userId}' is not a valid userId: 1-64 printable ASCII characters without spaces`);
    }
    const url = stringOption(values, 'url');
    const urlRegion = url === undefined ? undefined : regionOfUrl(url);
    const regionFlag = stringOption(values, 'region');
    const timeouts = {
      connectTimeoutMs: secondsOption(values, 'connect-timeout') * 1000,
      idleTimeoutMs: secondsOption(values, 'idle-timeout') * 1000,
      retries: countOption(values, 'retries'),
    };
    const env = stringOption(values, 'env');
    const repository = env === undefined ? undefined : await repositoryEnvironment(env);

    let access: AwsAccess;
    let functionUrl: string;
    try {
      access = await (dependencies.access ?? resolveAwsAccess)(regionFlag ?? urlRegion, repository?.config.region);
      functionUrl =
        url ?? (await locate(access, repository?.statelessStackName, stringOption(values, 'function'), dependencies));
    } catch (error) {
      const failure = describeAwsFailure(error, 'cloudformation:DescribeStacks or lambda:GetFunctionUrlConfig');
      io.stderr(`Cannot reach the function (${failure.type}): ${failure.message}\n`);
      return ExitCode.couldNotCheck;
    }
    const conversation: Conversation = {
      send: { url: functionUrl, region: access.region, credentials: access.credentials, ...timeouts },
      agentId: String(values.agent),
      userId,
      sessionId: stringOption(values, 'session'),
    };
    const message = stringOption(values, 'message');
    if (message !== undefined) return converse(conversation, message, io);
    return interactive(conversation, io, dependencies.stdin ?? process.stdin);
  });
}

/** A Function URL names its region: https://<id>.lambda-url.<region>.on.aws/ */
function regionOfUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `--url '${url}' is not a URL; give the Function URL, https://<id>.lambda-url.<region>.on.aws/`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(
      `--url '${url}' is not an http(s) URL; give the Function URL, https://<id>.lambda-url.<region>.on.aws/`,
    );
  }
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(parsed.hostname)?.[1];
}

/** The Function URL from a stack's ConverseUrl output, or the function's URL configuration. */
async function locate(
  access: AwsAccess,
  stackName: string | undefined,
  functionName: string | undefined,
  dependencies: ChatCliDependencies,
): Promise<string> {
  if (stackName !== undefined) {
    const client = dependencies.cloudFormationFor?.(access) ?? new CloudFormationClient(access);
    const outputs = await stackOutputs(client as CloudFormationClient, stackName);
    if (!outputs.ConverseUrl) throw new Error(`stack ${stackName} has no ConverseUrl output`);
    return outputs.ConverseUrl;
  }
  const client = dependencies.lambdaFor?.(access) ?? new LambdaClient(access);
  const { FunctionUrl } = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: functionName }));
  if (!FunctionUrl) throw new Error(`function ${functionName} has no Function URL`);
  return FunctionUrl;
}

let inFlight: AbortController | undefined;

/** Sends one message and renders its stream; the exit code it earns. */
async function converse(conversation: Conversation, message: string, io: CommandIo): Promise<ExitCode> {
  inFlight = new AbortController();
  let ended: 'done' | 'error' | undefined;
  let answered = false;
  try {
    await sendChatMessage(
      { agentId: conversation.agentId, userId: conversation.userId, sessionId: conversation.sessionId, message },
      {
        ...conversation.send,
        signal: inFlight.signal,
        onRetry: (status, delayMs, attempt) =>
          io.stderr(
            `(the function answered ${status}; asking again in ${Math.round(delayMs / 100) / 10} s, retry ${attempt})\n`,
          ),
        onEvent: (event) => {
          const result = render(event, conversation, io, answered);
          if (event.event === 'delta') answered = true;
          ended ??= result;
        },
      },
    );
  } catch (error) {
    if (inFlight.signal.aborted) return ExitCode.ok;
    if (answered) io.stdout('\n');
    if (error instanceof ChatRequestError) {
      io.stderr(`error [${error.type}]: ${error.message}\n`);
      return error.kind === 'answered' ? ExitCode.no : ExitCode.couldNotCheck;
    }
    const failure = describeAwsFailure(error);
    io.stderr(`error [${failure.type}]: ${failure.message}\n`);
    return ExitCode.couldNotCheck;
  } finally {
    inFlight = undefined;
  }
  if (ended === undefined) {
    io.stderr('error [StreamEnded]: the stream ended without done or error\n');
    return ExitCode.couldNotCheck;
  }
  return ended === 'done' ? ExitCode.ok : ExitCode.no;
}

function render(event: ChatEvent, conversation: Conversation, io: CommandIo, answered: boolean) {
  const data = event.data;
  switch (event.event) {
    case 'session':
      if (typeof data.sessionId === 'string') {
        if (conversation.sessionId !== data.sessionId) io.stderr(`(session ${data.sessionId})\n`);
        conversation.sessionId = data.sessionId;
      }
      return undefined;
    case 'delta':
      io.stdout(typeof data.text === 'string' ? data.text : '');
      return undefined;
    case 'done': {
      if (answered) io.stdout('\n');
      const usage = (data.usage ?? {}) as Record<string, number>;
      io.stderr(
        `(${String(data.stopReason)} · ${usage.inputTokens ?? 0} input tokens, ${usage.cacheReadInputTokens ?? 0} from the cache · ${usage.outputTokens ?? 0} output tokens)\n`,
      );
      return 'done';
    }
    case 'error':
      if (answered) io.stdout('\n');
      io.stderr(`error [${String(data.type)}]: ${String(data.message)}\n`);
      return 'error';
    default:
      return undefined;
  }
}

async function interactive(
  conversation: Conversation,
  io: CommandIo,
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<ExitCode> {
  const rl = readline.createInterface({ input: stdin, output: process.stderr, terminal: stdin.isTTY === true });
  io.stderr(
    `Chatting with agent '${conversation.agentId}' as '${conversation.userId}'. Ctrl-C or Ctrl-D leaves; the session id resumes it.\n`,
  );
  let closing = false;
  let worst: ExitCode = ExitCode.ok;
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
      worst = Math.max(worst, await converse(conversation, message, io)) as ExitCode;
      if (closing) break;
      rl.resume();
    }
    rl.prompt();
  }
  process.off('SIGINT', leave);
  io.stderr(
    conversation.sessionId
      ? `\nBye. Resume with --session ${conversation.sessionId} --user ${conversation.userId}\n`
      : '\nBye.\n',
  );
  if (worst !== ExitCode.ok) io.stderr(`(some messages failed: exit ${worst})\n`);
  return worst;
}

function defaultUserId(): string {
  const name = os.userInfo().username.replace(/[^\x21-\x7e]/g, '');
  return `cli-${name || 'user'}`.slice(0, 64);
}
