import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  DEFAULT_RUNTIME_SERVICE_NAME,
  RUNTIME_METRIC_NAMESPACE,
  RUNTIME_SERVICE_DIMENSION,
  RuntimeEnvironment,
  RuntimeMetricName,
  TURN_RESERVE_SECONDS,
} from '../../lambda/contract/index.js';
import type { IAgentDefinitionTable } from '../agent-definitions/agent-definition-table-base.js';
import type { IAgentMemory } from '../memory/agent-memory-base.js';
import { bedrockModelIdError, parseBedrockModelId } from '../models/bedrock-model-id.js';
import { packageFunction } from '../functions/package-function.js';
import { acknowledgeTableKeyWildcards } from '../tables/table-grants.js';
import type { ISessionHistoryTable } from '../sessions/session-history-table.js';
import { converseCode } from './converse-code.js';
import { agentCompatibilityErrors } from './agent-compatibility.js';
import { BUNDLE_HANDLER } from './esbuild-code.js';
import { throwIfInvalid } from '../validation/throw-if-invalid.js';
import { acknowledgeProfileModels, grantModels, grantVpcAccess } from './converse-grants.js';

export { BEDROCK_INVOKE_ACTIONS, VPC_ACCESS_ACTIONS } from './converse-grants.js';

export interface ConverseFunctionProps {
  /** The agent-definition table; the function reads one item per request. */
  readonly agentTable: IAgentDefinitionTable;
  /** The session-history table; the function reads and appends turns. */
  readonly sessionTable: ISessionHistoryTable;
  /** The AgentCore memory the agents' `memory_feature` names. */
  readonly memory: IAgentMemory;
  /**
   * Bedrock models the agents may call: foundation model ids, cross-region inference
   * profile ids (`us.`, `eu.`, ...) or application inference profile ARNs. Each is granted
   * `bedrock:InvokeModel` and `bedrock:InvokeModelWithResponseStream`; a profile's
   * foundation models are granted only through that profile (`bedrock:InferenceProfileArn`).
   */
  readonly models: string[];
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Memory of the function in MiB (128-10240); CPU scales with it, which shortens cold
   * starts and the JSON work of streaming.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Longest chat turn: more than 60 seconds, at most 15 minutes. The runtime ends a turn
   * `TURN_RESERVE_SECONDS` (of the contract: 30 s) before this; a turn with several tool
   * calls and a long answer can take minutes.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * The `service` of the function's logs and the `service` dimension of its metrics. Give
   * each function that shares an account and region its own, so their metrics stay apart.
   * @default 'converse'
   */
  readonly serviceName?: string;
  /**
   * A handler file of your own to bundle with esbuild during synth (esbuild must then be
   * installed); it must export `handler` as an `awslambda.streamifyResponse` function.
   * @default - the converse handler bundled with this package
   */
  readonly entry?: string;
  /**
   * The Lambda runtime. The shipped bundle is built for and tested on Node.js 24; under an
   * aws-cdk-lib that offers a newer Node.js, the default's latest-runtime findings
   * (AwsSolutions-L1, Serverless-LambdaLatestVersion) are acknowledged for you. A runtime
   * you set is yours to answer for: nothing is acknowledged.
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;
  /**
   * A VPC to run the function in. It must reach DynamoDB, AgentCore, Bedrock, CloudWatch
   * Logs and X-Ray (NAT or VPC endpoints). The role gets the ENI actions Lambda needs.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Where in `vpc` to place the function.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the function in `vpc`.
   * @default - a security group Lambda creates, allowing all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Concurrency reserved for the function, which also caps it.
   * @default - no reservation: the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Further environment variables, for a handler of your own (`entry`). The names the
   * runtime's contract sets (AGENT_TABLE_NAME, SESSION_TABLE_NAME, MEMORY_ID,
   * POWERTOOLS_SERVICE_NAME) are refused: set them through the other props.
   * @default - only the contract's variables
   */
  readonly environment?: Record<string, string>;
}

/** Why the converse function needs no dead-letter queue, for cdk-nag. */
const NO_DEAD_LETTER_QUEUE_REASON =
  'Invoked only synchronously through its Function URL: Lambda neither retries synchronous invocations nor sends them to a dead-letter queue, so a queue would never receive anything; the caller gets the error.';

/**
 * The converse Lambda: Node.js 24 on ARM64, bundled by esbuild as minified ESM with the
 * AWS SDK inside, its own role and log group, least-privilege grants, behind a Function
 * URL with AWS_IAM auth and response streaming.
 */
