import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  Stage,
  type StackProps,
  type StageProps,
} from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { AgentDefinitionTable } from '../agent-definitions/agent-definition-table.js';
import type { EnvironmentConfig } from '../config/environment-config.js';
import { ConverseFunction } from '../converse/converse-function.js';
import { ForgetFunction } from '../forget/forget-function.js';
import { AgentMemory } from '../memory/agent-memory.js';
import { AgentMonitoring } from '../observability/agent-monitoring.js';
import { SessionHistoryTable } from '../sessions/session-history-table.js';

/** The prompt of the seeded `default` agent. */
export const DEFAULT_AGENT_PROMPT = 'You are a helpful assistant.';
export const DEFAULT_AGENT_ID = 'default';

/**
 * The forget function's name, so `npm run forget -- --env <env>` finds it without a
 * lookup. Function names are unique per account and region, so the environment is part of it.
 */
export function forgetFunctionNameFor(environmentName: string): string {
  return `agent-memory-forget-${environmentName}`;
}

/** AgentCore memory names are unique per account and region, so the environment is part of it. */
export function memoryNameFor(environmentName: string): string {
  return `agent_memory_${environmentName}`;
}

function daysOrUndefined(days: number | undefined): Duration | undefined {
  return days === undefined ? undefined : Duration.days(days);
}

export interface StatefulStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** Data that must outlive deployments of the function: the memory and both tables. */
export class StatefulStack extends Stack {
  readonly memory: AgentMemory;
  readonly agentTable: AgentDefinitionTable;
  readonly sessionTable: SessionHistoryTable;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.memory = new AgentMemory(this, 'Memory', {
      memoryName: memoryNameFor(config.name),
      description: `Chat agent memory for the ${config.name} environment`,
      eventExpiry: Duration.days(config.eventExpiryDays),
      factsAndPreferencesExpiry: daysOrUndefined(config.factsAndPreferencesExpiryDays),
      summariesAndEpisodesExpiry: daysOrUndefined(config.summariesAndEpisodesExpiryDays),
      removalPolicy,
    });
    this.agentTable = new AgentDefinitionTable(this, 'AgentDefinitions', {
      removalPolicy,
      seedLogRetention: config.logRetentionDays,
    });
    this.sessionTable = new SessionHistoryTable(this, 'SessionHistory', { removalPolicy });
    this.agentTable.addAgent({
      agentId: DEFAULT_AGENT_ID,
      basePrompt: DEFAULT_AGENT_PROMPT,
      foundationModel: config.models[0],
      memory: this.memory,
    });
  }
}

export interface StatelessStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly stateful: StatefulStack;
}

/** The `service` dimension of an environment's runtime metrics: environments sharing an account stay apart. */
export function serviceNameFor(environmentName: string): string {
  return `converse-${environmentName}`;
}

/** CloudWatch dashboard names are unique per account. */
export function dashboardNameFor(environmentName: string): string {
  return `AgentMemory-${environmentName}`;
}

/** The converse function, its monitoring and the forget function, replaceable without touching the data. */
export class StatelessStack extends Stack {
  readonly converse: ConverseFunction;
  readonly monitoring: AgentMonitoring;
  readonly forget: ForgetFunction;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    // Exports keep the data stack from dropping a table or the memory this function still uses.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.converse = new ConverseFunction(this, 'Converse', {
      agentTable: stateful.agentTable,
      sessionTable: stateful.sessionTable,
      memory: stateful.memory,
      models: config.models,
      logRetention: config.logRetentionDays,
      serviceName: serviceNameFor(config.name),
    });
    const alarms = config.alarms;
    this.monitoring = new AgentMonitoring(this, 'Monitoring', {
      converse: this.converse,
      memory: stateful.memory,
      dashboardName: dashboardNameFor(config.name),
      alarms: alarms && {
        topic: alarms.topicArn === undefined ? undefined : sns.Topic.fromTopicArn(this, 'AlarmTopic', alarms.topicArn),
        email: alarms.email,
        minCacheReadSharePercent: alarms.minCacheReadSharePercent,
      },
    });
    this.forget = new ForgetFunction(this, 'Forget', {
      memory: stateful.memory,
      sessionTable: stateful.sessionTable,
      functionName: forgetFunctionNameFor(config.name),
      logRetention: config.logRetentionDays,
    });
    new CfnOutput(this, 'ForgetFunctionName', {
      value: this.forget.function.functionName,
      description: 'Forget function: npm run forget -- --env <env> --user <userId> invokes it',
    });
    new CfnOutput(this, 'ConverseUrl', {
      value: this.converse.functionUrl.url,
      description: 'Converse endpoint (AWS_IAM auth, response streaming)',
    });
    new CfnOutput(this, 'MemoryId', { value: stateful.memory.memoryId, description: 'AgentCore memory id' });
    new CfnOutput(this, 'AgentTableName', {
      value: stateful.agentTable.tableName,
      description: 'Agent-definition table',
    });
    new CfnOutput(this, 'SessionTableName', {
      value: stateful.sessionTable.tableName,
      description: 'Session-history table',
    });
    new CfnOutput(this, 'ConverseFunctionName', {
      value: this.converse.function.functionName,
      description: 'Converse function',
    });
    new CfnOutput(this, 'DashboardName', { value: dashboardNameFor(config.name), description: 'CloudWatch dashboard' });
    if (this.monitoring.alarmTopic) {
      new CfnOutput(this, 'AlarmTopicArn', {
        value: this.monitoring.alarmTopic.topicArn,
        description: 'SNS topic the alarms notify',
      });
    }
  }
}

export interface EnvironmentStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** One environment: a stateful stack (memory, tables) and a stateless stack (function). */
export class EnvironmentStage extends Stage {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;

  constructor(scope: Construct, id: string, props: EnvironmentStageProps) {
    const { config } = props;
    super(scope, id, { ...props, env: props.env ?? { account: config.account, region: config.region } });
    this.stateful = new StatefulStack(this, 'Stateful', {
      config,
      stackName: `AgentMemory-${config.name}-Stateful`,
      description: `AgentCore memory and tables of the ${config.name} chat agents`,
    });
    this.stateless = new StatelessStack(this, 'Stateless', {
      config,
      stateful: this.stateful,
      stackName: `AgentMemory-${config.name}-Stateless`,
      description: `Converse function of the ${config.name} chat agents`,
    });
  }
}
