import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  DEFAULT_SECOND_SWEEP_DELAY_SECONDS,
  ForgetEnvironment,
  namespaceTemplateErrors,
} from '../../lambda/contract/index.js';
import { BUNDLE_HANDLER } from '../converse/esbuild-code.js';
import type { IAgentMemory } from '../memory/agent-memory-base.js';
import { packageFunction } from '../functions/package-function.js';
import { acknowledgeTableKeyWildcards } from '../tables/table-grants.js';
import type { ISessionHistoryTable } from '../sessions/session-history-table.js';
import { throwIfInvalid } from '../validation/throw-if-invalid.js';
import { forgetCode } from './forget-code.js';

/** AgentCore extracts records some 30-60 s after events arrive; the second sweep waits past that. */
export const DEFAULT_SECOND_SWEEP_DELAY = Duration.seconds(DEFAULT_SECOND_SWEEP_DELAY_SECONDS);

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

/** Why the forget function needs no dead-letter queue, for cdk-nag. */
const NO_DEAD_LETTER_QUEUE_REASON =
  'Invoked synchronously by an operator (npm run forget) who receives the audit report or the error; Lambda sends synchronous invocations to no dead-letter queue, and a failed run is repeated by running forget again.';

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

    const packaged = packageFunction(this, {
      purpose: `Forget function ${this.node.path}`,
      functionName: props.functionName,
      code: forgetCode(),
      handler: BUNDLE_HANDLER,
      runtime: props.runtime,
      memorySize: 512,
      timeout,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      noDeadLetterQueueReason: NO_DEAD_LETTER_QUEUE_REASON,
      environment: {
        [ForgetEnvironment.memoryId]: props.memory.memoryId,
        [ForgetEnvironment.sessionTableName]: props.sessionTable.tableName,
        [ForgetEnvironment.namespaceTemplates]: Stack.of(this).toJsonString(props.memory.recordNamespaces),
        [ForgetEnvironment.extraNamespaceTemplates]: JSON.stringify(props.extraNamespaceTemplates ?? []),
        [ForgetEnvironment.secondSweepDelaySeconds]: String(secondSweepDelay.toSeconds()),
      },
    });
    this.function = packaged.function;
    this.role = packaged.role;
    this.logGroup = packaged.logGroup;

    props.memory.grantForget(this.role);
    props.sessionTable.grantForget(this.role);
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
  throwIfInvalid(`ForgetFunction props at ${where}`, errors);
}
