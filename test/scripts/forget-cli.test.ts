import * as path from 'node:path';
import { InvokeCommand, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import type { ForgetReport } from '../../lambda/forget/index.js';
import { runForgetCli } from '../../scripts/forget.js';

const CDK_JSON = path.join(__dirname, '..', '..', 'cdk.json');

const report: ForgetReport = {
  userId: 'bo',
  actorId: 'bo',
  memoryId: 'agent_memory_dev-AbCdEf1234',
  sessionTableName: 'sessions',
  dryRun: false,
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 93_400,
  namespacePrefixes: ['/facts/bo/', '/preferences/bo/', '/summaries/bo/'],
  namespacesTouched: ['/facts/bo/', '/summaries/bo/s-1/'],
  firstSweep: { agentCoreSessions: 1, events: 4, memoryRecords: 2, historySessions: 1, historyItems: 3 },
  secondSweep: { agentCoreSessions: 0, events: 0, memoryRecords: 1, historySessions: 0, historyItems: 0 },
  secondSweepDelaySeconds: 90,
  total: { agentCoreSessions: 1, events: 4, memoryRecords: 3, historySessions: 1, historyItems: 3 },
  calls: { DeleteEvent: 4, ListSessions: 2 },
  failures: [],
  complete: true,
};

function cli(reply: { Payload?: unknown; FunctionError?: string }) {
  const inputs: InvokeCommandInput[] = [];
  const regions: (string | undefined)[] = [];
  const printed: string[] = [];
  const run = (argv: string[]) =>
    runForgetCli(argv, {
      lambda: (region) => {
        regions.push(region);
        return {
          send: (async (command: InvokeCommand) => {
            inputs.push(command.input);
            return { StatusCode: 200, ...reply };
          }) as never,
        };
      },
      cdkJsonPath: CDK_JSON,
      print: (text) => printed.push(text),
    });
  return { run, inputs, regions, printed };
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('npm run forget', () => {
  test("invokes the environment's forget function with the user and prints the audit report", async () => {
    const { run, inputs, printed } = cli({ Payload: encode(report) });

    expect(await run(['--env', 'dev', '--user', 'bo'])).toBe(0);

    expect(inputs).toHaveLength(1);
    expect(inputs[0].FunctionName).toBe('agent-memory-forget-dev');
    expect(JSON.parse(new TextDecoder().decode(inputs[0].Payload as Uint8Array))).toEqual({
      userId: 'bo',
      dryRun: false,
    });
    expect(printed[0]).toContain('first sweep removed: 1 AgentCore sessions, 4 events, 2 long-term records');
    expect(printed[0]).toContain(
      'second sweep, 90 s later, removed: 0 AgentCore sessions, 0 events, 1 long-term records',
    );
    expect(printed[0]).toContain('complete: the user has nothing left');
  });

  test('--dry-run asks for a dry run', async () => {
    const { run, inputs } = cli({ Payload: encode({ ...report, dryRun: true, secondSweep: undefined }) });
    expect(await run(['--env', 'prod', '--user', 'alice@example.com', '--dry-run'])).toBe(0);
    expect(inputs[0].FunctionName).toBe('agent-memory-forget-prod');
    expect(JSON.parse(new TextDecoder().decode(inputs[0].Payload as Uint8Array))).toEqual({
      userId: 'alice@example.com',
      dryRun: true,
    });
  });

  test('an incomplete report exits 1 and lists what failed', async () => {
    const failed = {
      ...report,
      complete: false,
      failures: [{ operation: 'DeleteEvent', target: 'event e-1', error: 'AccessDeniedException: no' }],
    };
    const { run, printed } = cli({ Payload: encode(failed) });
    expect(await run(['--env', 'dev', '--user', 'bo'])).toBe(1);
    expect(printed[0]).toContain('INCOMPLETE: 1 call(s) failed after retries; run forget again');
    expect(printed[0]).toContain('DeleteEvent event e-1: AccessDeniedException: no');
  });

  test('a function error exits 1 with its message', async () => {
    const { run, printed } = cli({
      FunctionError: 'Unhandled',
      Payload: encode({ errorMessage: 'userId must be ...' }),
    });
    expect(await run(['--env', 'dev', '--user', 'bo'])).toBe(1);
    expect(printed[0]).toBe('forget failed in agent-memory-forget-dev: userId must be ...');
  });

  test.each([
    [['--user', 'bo'], '--env and --user are required'],
    [['--env', 'dev'], '--env and --user are required'],
    [['--env', 'qa', '--user', 'bo'], "--env 'qa' is not in cdk.json; known: dev, prod"],
    [['--env', 'dev', '--user', 'not a user'], "--user 'not a user' is not a userId the converse API accepts"],
    [['--env', 'dev', '--user', 'bo', '--force'], "Unknown option '--force'"],
  ])('%j exits 2 without invoking anything', async (argv, expected) => {
    const { run, inputs, printed } = cli({});
    expect(await run(argv)).toBe(2);
    expect(printed[0]).toContain(expected);
    expect(inputs).toHaveLength(0);
  });
});
