/**
 * `agentcore-memory forget`: invokes a deployed forget function for one user and prints
 * the audit report it returns. The function does the work with its own least-privilege
 * role; the caller needs only `lambda:InvokeFunction` on it. Exit code 0 when the report
 * is complete, 1 when it is not or the function refused the request (run it again:
 * forgetting is idempotent), 2 when it could not be invoked.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { isValidUserId } from '../lambda/contract/index.js';
import { describeAwsFailure, resolveAwsAccess, type AwsAccess } from './cli/aws-preflight.js';
import {
  ExitCode,
  processIo,
  runCommand,
  stringOption,
  UsageError,
  type CommandIo,
  type CommandSpec,
} from './cli/command-line.js';
import { repositoryEnvironment } from './cli/repository-environment.js';

export const FORGET_COMMAND: CommandSpec = {
  name: 'forget',
  summary: 'forgets one user: invokes the forget function and prints its audit report.',
  usage: [
    'forget --function <name or ARN> --user <userId> [--dry-run] [--region <region>] [--json]',
    'forget --env <env> --user <userId> [--dry-run]      (in this package’s own repository)',
  ],
  options: {
    function: { type: 'string', value: 'name or ARN', description: 'The deployed forget function (ForgetFunction).' },
    env: {
      type: 'string',
      value: 'env',
      description:
        'An environment of this package’s own app (reads ./cdk.json): its forget function, in the environment’s region.',
    },
    user: { type: 'string', value: 'userId', description: 'The user to forget, as the converse API knows them.' },
    'dry-run': { type: 'boolean', description: 'Count what would be removed; change nothing.' },
    region: {
      type: 'string',
      value: 'region',
      description: 'The function’s region (default: the environment’s with --env, else AWS_REGION or your profile’s).',
    },
    json: { type: 'boolean', description: 'Print the function’s report as JSON on stdout, unchanged.' },
  },
  notes: [
    'Exit codes: 0 the report says complete (the user has nothing left; with --dry-run, the count finished); 1 the report is incomplete, or the function refused the request (run it again: forgetting is idempotent); 2 the function could not be invoked (no credentials or region, access denied, no such function), with what to do.',
    'The caller needs lambda:InvokeFunction on the function; it may run for minutes (two sweeps and the wait between them).',
  ],
};

export interface ForgetCliDependencies {
  readonly access?: (regionFlag: string | undefined, configuredRegion: string | undefined) => Promise<AwsAccess>;
  readonly lambdaFor?: (access: AwsAccess) => Pick<LambdaClient, 'send'>;
}

export function runForgetCli(
  argv: readonly string[],
  io: CommandIo = processIo,
  dependencies: ForgetCliDependencies = {},
): Promise<ExitCode> {
  return runCommand(FORGET_COMMAND, argv, io, async (values) => {
    const env = stringOption(values, 'env');
    const user = stringOption(values, 'user');
    let functionName = stringOption(values, 'function');
    if ((env === undefined) === (functionName === undefined)) {
      throw new UsageError('name the forget function: --function, or --env in this package’s repository (one of them)');
    }
    if (user === undefined) throw new UsageError('--user is required');
    if (!isValidUserId(user)) {
      throw new UsageError(`--user '${user}' is not a userId the converse API accepts, so it has nothing to forget`);
    }
    const repository = env === undefined ? undefined : await repositoryEnvironment(env);
    if (repository) {
      const { forgetFunctionNameFor } = await import('../lib/stages/physical-names.js');
      functionName = forgetFunctionNameFor(repository.config.name, repository.namePrefix);
    }

    let output;
    try {
      const access = await (dependencies.access ?? resolveAwsAccess)(
        stringOption(values, 'region'),
        repository?.config.region,
      );
      const lambda =
        dependencies.lambdaFor?.(access) ??
        // The function may run for minutes (two sweeps and the wait between them).
        new LambdaClient({ ...access, requestHandler: { requestTimeout: 16 * 60_000 } });
      const request = { userId: user, dryRun: values['dry-run'] === true };
      output = await lambda.send(
        new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(request)) }),
      );
    } catch (error) {
      const failure =
        error instanceof Error && error.name === 'ResourceNotFoundException'
          ? {
              type: 'FunctionNotFound',
              message: `function ${functionName} does not exist here; check the name and --region`,
            }
          : describeAwsFailure(error, `lambda:InvokeFunction on ${functionName}`);
      io.stderr(`Could not invoke ${functionName} (${failure.type}): ${failure.message}\n`);
      return ExitCode.couldNotCheck;
    }

    const payload = output.Payload ? new TextDecoder().decode(output.Payload) : '';
    if (output.FunctionError !== undefined) {
      const { errorType, errorMessage } = parseJson(payload) as { errorType?: string; errorMessage?: string };
      io.stderr(
        `forget refused or failed in ${functionName}: ${errorType ? `${errorType}: ` : ''}${errorMessage ?? output.FunctionError}\n`,
      );
      return ExitCode.no;
    }
    const report = parseJson(payload) as { complete?: unknown } | undefined;
    if (typeof report !== 'object' || report === null) {
      io.stderr(`${functionName} returned no report: ${payload.slice(0, 500)}\n`);
      return ExitCode.couldNotCheck;
    }
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, functionName ?? ''));
    if (report.complete === true) {
      io.stderr('complete: the user has nothing left\n');
      return ExitCode.ok;
    }
    io.stderr('INCOMPLETE: not everything was removed (see the failures above); run forget again, it is idempotent\n');
    return ExitCode.no;
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The report as the function wrote it, one `path: value` line per field, whatever its fields are. */
export function renderReport(report: object, functionName: string): string {
  const lines = [`Report of ${functionName}:`];
  const visit = (value: unknown, key: string, depth: number) => {
    const indent = '  '.repeat(depth);
    if (Array.isArray(value)) {
      if (value.every((entry) => typeof entry !== 'object' || entry === null)) {
        lines.push(`${indent}${key}: ${value.length === 0 ? '(none)' : value.join(', ')}`);
      } else {
        lines.push(`${indent}${key}:`);
        for (const entry of value) lines.push(`${indent}  - ${JSON.stringify(entry)}`);
      }
    } else if (typeof value === 'object' && value !== null) {
      lines.push(`${indent}${key}:`);
      for (const [child, entry] of Object.entries(value)) visit(entry, child, depth + 1);
    } else {
      lines.push(`${indent}${key}: ${String(value)}`);
    }
  };
  for (const [key, value] of Object.entries(report)) visit(value, key, 1);
  return `${lines.join('\n')}\n`;
}
