import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  AgentDefinitionTable,
  AgentMemory,
  ConverseFunction,
  SessionHistoryTable,
  VPC_ACCESS_ACTIONS,
  type ConverseFunctionProps,
} from '../../../lib/index.js';
import { nagFindings } from '../nag.js';

const FIXTURE_ENTRY = path.join(__dirname, 'fixtures', 'handler.ts');
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const APPLICATION_PROFILE = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';

function setup(overrides: (stack: Stack) => Partial<ConverseFunctionProps> = () => ({})) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
  const memory = new AgentMemory(stack, 'Memory', { memoryName: 'options_memory' });
  const agents = new AgentDefinitionTable(stack, 'Agents');
  const sessions = new SessionHistoryTable(stack, 'Sessions');
  const props: ConverseFunctionProps = {
    agentTable: agents,
    sessionTable: sessions,
    memory,
    models: [HAIKU],
    entry: FIXTURE_ENTRY,
    ...overrides(stack),
  };
  return { stack, memory, agents, sessions, props };
}

function statementsOf(stack: Stack, converse: ConverseFunction) {
  const roleId = stack.getLogicalId(converse.role.node.defaultChild as never);
  return Object.values(
    Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
}

describe('an application inference profile in models', () => {
  const { stack, props } = setup(() => ({ models: [APPLICATION_PROFILE] }));
  const converse = new ConverseFunction(stack, 'Converse', props);
  const statements = statementsOf(stack, converse);
  const bedrock = statements.filter((statement) => JSON.stringify(statement.Action).includes('bedrock:'));

  test('grants the profile, and foundation models only through that profile', () => {
    expect(bedrock).toEqual([
      {
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: APPLICATION_PROFILE,
      },
      {
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/*']] },
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': APPLICATION_PROFILE } },
      },
    ]);
  });

  test('has no finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('a VPC, reserved concurrency and extra environment variables', () => {
  const { stack, props } = setup((scope) => ({
    vpc: new ec2.Vpc(scope, 'Vpc', { maxAzs: 2, natGateways: 1 }),
    reservedConcurrentExecutions: 20,
    environment: { TENANT: 'acme' },
  }));
  const converse = new ConverseFunction(stack, 'Converse', props);
  const template = Template.fromStack(stack);

  test('place the function in the private subnets with a security group, cap it, and add the variables', () => {
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Role: { 'Fn::GetAtt': [stack.getLogicalId(converse.role.node.defaultChild as never), 'Arn'] } },
      }),
    );
    expect(fn.Properties.VpcConfig.SubnetIds).toHaveLength(2);
    expect(fn.Properties.VpcConfig.SecurityGroupIds).toHaveLength(1);
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(20);
    expect(fn.Properties.Environment.Variables).toMatchObject({ TENANT: 'acme', POWERTOOLS_SERVICE_NAME: 'converse' });
  });

  test("grant the role Lambda's ENI actions in a policy of their own, not an AWS managed policy", () => {
    expect(statementsOf(stack, converse)).toContainEqual({
      Effect: 'Allow',
      Action: [...VPC_ACCESS_ACTIONS],
      Resource: '*',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
    });
  });

  test("no finding on the function's resources", () => {
    // The VPC is the adopter's: its own findings (flow logs) stay reported.
    expect(nagFindings(converse)).toEqual([]);
    expect(nagFindings(stack).filter((finding) => !finding.includes('Stack/Vpc/'))).toEqual([]);
  });
});

describe('ConverseFunction refuses', () => {
  test.each([
    [
      { environment: { MEMORY_ID: 'other' } },
      'environment.MEMORY_ID is set by the function itself from its props; leave it out of environment',
    ],
    [{ reservedConcurrentExecutions: 0 }, 'reservedConcurrentExecutions must be a whole number of at least 1 (got 0)'],
    [{ securityGroups: [] }, 'vpcSubnets and securityGroups need vpc'],
    [
      { models: ['arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/'] },
      'is not a Bedrock model id',
    ],
  ] as [Partial<ConverseFunctionProps>, string][])('%j', (override, message) => {
    const { stack, props } = setup();
    expect(() => new ConverseFunction(stack, 'Converse', { ...props, ...override })).toThrow(message);
  });
});

describe('agents the function cannot serve are refused at synth, naming the agent', () => {
  test('an agent on a second memory', () => {
    const { stack, agents, props } = setup();
    const other = new AgentMemory(stack, 'OtherMemory', { memoryName: 'other_memory' });
    new ConverseFunction(stack, 'Converse', props);
    agents.addAgent({ agentId: 'billing', basePrompt: 'Help.', foundationModel: HAIKU, memory: other });
    expect(() => Template.fromStack(stack)).toThrow(
      /agent 'billing' uses the memory Stack\/OtherMemory, but this function is granted only Stack\/Memory/,
    );
  });

  test("an agent whose model is not in the function's models", () => {
    const { stack, agents, memory, props } = setup();
    new ConverseFunction(stack, 'Converse', props);
    agents.addAgent({ agentId: 'writer', basePrompt: 'Write.', foundationModel: 'amazon.nova-pro-v1:0', memory });
    expect(() => Template.fromStack(stack)).toThrow(
      /agent 'writer' calls 'amazon.nova-pro-v1:0', which is not in this function's models/,
    );
  });

  test("an agent on the function's memory whose model is granted (also by its ARN) synthesizes", () => {
    const { stack, agents, memory, props } = setup();
    new ConverseFunction(stack, 'Converse', props);
    agents.addAgent({ agentId: 'support', basePrompt: 'Help.', foundationModel: HAIKU, memory });
    agents.addAgent({
      agentId: 'support-arn',
      basePrompt: 'Help.',
      foundationModel: `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${HAIKU}`,
    });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

test('runtime: a runtime of your own is used as given', () => {
  const { stack, props } = setup(() => ({ runtime: lambda.Runtime.NODEJS_22_X }));
  new ConverseFunction(stack, 'Converse', props);
  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
  });
});
