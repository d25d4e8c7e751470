import { RemovalPolicy, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledgeNagRule } from '../nag/acknowledge.js';
import { acknowledgeDefaultRuntime, DEFAULT_FUNCTION_RUNTIME } from '../nag/function-runtime.js';

/** The Lambda props a package function sets beyond the ones every package function shares. */
export type PackageFunctionSettings = Pick<
  lambda.FunctionProps,
  | 'functionName'
  | 'description'
  | 'vpc'
  | 'vpcSubnets'
  | 'securityGroups'
  | 'reservedConcurrentExecutions'
  | 'environment'
>;

export interface PackageFunctionProps extends PackageFunctionSettings {
  /** What the function is for, as its role's description says. */
  readonly purpose: string;
  readonly code: lambda.Code;
  readonly handler: string;
  /**
   * The runtime the adopter chose.
   * @default - DEFAULT_FUNCTION_RUNTIME, with its latest-runtime findings acknowledged
   */
  readonly runtime?: lambda.Runtime;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  /** Why the function needs no dead-letter queue: it depends on how the function is invoked. */
  readonly noDeadLetterQueueReason: string;
  /**
   * Why the function runs without X-Ray tracing.
   * @default - traced with X-Ray (active tracing)
   */
  readonly untracedReason?: string;
  /**
   * Ids of the role, the log group and the function under the scope.
   * @default - `Role`, `Logs` and `Resource`
   */
  readonly ids?: { readonly role: string; readonly logGroup: string; readonly function: string };
}

/** A function of the package with the role and the log group that are its alone. */
export interface PackageFunction {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

const DEFAULT_IDS = { role: 'Role', logGroup: 'Logs', function: 'Resource' } as const;

const XRAY_WILDCARD_REASON =
  'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource "*".';

/**
 * One of the package's functions, each built the same way: its own role (which may write
 * only to its own log group, which is destroyed with it), ARM64, and the cdk-nag findings
 * every such function raises acknowledged with the reason that fits it. The caller adds the
 * grants of what the function calls.
 */
export function packageFunction(scope: Construct, props: PackageFunctionProps): PackageFunction {
  const ids = props.ids ?? DEFAULT_IDS;
  const role = new iam.Role(scope, ids.role, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.purpose,
  });
  const logGroup = new logs.LogGroup(scope, ids.logGroup, {
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  logGroup.grantWrite(role);
  const fn = new lambda.Function(scope, ids.function, {
    functionName: props.functionName,
    description: props.description,
    code: props.code,
    handler: props.handler,
    runtime: props.runtime ?? DEFAULT_FUNCTION_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role,
    logGroup,
    tracing: props.untracedReason === undefined ? lambda.Tracing.ACTIVE : undefined,
    vpc: props.vpc,
    vpcSubnets: props.vpcSubnets,
    securityGroups: props.securityGroups,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    environment: props.environment,
  });

  acknowledgeNagRule(fn, { id: 'Serverless-LambdaDLQ', reason: props.noDeadLetterQueueReason });
  if (props.untracedReason === undefined) {
    acknowledgeNagRule(role.node.findChild('DefaultPolicy'), {
      id: 'AwsSolutions-IAM5',
      appliesTo: 'Resource::*',
      reason: XRAY_WILDCARD_REASON,
    });
  } else {
    acknowledgeNagRule(fn, { id: 'Serverless-LambdaTracing', reason: props.untracedReason });
  }
  acknowledgeDefaultRuntime(fn, props.runtime);
  return { function: fn, role, logGroup };
}
