import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AgentDefinitionTable,
  AgentMemory,
  AgentMonitoring,
  type AgentMonitoringAlarmOptions,
  ConverseFunction,
  SessionHistoryTable,
} from '../../../lib/index.js';
import { renderJoin } from '../intrinsics.js';
import { nagFindings } from '../nag.js';

const FIXTURE_ENTRY = path.join(__dirname, '..', 'converse', 'fixtures', 'handler.ts');
const EXISTING_TOPIC = 'arn:aws:sns:eu-west-1:111122223333:platform-alarms';

function monitoredStack(alarms?: AgentMonitoringAlarmOptions | 'existing-topic', timeout = Duration.minutes(5)) {
  const stack = new Stack(new App(), 'Stack');
  const memory = new AgentMemory(stack, 'Memory', { memoryName: 'agent_memory_test' });
  const converse = new ConverseFunction(stack, 'Converse', {
    agentTable: new AgentDefinitionTable(stack, 'Agents'),
    sessionTable: new SessionHistoryTable(stack, 'Sessions'),
    memory,
    models: ['amazon.nova-pro-v1:0'],
    entry: FIXTURE_ENTRY,
    serviceName: 'converse-test',
    timeout,
  });
  const monitoring = new AgentMonitoring(stack, 'Monitoring', {
    converse,
    memory,
    dashboardName: 'AgentMemory-test',
    alarms: alarms === 'existing-topic' ? { topic: sns.Topic.fromTopicArn(stack, 'Existing', EXISTING_TOPIC) } : alarms,
  });
  const template = Template.fromStack(stack);
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  return { stack, memory, converse, monitoring, template, logicalId };
}

/** The one alarm whose logical id starts with the construct id given. */
function alarmNamed(template: Template, id: string) {
  const entries = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([logicalId]) =>
    logicalId.startsWith(`Monitoring${id}`),
  );
  expect(entries).toHaveLength(1);
  return entries[0][1].Properties;
}

describe('AgentMonitoring without alarms', () => {
  const { template } = monitoredStack();

  test('creates one dashboard and no alarm, topic or key', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('shows the function, runtime, AgentCore memory and prompt cache metrics on the dashboard', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = renderJoin(dashboard.Properties.DashboardBody);
    for (const expected of [
      '"AWS/Lambda","Errors"',
      '"AWS/Lambda","Throttles"',
      '"AWS/Lambda","Duration"',
      '"AgentCoreMemoryAgents","TurnErrors","service","converse-test"',
      '"AgentCoreMemoryAgents","MemoryErrors","service","converse-test"',
      '"AgentCoreMemoryAgents","HistoryWriteErrors","service","converse-test"',
      '"AgentCoreMemoryAgents","MemoryRetrieveLatency","service","converse-test"',
      '"AWS/Bedrock-AgentCore","Errors"',
      '"Operation","CreateEvent"',
      '"Operation","RetrieveMemoryRecords"',
      '"ItemType","MemoryRecordsExtracted"',
      '100 * cacheRead / (input + cacheRead + cacheWrite)',
      '"AgentCoreMemoryAgents","CacheReadInputTokens","service","converse-test"',
    ]) {
      expect(body).toContain(expected);
    }
  });
});

describe('AgentMonitoring with an email address', () => {
  const { template, logicalId, converse, memory } = monitoredStack({ email: 'ops@example.com' });
  const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
  const functionRef = { Ref: logicalId(converse.function) };
  const memoryArn = {
    'Fn::GetAtt': [logicalId({ node: { defaultChild: memory.memory.node.findChild('Memory') } }), 'MemoryArn'],
  };

  test('creates a TLS-only topic encrypted with a rotating key that CloudWatch may use, and subscribes the address', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
  });

  test('notifies the topic on ALARM and on OK from every alarm, and treats missing data as fine', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(9);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      expect(alarm.Properties.EvaluationPeriods).toBe(1);
    }
  });

  test.each([
    ['FunctionErrors', 'Errors'],
    ['FunctionThrottles', 'Throttles'],
  ])('%s: any Lambda %s of the function in 5 minutes', (id, metricName) => {
    expect(alarmNamed(template, id)).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: [{ Name: 'FunctionName', Value: functionRef }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test("DurationNearTimeout: p99 duration at the runtime's turn deadline, 30 s before the 5-minute timeout", () => {
    expect(alarmNamed(template, 'DurationNearTimeout')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      Dimensions: [{ Name: 'FunctionName', Value: functionRef }],
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 270_000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test.each([
    ['TurnErrors', 'TurnErrors', { Statistic: 'Sum' }, 5],
    ['MemoryErrors', 'MemoryErrors', { Statistic: 'Sum' }, 5],
    ['HistoryWriteErrors', 'HistoryWriteErrors', { Statistic: 'Sum' }, 1],
    ['MemoryRetrieveLatency', 'MemoryRetrieveLatency', { ExtendedStatistic: 'p99' }, 4_000],
  ])("%s: the runtime's %s with the function's service dimension", (id, metricName, statistic, threshold) => {
    expect(alarmNamed(template, id)).toMatchObject({
      Namespace: 'AgentCoreMemoryAgents',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'converse-test' }],
      ...statistic,
      Period: 300,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test.each(['CreateEvent', 'RetrieveMemoryRecords'])(
    "Memory%sErrors: AgentCore's Errors for the operation on this memory",
    (operation) => {
      const alarm = alarmNamed(template, `Memory${operation}Errors`);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/Bedrock-AgentCore',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 5,
      });
      expect(alarm.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'Resource', Value: memoryArn },
          { Name: 'Operation', Value: operation },
        ]),
      );
    },
  );

  test('has no cache read share alarm unless a minimum is given', () => {
    const ids = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(ids.some((id) => id.startsWith('MonitoringCacheReadShare'))).toBe(false);
  });

  test('puts the alarms on the dashboard', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(renderJoin(dashboard.Properties.DashboardBody)).toContain('"type":"alarm"');
  });
});

