import * as path from 'node:path';
import { InvokeCommand, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import type { AwsAccess } from '../../scripts/cli/aws-preflight.js';
import { runForgetCli } from '../../scripts/forget.js';

const ROOT = path.join(__dirname, '..', '..');

/** Whatever shape the function's report has: the CLI relies on `complete` alone. */
const report = {
  userId: 'bo',
  dryRun: false,
  removed: { events: 3, memoryRecords: 6 },
  alreadyGone: { events: 1 },
  namespacesTouched: ['/facts/bo/', '/summaries/bo/s-1/'],
  failures: [],
  complete: true,
};

const ACCESS: AwsAccess = {
  region: 'eu-west-1',
  credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
};

function cli(
  reply: { Payload?: unknown; FunctionError?: string } | Error,
  access: () => Promise<AwsAccess> = async () => ACCESS,
) {
  const inputs: InvokeCommandInput[] = [];
  const regions: (string | undefined)[][] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const run = (argv: string[]) =>
    runForgetCli(
      argv,
      { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) },
      {
        access: (flag, configured) => {
          regions.push([flag, configured]);
          return access();
        },
        lambdaFor: () => ({
          send: (async (command: InvokeCommand) => {
            inputs.push(command.input);
            if (reply instanceof Error) throw reply;
            return { StatusCode: 200, ...reply };
          }) as never,
        }),
      },
    );
  return { run, inputs, regions, out: () => stdout.join(''), err: () => stderr.join('') };
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const sentPayload = (input: InvokeCommandInput) => JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array));

describe('agentcore-memory forget', () => {
  test('invokes the function named with --function and prints whatever report it returns', async () => {
    const { run, inputs, regions, out, err } = cli({ Payload: encode(report) });

    expect(await run(['--function', 'my-forget', '--user', 'bo', '--region', 'eu-west-1'])).toBe(0);

    expect(inputs).toHaveLength(1);
    expect(inputs[0].FunctionName).toBe('my-forget');
    expect(sentPayload(inputs[0])).toEqual({ userId: 'bo', dryRun: false });
    expect(regions).toEqual([['eu-west-1', undefined]]);
    expect(out()).toContain('  removed:\n    events: 3\n    memoryRecords: 6');
    expect(out()).toContain('  alreadyGone:\n    events: 1');
    expect(out()).toContain('  namespacesTouched: /facts/bo/, /summaries/bo/s-1/');
    expect(err()).toContain('complete: the user has nothing left');
  });

  test('--json prints the report unchanged, and only it, on stdout', async () => {
    const { run, out } = cli({ Payload: encode(report) });
    expect(await run(['--function', 'my-forget', '--user', 'bo', '--json'])).toBe(0);
    expect(JSON.parse(out())).toEqual(report);
  });

  test("--env (in this repository) invokes that environment's function in its region", async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const { run, inputs, regions } = cli({ Payload: encode({ ...report, dryRun: true }) });
      expect(await run(['--env', 'prod', '--user', 'alice@example.com', '--dry-run'])).toBe(0);
      expect(inputs[0].FunctionName).toBe('agent-memory-forget-prod');
      expect(sentPayload(inputs[0])).toEqual({ userId: 'alice@example.com', dryRun: true });
      expect(regions[0][0]).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });

  test('an incomplete report exits 1 and says to run again', async () => {
    const failed = { ...report, complete: false, failures: [{ operation: 'DeleteEvent', target: 'event e-1' }] };
    const { run, out, err } = cli({ Payload: encode(failed) });
    expect(await run(['--function', 'f', '--user', 'bo'])).toBe(1);
    expect(out()).toContain('  failures:\n    - {"operation":"DeleteEvent","target":"event e-1"}');
    expect(err()).toContain('INCOMPLETE');
    expect(err()).toContain('run forget again');
  });

  test('a request the function refuses exits 1 with its message', async () => {
    const { run, err } = cli({
      FunctionError: 'Unhandled',
      Payload: encode({ errorType: 'ForgetRequestError', errorMessage: "unknown field 'dry_run'" }),
    });
    expect(await run(['--function', 'f', '--user', 'bo'])).toBe(1);
    expect(err()).toBe("forget refused or failed in f: ForgetRequestError: unknown field 'dry_run'\n");
  });

  test.each([
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      "Could not invoke f (NoCredentials): no AWS credentials found (Could not load credentials from any providers); set AWS_PROFILE, run 'aws sso login'",
    ],
    [
      'access denied',
      Object.assign(new Error('User: x is not authorized to perform: lambda:InvokeFunction'), {
        name: 'AccessDeniedException',
      }),
      'Could not invoke f (AccessDenied): User: x is not authorized to perform: lambda:InvokeFunction; this needs lambda:InvokeFunction on f',
    ],
    [
      'no such function',
      Object.assign(new Error('Function not found: f'), { name: 'ResourceNotFoundException' }),
      'Could not invoke f (FunctionNotFound): function f does not exist here; check the name and --region',
    ],
  ])('%s: exits 2 with what to do, not the raw SDK error', async (_case, error, message) => {
    const { run, err } = cli(error);
    expect(await run(['--function', 'f', '--user', 'bo'])).toBe(2);
    expect(err()).toContain(message);
  });

  test('missing credentials are found before anything is invoked', async () => {
    const { run, inputs, err } = cli({ Payload: encode(report) }, async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
    });
    expect(await run(['--function', 'f', '--user', 'bo'])).toBe(2);
    expect(inputs).toHaveLength(0);
    expect(err()).toContain('(NoCredentials)');
  });

  test.each([
    [['--user', 'bo'], 'name the forget function: --function, or --env'],
    [['--function', 'f'], '--user is required'],
    [['--function', 'f', '--env', 'dev', '--user', 'bo'], 'name the forget function'],
    [['--env', 'qa', '--user', 'bo'], "--env 'qa' is not in cdk.json; it defines dev, prod"],
    [['--function', 'f', '--user', 'not a user'], "--user 'not a user' is not a userId the converse API accepts"],
    [['--function', 'f', '--user', 'bo', '--force'], "Unknown option '--force'"],
    [['--function', 'f', '--user'], "Option '--user <value>' argument missing"],
  ])('%j exits 2 naming what is wrong, without invoking anything', async (argv, expected) => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const { run, inputs, err } = cli({});
      expect(await run(argv)).toBe(2);
      expect(err()).toContain(expected);
      expect(err()).toContain("Run 'agentcore-memory forget --help' for every option.");
      expect(inputs).toHaveLength(0);
    } finally {
      process.chdir(cwd);
    }
  });
});
