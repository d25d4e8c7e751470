import { Duration, Stack } from 'aws-cdk-lib';
import type * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { TURN_RESERVE_SECONDS } from '../../lambda/contract/index.js';
import type { ConverseFunction } from '../converse/converse-function.js';
import type { IAgentMemory } from '../memory/agent-memory-base.js';
import { acknowledgeNagRule } from '../nag/acknowledge.js';
import { throwIfInvalid } from '../validation/throw-if-invalid.js';
import { AgentMemoryMetrics } from './memory-metrics.js';

/** The runtime ends a turn this long before the function's timeout (its own deadline). */
export const TURN_DEADLINE_MARGIN = Duration.seconds(TURN_RESERVE_SECONDS);

/** The AgentCore operations the converse runtime calls on its memory. */
export const RUNTIME_MEMORY_OPERATIONS = ['CreateEvent', 'RetrieveMemoryRecords'] as const;

/** Alarm thresholds, each over one 5-minute period unless noted. */
export const AGENT_ALARM_THRESHOLDS = {
  /** Any function error: the runtime answers failures itself, so an error here is a crash. */
  functionErrors: 1,
  /** Any throttled invocation: a caller was turned away. */
  functionThrottles: 1,
  /** Turns ending in an `error` event or a 500. */
  turnErrors: 5,
  /** Failed memory calls; the turn still answers, without memory. */
  memoryErrors: 5,
  /** Any turn the session-history table did not save: that conversation lost a turn. */
  historyWriteErrors: 1,
  /** p99 of `retrieve` in milliseconds; the runtime gives up on a retrieval after 5 s. */
  memoryRetrieveLatencyP99Ms: 4_000,
  /** AgentCore's own error count per operation. */
  memoryApiErrors: 5,
} as const;

export interface AgentMonitoringAlarmOptions {
  /**
   * An existing topic that receives alarm and OK notifications.
   * @default - a topic of its own, encrypted with a customer-managed key
   */
  readonly topic?: sns.ITopic;
  /**
   * An email address subscribed to the topic the construct creates (ignored with `topic`).
   * @default - no subscription; subscribe to `alarmTopic` yourself
   */
  readonly email?: string;
  /**
   * Alarm when the prompt cache serves less than this share (percent) of input tokens over
   * an hour. Models or prompts below the cache's minimum prefix never read from it.
   * @default - no alarm on the cache read share
   */
  readonly minCacheReadSharePercent?: number;
}

export interface AgentMonitoringProps {
  /** The converse function whose metrics, and whose runtime's metrics, to watch. */
  readonly converse: ConverseFunction;
  /**
   * The AgentCore memory: an `AgentMemory`, one imported with
   * `AgentMemory.fromAgentMemoryAttributes`, or an aws-cdk-lib `Memory`. Its metrics are
   * built from its ARN, so any of them works.
   */
  readonly memory: IAgentMemory | agentcore.IMemory;
  /**
   * Dashboard name.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
  /**
   * Alarms and where they notify.
   * @default - no alarms: the dashboard only
   */
  readonly alarms?: AgentMonitoringAlarmOptions;
}

/**
 * One CloudWatch dashboard for a chat-agent deployment (the function, the runtime's own
 * metrics, the AgentCore memory, the prompt cache) and, when asked, alarms on them that
 * notify an SNS topic on ALARM and on OK.
 */