describe('AgentMonitoring with a minimum cache read share', () => {
  const { template } = monitoredStack({ minCacheReadSharePercent: 40 });

  test('alarms when under that share of input tokens came from the cache over an hour', () => {
    const alarm = alarmNamed(template, 'CacheReadShare');
    expect(alarm.Threshold).toBe(40);
    expect(alarm.ComparisonOperator).toBe('LessThanThreshold');
    const expression = alarm.Metrics.find((metric: { Expression?: string }) => metric.Expression);
    expect(expression.Expression).toBe('100 * cacheRead / (input + cacheRead + cacheWrite)');
    const inputs = alarm.Metrics.filter((metric: { MetricStat?: unknown }) => metric.MetricStat);
    expect(
      inputs.map((metric: { Id: string; MetricStat: { Metric: { MetricName: string }; Period: number } }) => [
        metric.Id,
        metric.MetricStat.Metric.MetricName,
        metric.MetricStat.Period,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['input', 'InputTokens', 3600],
        ['cacheRead', 'CacheReadInputTokens', 3600],
        ['cacheWrite', 'CacheWriteInputTokens', 3600],
      ]),
    );
  });
});

describe('AgentMonitoring with an existing topic', () => {
  const { template } = monitoredStack('existing-topic', Duration.minutes(10));

  test('notifies that topic and creates neither topic nor key', () => {
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([EXISTING_TOPIC]);
    }
  });

  test('places the duration alarm 30 s before a longer timeout', () => {
    expect(alarmNamed(template, 'DurationNearTimeout').Threshold).toBe(570_000);
  });
});

describe('AgentMonitoring checks', () => {
  test.each([
    ['with an email', { email: 'ops@example.com' } as const],
    ['with an existing topic', 'existing-topic' as const],
    ['without alarms', undefined],
  ])('leaves no AwsSolutions or Serverless finding, %s', (_case, alarms) => {
    const { stack } = monitoredStack(alarms);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('rejects a topic together with an email, and a share outside 0-100, naming both', () => {
    expect(() => {
      const stack = new Stack(new App(), 'Stack');
      const memory = new AgentMemory(stack, 'Memory', { memoryName: 'agent_memory_test' });
      const converse = new ConverseFunction(stack, 'Converse', {
        agentTable: new AgentDefinitionTable(stack, 'Agents'),
        sessionTable: new SessionHistoryTable(stack, 'Sessions'),
        memory,
        models: ['amazon.nova-pro-v1:0'],
        entry: FIXTURE_ENTRY,
      });
      new AgentMonitoring(stack, 'Monitoring', {
        converse,
        memory: memory.memory,
        alarms: {
          topic: sns.Topic.fromTopicArn(stack, 'Existing', EXISTING_TOPIC),
          email: 'ops@example.com',
          minCacheReadSharePercent: 150,
        },
      });
    }).toThrow(
      /minCacheReadSharePercent must be between 0 and 100 \(got 150\)[\s\S]*give either topic or email, not both/,
    );
  });
});

describe('ConverseFunction metric helpers', () => {
  const { stack, converse } = monitoredStack();

  test.each([
    ['metricTurnErrors', 'TurnErrors', 'Sum'],
    ['metricMemoryErrors', 'MemoryErrors', 'Sum'],
    ['metricHistoryWriteErrors', 'HistoryWriteErrors', 'Sum'],
    ['metricMemoryRetrieveLatency', 'MemoryRetrieveLatency', 'p99'],
  ] as const)('%s reads %s in the runtime namespace with the service dimension', (method, metricName, statistic) => {
    const metric = converse[method]();
    expect(metric.namespace).toBe('AgentCoreMemoryAgents');
    expect(metric.metricName).toBe(metricName);
    expect(metric.statistic).toBe(statistic);
    expect(stack.resolve(metric.dimensions)).toEqual({ service: 'converse-test' });
  });
});

describe('AgentMonitoring of an imported memory', () => {
  test("alarms on AgentCore's metrics of the imported memory's ARN and draws its widgets", () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
    const memory = AgentMemory.fromAgentMemoryAttributes(stack, 'Memory', { memoryId: 'shared_memory-a1b2c3d4e5' });
    const converse = new ConverseFunction(stack, 'Converse', {
      agentTable: new AgentDefinitionTable(stack, 'Agents'),
      sessionTable: new SessionHistoryTable(stack, 'Sessions'),
      memory,
      models: ['amazon.nova-pro-v1:0'],
      entry: FIXTURE_ENTRY,
    });
    new AgentMonitoring(stack, 'Monitoring', { converse, memory, alarms: { email: 'ops@example.com' } });
    const template = Template.fromStack(stack);
    const memoryArn = 'arn:aws:bedrock-agentcore:us-east-1:111122223333:memory/shared_memory-a1b2c3d4e5';
    const [createEventErrors] = Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
      .filter(([logicalId]) => logicalId.startsWith('MonitoringMemoryCreateEventErrors'))
      .map(([, alarm]) => alarm.Properties);
    expect(createEventErrors).toMatchObject({
      Namespace: 'AWS/Bedrock-AgentCore',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Dimensions: expect.arrayContaining([
        { Name: 'Operation', Value: 'CreateEvent' },
        { Name: 'Resource', Value: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `${memoryArn.slice(7)}`]] } },
      ]),
    });
    expect(nagFindings(stack)).toEqual([]);
  });
});
