import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { acknowledgeNagRule } from './acknowledge.js';

/**
 * The runtime the package's functions default to: the one their shipped bundles are
 * built for and tested on.
 */
export const DEFAULT_FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The latest-runtime rules of the AwsSolutions and Serverless packs. */
export const LATEST_RUNTIME_RULES = ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion'] as const;

/** The newest Node.js runtime the installed aws-cdk-lib knows, found as cdk-nag finds it. */
export function newestNodejsRuntime(): lambda.Runtime {
  const version = (runtime: lambda.Runtime) => /^nodejs(\d+(?:\.\d+|\.x)?)/.exec(runtime.name)?.[1] ?? '0';
  const nodejs = lambda.Runtime.ALL.filter((runtime) => runtime.name.startsWith('nodejs'));
  return nodejs.reduce((newest, runtime) =>
    version(runtime).localeCompare(version(newest), undefined, { numeric: true, sensitivity: 'base' }) > 0
      ? runtime
      : newest,
  );
}

/**
 * For a function of the package: with the default runtime (`runtime` undefined) under an
 * aws-cdk-lib that knows a newer Node.js, the latest-runtime rules would flag it, so they
 * are acknowledged, saying why. A runtime the adopter picks is theirs to answer for:
 * nothing is acknowledged then.
 */
export function acknowledgeDefaultRuntime(fn: IConstruct, runtime: lambda.Runtime | undefined): void {
  if (runtime !== undefined) return;
  const newest = newestNodejsRuntime();
  if (newest.name === DEFAULT_FUNCTION_RUNTIME.name) return;
  for (const id of LATEST_RUNTIME_RULES) {
    acknowledgeNagRule(fn, {
      id,
      reason: `Runs ${DEFAULT_FUNCTION_RUNTIME.name}, the runtime the package's shipped bundle is built for and tested on, while this aws-cdk-lib also offers ${newest.name}; set the function's runtime prop to choose another runtime (and answer for this rule yourself).`,
    });
  }
}