export class AgentMonitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm, in the order the dashboard shows them. */
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Where alarms notify, when there are alarms. */
  readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: AgentMonitoringProps) {
    super(scope, id);
    const { converse } = props;
    const memory = new AgentMemoryMetrics(props.memory);
    const fiveMinutes = Duration.minutes(5);
    validate(props, this.node.path);

    const deadline = turnDeadline(converse);
    const invocations = converse.function.metricInvocations({ period: fiveMinutes, statistic: 'Sum' });
    const errors = converse.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' });
    const throttles = converse.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' });
    const durationP99 = converse.function.metricDuration({ period: fiveMinutes, statistic: 'p99' });
    const turns = converse.metricRuntime('Turns', { period: fiveMinutes });
    const turnErrors = converse.metricTurnErrors({ period: fiveMinutes });
    const memoryErrors = converse.metricMemoryErrors({ period: fiveMinutes });
    const historyWriteErrors = converse.metricHistoryWriteErrors({ period: fiveMinutes });
    const retrieveP99 = converse.metricMemoryRetrieveLatency({ period: fiveMinutes });
    const cacheReadShare = converse.metricCacheReadShare();
    // Alarms take the metric without a label: a label would render it as a metric-math query.
    const memoryApiErrors = RUNTIME_MEMORY_OPERATIONS.map((operation) =>
      memory.errors(operation, { period: fiveMinutes }),
    );

    if (props.alarms) {
      this.alarmTopic = props.alarms.topic ?? this.createTopic(props.alarms.email);
      const action = new cloudwatchActions.SnsAction(this.alarmTopic);
      const alarm = (
        alarmId: string,
        metric: cloudwatch.IMetric,
        threshold: number,
        description: string,
        comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      ) => {
        const created = new cloudwatch.Alarm(this, alarmId, {
          metric,
          threshold,
          comparisonOperator,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: description,
        });
        created.addAlarmAction(action);
        created.addOkAction(action);
        this.alarms.push(created);
      };
      const t = AGENT_ALARM_THRESHOLDS;
      alarm('FunctionErrors', errors, t.functionErrors, 'The converse function failed outside its own error handling.');
      alarm('FunctionThrottles', throttles, t.functionThrottles, 'Lambda throttled converse invocations.');
      alarm(
        'DurationNearTimeout',
        durationP99,
        deadline.toMilliseconds(),
        `p99 duration reached the runtime's turn deadline (${deadline.toSeconds()} s, the timeout less ${TURN_DEADLINE_MARGIN.toSeconds()} s): turns are being cut short.`,
      );
      alarm('TurnErrors', turnErrors, t.turnErrors, 'Turns ended with an error event.');
      alarm(
        'MemoryErrors',
        memoryErrors,
        t.memoryErrors,
        'AgentCore memory calls failed; turns answered without memory.',
      );
      alarm('HistoryWriteErrors', historyWriteErrors, t.historyWriteErrors, 'Turns were not saved to session history.');
      alarm(
        'MemoryRetrieveLatency',
        retrieveP99,
        t.memoryRetrieveLatencyP99Ms,
        'p99 of memory retrieval is close to the 5 s after which the runtime gives up on it.',
      );
      RUNTIME_MEMORY_OPERATIONS.forEach((operation, index) =>
        alarm(
          `Memory${operation}Errors`,
          memoryApiErrors[index],
          t.memoryApiErrors,
          `AgentCore reported errors for ${operation} on the memory.`,
        ),
      );
      if (props.alarms.minCacheReadSharePercent !== undefined) {
        alarm(
          'CacheReadShare',
          cacheReadShare,
          props.alarms.minCacheReadSharePercent,
          `Under ${props.alarms.minCacheReadSharePercent}% of input tokens came from the prompt cache over an hour.`,
          cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        );
      }
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    if (this.alarms.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 }),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Converse function: invocations, errors, throttles',
        left: [invocations, errors, throttles],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Converse function: p99 duration',
        left: [durationP99],
        leftAnnotations: [{ value: deadline.toMilliseconds(), label: 'turn deadline' }],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Runtime: turns and errors',
        left: [turns, turnErrors, memoryErrors, historyWriteErrors],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Runtime: memory retrieve latency (p99, ms)',
        left: [retrieveP99],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'AgentCore memory: calls and errors',
        left: RUNTIME_MEMORY_OPERATIONS.map((operation) =>
          memory.invocations(operation, { period: fiveMinutes, label: `${operation} calls` }),
        ),
        right: RUNTIME_MEMORY_OPERATIONS.map((operation) =>
          memory.errors(operation, { period: fiveMinutes, label: `${operation} errors` }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'AgentCore memory: latency (ms)',
        left: RUNTIME_MEMORY_OPERATIONS.map((operation) =>
          memory.latency(operation, { period: fiveMinutes, label: operation }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'AgentCore memory: events stored, records extracted',
        left: [
          memory.eventsCreated({ period: fiveMinutes, label: 'events' }),
          memory.recordsExtracted({ period: fiveMinutes, label: 'records extracted' }),
        ],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Prompt cache: read share of input tokens (%)',
        left: [cacheReadShare],
        leftYAxis: { min: 0, max: 100 },
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Input tokens: plain, cache read, cache write',
        left: [
          converse.metricRuntime('InputTokens', { period: Duration.hours(1) }),
          converse.metricRuntime('CacheReadInputTokens', { period: Duration.hours(1) }),
          converse.metricRuntime('CacheWriteInputTokens', { period: Duration.hours(1) }),
        ],
        width: 12,
      }),
    );
  }

  /** An SNS topic encrypted with a rotating key CloudWatch may use, TLS-only, optionally with an email subscription. */
  private createTopic(email: string | undefined): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `Encrypts the alarm topic of ${this.node.path}`,
      enableKeyRotation: true,
    });
    // CloudWatch publishes to an encrypted topic only when the key lets it encrypt.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    if (email !== undefined) {
      const subscription = topic.addSubscription(new subscriptions.EmailSubscription(email));
      acknowledgeNagRule(subscription, {
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'Alarm notifications to a person by email: SNS retries delivery, and the alarm state stays on the dashboard and in CloudWatch, so a dead-letter queue would hold copies nobody reads.',
      });
    }
    return topic;
  }
}

function turnDeadline(converse: ConverseFunction): Duration {
  return Duration.seconds(converse.timeout.toSeconds() - TURN_DEADLINE_MARGIN.toSeconds());
}

function validate(props: AgentMonitoringProps, where: string): void {
  const errors: string[] = [];
  const share = props.alarms?.minCacheReadSharePercent;
  if (share !== undefined && !(share >= 0 && share <= 100)) {
    errors.push(`alarms.minCacheReadSharePercent must be between 0 and 100 (got ${share})`);
  }
  if (props.alarms?.topic && props.alarms.email !== undefined) {
    errors.push('alarms: give either topic or email, not both; subscribe the address to your topic instead');
  }
  if (props.converse.timeout.isUnresolved()) {
    errors.push("the converse function's timeout must be known at synth to place the duration alarm");
  }
  throwIfInvalid(`AgentMonitoring props at ${where}`, errors);
}
