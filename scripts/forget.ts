/**
 * `npm run forget -- --env <env> --user <userId> [--dry-run]`: invokes the environment's
 * forget function (deployed by `cdk deploy '<env>/*'`) and prints its audit report. The
 * function does the work with its own least-privilege role; the caller needs only
 * `lambda:InvokeFunction` on it. Region: the environment's `region` in cdk.json, else the
 * AWS environment (AWS_REGION, the profile). Exit code 0 when the report is complete, 1
 * when a call failed after retries (run it again: forgetting is idempotent), 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { isValidUserId } from '../lambda/contract/index.js';
import { formatForgetReport, type ForgetReport, type ForgetRequest } from '../lambda/forget/index.js';
import { ENVIRONMENTS_CONTEXT_KEY, parseEnvironmentsContext } from '../lib/config/environment-config.js';
import { forgetFunctionNameFor } from '../lib/stages/environment-stage.js';

const USAGE = 'usage: npm run forget -- --env <env> --user <userId> [--dry-run]';

export interface ForgetCliDependencies {
  readonly lambda: (region: string | undefined) => Pick<LambdaClient, 'send'>;
  readonly cdkJsonPath: string;
  readonly print: (text: string) => void;
}

/** Runs the command; resolves the exit code. */
export async function runForgetCli(argv: string[], dependencies: ForgetCliDependencies): Promise<number> {
  let values: { env?: string; user?: string; 'dry-run'?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { env: { type: 'string' }, user: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    dependencies.print(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { env, user } = values;
  if (env === undefined || user === undefined) {
    dependencies.print(`--env and --user are required\n${USAGE}`);
    return 2;
  }
  if (!isValidUserId(user)) {
    dependencies.print(`--user '${user}' is not a userId the converse API accepts, so it has nothing to forget`);
    return 2;
  }
  const cdkJson = JSON.parse(readFileSync(dependencies.cdkJsonPath, 'utf8')) as { context?: Record<string, unknown> };
  const environments = parseEnvironmentsContext(cdkJson.context?.[ENVIRONMENTS_CONTEXT_KEY]);
  const config = environments.find((candidate) => candidate.name === env);
  if (config === undefined) {
    dependencies.print(`--env '${env}' is not in cdk.json; known: ${environments.map((e) => e.name).join(', ')}`);
    return 2;
  }

  const functionName = forgetFunctionNameFor(env);
  const request: ForgetRequest = { userId: user, dryRun: values['dry-run'] ?? false };
  const output = await dependencies
    .lambda(config.region)
    .send(
      new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(request)) }),
    );
  const payload = output.Payload ? new TextDecoder().decode(output.Payload) : '';
  if (output.FunctionError !== undefined) {
    const { errorMessage } = (payload ? JSON.parse(payload) : {}) as { errorMessage?: string };
    dependencies.print(`forget failed in ${functionName}: ${errorMessage ?? output.FunctionError}`);
    return 1;
  }
  const report = JSON.parse(payload) as ForgetReport;
  dependencies.print(formatForgetReport(report));
  return report.complete ? 0 : 1;
}

if (require.main === module) {
  runForgetCli(process.argv.slice(2), {
    // The function may run for minutes (two sweeps and the wait between them).
    lambda: (region) => new LambdaClient({ region, requestHandler: { requestTimeout: 16 * 60_000 } }),
    cdkJsonPath: path.join(__dirname, '..', 'cdk.json'),
    print: (text) => console.log(text),
  }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
