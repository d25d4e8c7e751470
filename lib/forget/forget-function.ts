import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ForgetEnvironment, namespaceTemplateErrors } from '../../lambda/contract/index.js';
import { BUNDLE_HANDLER } from '../converse/esbuild-code.js';
import type { IAgentMemory } from '../memory/agent-memory-base.js';
import { acknowledgeNagRule } from '../nag/acknowledge.js';
import { acknowledgeDefaultRuntime, DEFAULT_FUNCTION_RUNTIME } from '../nag/function-runtime.js';
import { acknowledgeTableKeyWildcards } from '../tables/table-grants.js';
import type { ISessionHistoryTable } from '../sessions/session-history-table.js';
import { forgetCode } from './forget-code.js';

/** AgentCore extracts records some 30-60 s after events arrive; the second sweep waits past that. */
export const DEFAULT_SECOND_SWEEP_DELAY = Duration.seconds(90);

export interface ForgetFunctionProps {
  /** The memory whose events and records are removed. */
  readonly memory: IAgentMemory;
  /**
   * The session-history table; it must have the owner index `SessionHistoryTable` creates
   * (`by-owner`, keyed by `user_id`), through which a user's sessions are found.
   */
  readonly sessionTable: ISessionHistoryTable;
  /**
   * The function's name, for callers that invoke it by name (`npm run forget` does).
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;
  /**
   * How long each sweep after the first waits, for records AgentCore extracts from events
   * that arrived just before; 0-10 minutes, and under half the timeout.
   * @default Duration.seconds(90)
   */
  readonly secondSweepDelay?: Duration;
  /**
   * Longest run: the sweeps and the waits between them. A further sweep (while extraction
   * is still pending for the user) starts only when it can finish within it. At most 15 minutes.
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * Namespace templates, each with `{actorId}`, whose actor-level roots are swept besides
   * the memory's own: list those of strategies since removed from the memory, whose
   * records stay in it (`'/old-notes/{actorId}/'`). The memory's current strategies (read
   * with GetMemory) and this package's default roots are swept anyway.
   * @default - none
   */
  readonly extraNamespaceTemplates?: readonly string[];
  /**
   * Retention of the function's log group, which keeps every audit report.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The Lambda runtime. The shipped bundle is built for and tested on Node.js 24; under an
   * aws-cdk-lib that offers a newer Node.js, the default's latest-runtime findings are
   * acknowledged for you. A runtime you set is yours to answer for.
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;
}

/**
 * Forgets a user on request: removes every short-term event and long-term record of the
 * user's actor from the memory and every item of the user from the session-history table,
 * then returns and logs an audit report. Its own role holds exactly the actions it calls
 * on this memory and this table; nothing else (the converse function) gains them.
 * Invoke it with `{ "userId": "...", "dryRun": true|false }`, for example with
 * `npm run forget`, after granting the caller {@link grantInvoke}.
 */
export class ForgetFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ForgetFunctionProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(15);
    const secondSweepDelay = props.secondSweepDelay ?? DEFAULT_SECOND_SWEEP_DELAY;
    validateProps(timeout, secondSweepDelay, props.extraNamespaceTemplates ?? [], this.node.path);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Forget function ${this.node.path}`,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, 'Resource', {
      functionName: props.functionName,
      code: forgetCode(),
      handler: BUNDLE_HANDLER,
      runtime: props.runtime ?? DEFAULT_FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        [ForgetEnvironment.memoryId]: props.memory.memoryId,
        [ForgetEnvironment.sessionTableName]: props.sessionTable.tableName,
        [ForgetEnvironment.namespaceTemplates]: Stack.of(this).toJsonString(props.memory.recordNamespaces),
        [ForgetEnvironment.extraNamespaceTemplates]: JSON.stringify(props.extraNamespaceTemplates ?? []),
        [ForgetEnvironment.secondSweepDelaySeconds]: String(secondSweepDelay.toSeconds()),
      },
    });

    props.memory.grantForget(this.role);
    props.sessionTable.grantForget(this.role);
    this.acknowledgeFindings();
    acknowledgeDefaultRuntime(this.function, props.runtime);
    acknowledgeTableKeyWildcards(this.role, props.sessionTable.table);
  }

  /**
   * Lets `grantee` run a forget: `lambda:InvokeFunction` on this function's unqualified
   * ARN, the one `npm run forget` invokes (no versions or aliases, so no wildcard).
   */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.function.functionArn],
    });
  }

  private acknowledgeFindings(): void {
    acknowledgeNagRule(this.function, {
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked synchronously by an operator (npm run forget) who receives the audit report or the error; Lambda sends synchronous invocations to no dead-letter queue, and a failed run is repeated by running forget again.',
    });
    acknowledgeNagRule(this.role.node.findChild('DefaultPolicy'), {
      id: 'AwsSolutions-IAM5',
      appliesTo: 'Resource::*',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource "*".',
    });
  }
}

function validateProps(
  timeout: Duration,
  secondSweepDelay: Duration,
  extraNamespaceTemplates: readonly string[],
  where: string,
): void {
  const errors: string[] = extraNamespaceTemplates.flatMap((template) =>
    namespaceTemplateErrors(template).map((error) => `extraNamespaceTemplates: ${error}`),
  );
  const timeoutSeconds = timeout.isUnresolved() ? undefined : timeout.toSeconds({ integral: false });
  if (timeoutSeconds !== undefined && (timeoutSeconds < 60 || timeoutSeconds > 900)) {
    errors.push(`timeout must be between 1 and 15 minutes (got ${timeoutSeconds} s)`);
  }
  if (!secondSweepDelay.isUnresolved()) {
    const delaySeconds = secondSweepDelay.toSeconds({ integral: false });
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > 600) {
      errors.push(`secondSweepDelay must be whole seconds between 0 and 10 minutes (got ${delaySeconds} s)`);
    } else if (timeoutSeconds !== undefined && delaySeconds >= timeoutSeconds / 2) {
      errors.push(
        `secondSweepDelay (${delaySeconds} s) must be under half the timeout (${timeoutSeconds} s), leaving time for both sweeps; shorten the delay or lengthen the timeout`,
      );
    }
  }
  if (errors.length > 0) throw new Error(`Invalid ForgetFunction props at ${where}:\n  - ${errors.join('\n  - ')}`);
}
