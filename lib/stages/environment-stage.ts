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
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { AgentDefinitionTable } from '../agent-definitions/agent-definition-table.js';
import type { EnvironmentConfig } from '../config/environment-config.js';
import { ConverseFunction } from '../converse/converse-function.js';
import { ForgetFunction } from '../forget/forget-function.js';
import { AgentMemory } from '../memory/agent-memory.js';
import { AgentMonitoring } from '../observability/agent-monitoring.js';
import { SessionHistoryTable } from '../sessions/session-history-table.js';
import {
  dashboardNameFor,
  forgetFunctionNameFor,
  memoryNameFor,
  namePrefixError,
  serviceNameFor,
  stackNameFor,
} from './physical-names.js';

export { dashboardNameFor, forgetFunctionNameFor, memoryNameFor, serviceNameFor, stackNameFor };

/** The prompt of the seeded `default` agent. */
export const DEFAULT_AGENT_PROMPT = 'You are a helpful assistant.';
export const DEFAULT_AGENT_ID = 'default';

function daysOrUndefined(days: number | undefined): Duration | undefined {
  return days === undefined ? undefined : Duration.days(days);
}

export interface StatefulStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /**
   * Prefix of every physical name (see {@link EnvironmentStageProps.namePrefix}).
   * @default - no prefix
   */
  readonly namePrefix?: string;
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
    // An existing customer-managed key, for the memory and both tables.
    const dataKey = config.kmsKeyArn === undefined ? undefined : kms.Key.fromKeyArn(this, 'DataKey', config.kmsKeyArn);
    this.memory = new AgentMemory(this, 'Memory', {
      memoryName: memoryNameFor(config.name, props.namePrefix),
      kmsKey: dataKey,
      description: `Chat agent memory for the ${config.name} environment`,
      eventExpiry: Duration.days(config.eventExpiryDays),
      factsAndPreferencesExpiry: daysOrUndefined(config.factsAndPreferencesExpiryDays),
      summariesAndEpisodesExpiry: daysOrUndefined(config.summariesAndEpisodesExpiryDays),
      removalPolicy,
    });
    this.agentTable = new AgentDefinitionTable(this, 'AgentDefinitions', {
      removalPolicy,
      encryptionKey: dataKey,
      seedLogRetention: config.logRetentionDays,
    });
    this.sessionTable = new SessionHistoryTable(this, 'SessionHistory', { removalPolicy, encryptionKey: dataKey });
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
  /**
   * Prefix of every physical name (see {@link EnvironmentStageProps.namePrefix}).
   * @default - no prefix
   */
  readonly namePrefix?: string;
}

/** The converse function, its monitoring and the forget function, replaceable without touching the data. */
export class StatelessStack extends Stack {
  readonly converse: ConverseFunction;
  readonly monitoring: AgentMonitoring;
  readonly forget: ForgetFunction;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful, namePrefix } = props;
    // Exports keep the data stack from dropping a table or the memory this function still uses.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.converse = new ConverseFunction(this, 'Converse', {
      agentTable: stateful.agentTable,
      sessionTable: stateful.sessionTable,
      memory: stateful.memory,
      models: config.models,
      logRetention: config.logRetentionDays,
      serviceName: serviceNameFor(config.name, namePrefix),
    });
    const alarms = config.alarms;
    this.monitoring = new AgentMonitoring(this, 'Monitoring', {
      converse: this.converse,
      memory: stateful.memory,
      dashboardName: dashboardNameFor(config.name, namePrefix),
      alarms: alarms && {
        topic: alarms.topicArn === undefined ? undefined : sns.Topic.fromTopicArn(this, 'AlarmTopic', alarms.topicArn),
        email: alarms.email,
        minCacheReadSharePercent: alarms.minCacheReadSharePercent,
      },
    });
    this.forget = new ForgetFunction(this, 'Forget', {
      memory: stateful.memory,
      sessionTable: stateful.sessionTable,
      functionName: forgetFunctionNameFor(config.name, namePrefix),
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
    new CfnOutput(this, 'DashboardName', {
      value: dashboardNameFor(config.name, namePrefix),
      description: 'CloudWatch dashboard',
    });
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
  /**
   * Prefix of every physical name: stack names, the memory name, the forget function's
   * and the dashboard's names, and through the stack names every name CloudFormation
   * generates. Give each app that shares an account its own. Letters, digits and single
   * hyphens, at most 10 characters.
   * @default - no prefix (`AgentMemory-<env>-Stateful`, `agent_memory_<env>`, ...)
   */
  readonly namePrefix?: string;
}

/** One environment: a stateful stack (memory, tables) and a stateless stack (function). */
export class EnvironmentStage extends Stage {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;

  constructor(scope: Construct, id: string, props: EnvironmentStageProps) {
    const { config, namePrefix } = props;
    const prefixError = namePrefix === undefined ? undefined : namePrefixError(namePrefix);
    if (prefixError) throw new Error(`Invalid EnvironmentStage props at ${id}: namePrefix ${prefixError}`);
    super(scope, id, { ...props, env: props.env ?? { account: config.account, region: config.region } });
    this.stateful = new StatefulStack(this, 'Stateful', {
      config,
      namePrefix,
      stackName: stackNameFor(config.name, 'Stateful', namePrefix),
      description: `AgentCore memory and tables of the ${config.name} chat agents`,
    });
    this.stateless = new StatelessStack(this, 'Stateless', {
      config,
      stateful: this.stateful,
      namePrefix,
      stackName: stackNameFor(config.name, 'Stateless', namePrefix),
      description: `Converse function of the ${config.name} chat agents`,
    });
  }
}