export class ConverseFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly functionUrl: lambda.FunctionUrl;
  /** The `service` dimension of the runtime's metrics. */
  readonly serviceName: string;
  /** Longest chat turn, as configured. */
  readonly timeout: Duration;
  /** The models the function may call, as configured. */
  readonly models: readonly string[];

  constructor(scope: Construct, id: string, props: ConverseFunctionProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(5);
    const memorySize = props.memorySize ?? 1024;
    this.timeout = timeout;
    this.serviceName = props.serviceName ?? DEFAULT_RUNTIME_SERVICE_NAME;
    const models = validateProps(props, timeout, memorySize, this.node.path);

    const packaged = packageFunction(this, {
      purpose: `Converse function ${this.node.path}`,
      code: converseCode(props.entry),
      handler: BUNDLE_HANDLER,
      runtime: props.runtime,
      memorySize,
      timeout,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      noDeadLetterQueueReason: NO_DEAD_LETTER_QUEUE_REASON,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        ...props.environment,
        [RuntimeEnvironment.agentTableName]: props.agentTable.tableName,
        [RuntimeEnvironment.sessionTableName]: props.sessionTable.tableName,
        [RuntimeEnvironment.memoryId]: props.memory.memoryId,
        [RuntimeEnvironment.serviceName]: this.serviceName,
      },
    });
    this.function = packaged.function;
    this.role = packaged.role;
    this.logGroup = packaged.logGroup;
    this.functionUrl = this.function.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.AWS_IAM,
      invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
    });

    props.agentTable.grantAgentRuntime(this.role);
    props.sessionTable.grantSessionRuntime(this.role);
    props.memory.grantAgentRuntime(this.role);
    grantModels(this.role, models);
    if (props.vpc) grantVpcAccess(this.role);
    acknowledgeProfileModels(this.role, models);
    acknowledgeTableKeyWildcards(this.role, props.sessionTable.table);
    this.models = models.map((model) => model.id);
    // Agents may be added after the function: check at synth, when the table is complete.
    this.node.addValidation({
      validate: () => agentCompatibilityErrors(props.agentTable, props.memory, this.models),
    });
  }

  /**
   * Lets `grantee` call the Function URL: `lambda:InvokeFunctionUrl` and
   * `lambda:InvokeFunction` on this function, both of which AWS requires of a caller of an
   * AWS_IAM Function URL.
   */
  grantInvokeUrl(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvokeUrl(grantee);
  }

  /**
   * A metric the runtime publishes, in its namespace and with the `service` dimension
   * Powertools adds. Sum over 5 minutes unless `props` say otherwise.
   */
  metricRuntime(metricName: RuntimeMetricName, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: RUNTIME_METRIC_NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.SUM,
      ...props,
      dimensionsMap: { [RUNTIME_SERVICE_DIMENSION]: this.serviceName, ...props?.dimensionsMap },
    });
  }

  /** Turns that ended with an `error` event, or a 500 before streaming. Sum over 5 minutes. */
  metricTurnErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricRuntime(RuntimeMetricName.turnErrors, props);
  }

  /** Failed AgentCore calls: memory retrieve, record, and turns not written to short-term memory. Sum over 5 minutes. */
  metricMemoryErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricRuntime(RuntimeMetricName.memoryErrors, props);
  }

  /** Turns the session-history table did not save. Sum over 5 minutes. */
  metricHistoryWriteErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricRuntime(RuntimeMetricName.historyWriteErrors, props);
  }

  /** How long the memory tool's `retrieve` took, in milliseconds. p99 over 5 minutes. */
  metricMemoryRetrieveLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricRuntime(RuntimeMetricName.memoryRetrieveLatency, { statistic: cloudwatch.Stats.p(99), ...props });
  }

  /**
   * The share of input tokens (in percent) read from the Bedrock prompt cache: cache reads
   * over all input tokens (plain, cache reads and cache writes), summed over 1 hour.
   */
  metricCacheReadShare(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    const period = props?.period ?? Duration.hours(1);
    return new cloudwatch.MathExpression({
      expression: '100 * cacheRead / (input + cacheRead + cacheWrite)',
      usingMetrics: {
        input: this.metricRuntime(RuntimeMetricName.inputTokens, { period }),
        cacheRead: this.metricRuntime(RuntimeMetricName.cacheReadInputTokens, { period }),
        cacheWrite: this.metricRuntime(RuntimeMetricName.cacheWriteInputTokens, { period }),
      },
      label: 'Prompt cache read share of input tokens (%)',
      ...props,
      period,
    });
  }
}

/** Checks every prop at once and throws one error listing every problem; tokens pass. */
function validateProps(props: ConverseFunctionProps, timeout: Duration, memorySize: number, where: string) {
  const { models } = props;
  const errors: string[] = [];
  const contractNames = new Set<string>(Object.values(RuntimeEnvironment));
  for (const name of Object.keys(props.environment ?? {}).filter((key) => contractNames.has(key))) {
    errors.push(`environment.${name} is set by the function itself from its props; leave it out of environment`);
  }
  const reserved = props.reservedConcurrentExecutions;
  if (reserved !== undefined && !Token.isUnresolved(reserved) && !(Number.isInteger(reserved) && reserved >= 1)) {
    errors.push(`reservedConcurrentExecutions must be a whole number of at least 1 (got ${reserved})`);
  }
  if (props.vpc === undefined && (props.vpcSubnets !== undefined || props.securityGroups !== undefined)) {
    errors.push('vpcSubnets and securityGroups need vpc: give the VPC they belong to');
  }
  if (!timeout.isUnresolved()) {
    const seconds = timeout.toSeconds({ integral: false });
    if (seconds <= 60 || seconds > 900) {
      errors.push(
        `timeout must be more than 60 seconds and at most 15 minutes (got ${seconds} s); the runtime stops a turn ${TURN_RESERVE_SECONDS} s before it`,
      );
    }
  }
  if (!Token.isUnresolved(memorySize) && !(Number.isInteger(memorySize) && memorySize >= 128 && memorySize <= 10240)) {
    errors.push(`memorySize must be a whole number of MiB between 128 and 10240 (got ${memorySize})`);
  }
  if (models.length === 0) errors.push('models must list at least one Bedrock model or inference profile id');
  const parsed = models.flatMap((id, index) => {
    if (Token.isUnresolved(id)) {
      errors.push(`models[${index}] must be a literal id: a token cannot be mapped to the ARNs to grant`);
      return [];
    }
    const model = parseBedrockModelId(id);
    if (!model) errors.push(`models[${index}]: ${bedrockModelIdError(id)}`);
    return model ? [model] : [];
  });
  throwIfInvalid(`ConverseFunction props at ${where}`, errors);
  return parsed;
}
