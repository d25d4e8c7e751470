import * as path from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import {
  AgentDefinitionTable,
  AgentMemory,
  ConverseFunction,
  ForgetFunction,
  type ForgetFunctionProps,
  SessionHistoryTable,
} from '../../../lib/index.js';
import { nagFindings } from '../nag.js';

const FIXTURE_ENTRY = path.join(__dirname, '..', 'converse', 'fixtures', 'handler.ts');

function forgetStack(overrides: Partial<ForgetFunctionProps> = {}, withConverse = false) {
  const stack = new Stack(new App(), 'Stack');
  const memory = new AgentMemory(stack, 'Memory', { memoryName: 'agent_memory_test', episodic: true });
  const sessions = new SessionHistoryTable(stack, 'Sessions');
  const converse = withConverse
    ? new ConverseFunction(stack, 'Converse', {
        agentTable: new AgentDefinitionTable(stack, 'Agents'),
        sessionTable: sessions,
        memory,
        models: ['amazon.nova-pro-v1:0'],
        entry: FIXTURE_ENTRY,
      })
    : undefined;
  const forget = new ForgetFunction(stack, 'Forget', { memory, sessionTable: sessions, ...overrides });
  return { stack, memory, sessions, forget, converse };
}

function statementsOf(stack: Stack, role: iam.IRole) {
  const roleRef = { Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) };
  return Object.values(
    Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [roleRef] } }),
  ).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

describe('ForgetFunction', () => {
  const { stack, memory, sessions, forget } = forgetStack({ functionName: 'agent-memory-forget-test' });
  const template = Template.fromStack(stack);
  const memoryArn = {
    'Fn::GetAtt': [stack.getLogicalId(memory.memory.node.findChild('Memory') as never), 'MemoryArn'],
  };
  const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(sessions.table.node.defaultChild as never), 'Arn'] };

  test('its role holds exactly the actions the forget runtime calls, on this memory and this table', () => {
    expect(statementsOf(stack, forget.role)).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(forget.logGroup.node.defaultChild as never), 'Arn'] },
      },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'bedrock-agentcore:ListSessions',
          'bedrock-agentcore:ListEvents',
          'bedrock-agentcore:DeleteEvent',
          'bedrock-agentcore:ListMemoryRecords',
          'bedrock-agentcore:BatchDeleteMemoryRecords',
          'bedrock-agentcore:ListMemoryExtractionJobs',
          'bedrock-agentcore:GetMemory',
        ],
        Resource: memoryArn,
      },
      { Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:DeleteItem'], Resource: tableArn },
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [tableArn, '/index/by-owner']] } },
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
    });
  });

  test('is told the memory, the table, every namespace the strategies write (reflections included) and the delay', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'agent-memory-forget-test',
      Runtime: 'nodejs24.x',
      Timeout: 900,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          MEMORY_ID: { 'Fn::GetAtt': [memoryArn['Fn::GetAtt'][0], 'MemoryId'] },
          SESSION_TABLE_NAME: { Ref: tableArn['Fn::GetAtt'][0] },
          MEMORY_NAMESPACE_TEMPLATES: JSON.stringify([
            '/summaries/{actorId}/{sessionId}/',
            '/preferences/{actorId}/',
            '/facts/{actorId}/',
            '/episodes/{actorId}/{sessionId}/',
            '/episodes/{actorId}/',
          ]),
          FORGET_EXTRA_NAMESPACE_TEMPLATES: '[]',
          SECOND_SWEEP_DELAY_SECONDS: '90',
        },
      },
    });
  });

  test('is told the extra namespace templates to sweep, for strategies since removed', () => {
    const { stack } = forgetStack({
      extraNamespaceTemplates: ['/old-notes/{actorId}/', '/drafts/{actorId}/{sessionId}/'],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          FORGET_EXTRA_NAMESPACE_TEMPLATES: JSON.stringify(['/old-notes/{actorId}/', '/drafts/{actorId}/{sessionId}/']),
        },
      },
    });
  });

  test('grantInvoke lets a caller invoke it, and nothing more', () => {
    const { stack, forget } = forgetStack();
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    forget.grantInvoke(operator);
    expect(statementsOf(stack, operator)).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(forget.function.node.defaultChild as never), 'Arn'] },
      },
    ]);
    expect(nagFindings(operator)).toEqual([]);
  });

  test('has no unacknowledged AwsSolutions or Serverless findings, and acknowledges only X-Ray and the DLQ rule', () => {
    expect(nagFindings(stack)).toEqual([]);
    const acknowledged = forget.node
      .findAll()
      .flatMap((construct: IConstruct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.keys(entry.data as object)),
      );
    expect(acknowledged.map((id) => id.replace(/^annotation::/i, '')).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'Serverless-LambdaDLQ',
    ]);
  });
});

describe('the converse role beside a forget function', () => {
  test('is unchanged: it gains no forget action and no access to the owner index', () => {
    const { stack, converse } = forgetStack({}, true);
    const alone = (() => {
      const stack = new Stack(new App(), 'Stack');
      const memory = new AgentMemory(stack, 'Memory', { memoryName: 'agent_memory_test', episodic: true });
      const sessions = new SessionHistoryTable(stack, 'Sessions');
      const converse = new ConverseFunction(stack, 'Converse', {
        agentTable: new AgentDefinitionTable(stack, 'Agents'),
        sessionTable: sessions,
        memory,
        models: ['amazon.nova-pro-v1:0'],
        entry: FIXTURE_ENTRY,
      });
      return statementsOf(stack, converse.role);
    })();
    const beside = statementsOf(stack, converse!.role);

    expect(beside).toEqual(alone);
    const actionNames = beside.flatMap((statement) => statement.Action).map((action) => String(action).split(':')[1]);
    // BatchDeleteMemoryRecords is the converse role's own, for the memory tool's `forget`.
    for (const action of [
      'ListSessions',
      'DeleteEvent',
      'ListMemoryRecords',
      'ListMemoryExtractionJobs',
      'GetMemory',
      'DeleteItem',
    ]) {
      expect(actionNames).not.toContain(action);
    }
    expect(JSON.stringify(beside)).not.toContain('/index/');
  });
});

describe('ForgetFunction validation', () => {
  test.each<[string, Partial<ForgetFunctionProps>, string]>([
    [
      'a timeout over 15 minutes',
      { timeout: Duration.minutes(16) },
      'timeout must be between 1 and 15 minutes (got 960 s)',
    ],
    [
      'a delay over 10 minutes',
      { secondSweepDelay: Duration.minutes(11) },
      'secondSweepDelay must be whole seconds between 0 and 10 minutes (got 660 s)',
    ],
    [
      'a delay that leaves no time for the second sweep',
      { secondSweepDelay: Duration.minutes(3), timeout: Duration.minutes(5) },
      'secondSweepDelay (180 s) must be under half the timeout (300 s)',
    ],
    [
      'an extra template without the actor',
      { extraNamespaceTemplates: ['/old-notes/'] },
      "extraNamespaceTemplates: namespace '/old-notes/' must contain '{actorId}'",
    ],
  ])('rejects %s', (_case, props, expected) => {
    expect(() => forgetStack(props)).toThrow(expected);
  });
});
