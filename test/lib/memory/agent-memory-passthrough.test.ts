import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AgentMemory } from '../../../lib/index.js';

const stackWith = () => new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
const memoryOf = (template: Template) => Object.values(template.findResources('AWS::BedrockAgentCore::Memory'))[0];

describe('what the L2 Memory offers, passed through', () => {
  test('executionRole: the memory runs with your role, and no service role is created', () => {
    const stack = stackWith();
    const role = new iam.Role(stack, 'MyRole', {
      assumedBy: new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com'),
    });
    new AgentMemory(stack, 'Memory', { memoryName: 'own_role_memory', executionRole: role });
    const template = Template.fromStack(stack);
    expect(memoryOf(template).Properties.MemoryExecutionRoleArn).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'],
    });
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  test('streamDeliveryResources: records stream to Kinesis, and the service role may write to the stream', () => {
    const stack = stackWith();
    const stream = new kinesis.Stream(stack, 'Records', { encryption: kinesis.StreamEncryption.MANAGED });
    new AgentMemory(stack, 'Memory', {
      memoryName: 'streaming_memory',
      streamDeliveryResources: [
        agentcore.StreamDeliveryResource.kinesis(stream, {
          contentConfigurations: [
            {
              type: agentcore.StreamDeliveryContentType.MEMORY_RECORDS,
              level: agentcore.StreamDeliveryContentLevel.METADATA_ONLY,
            },
          ],
        }),
      ],
    });
    const template = Template.fromStack(stack);
    expect(memoryOf(template).Properties.StreamDeliveryResources).toEqual({
      Resources: [
        {
          Kinesis: {
            DataStreamArn: { 'Fn::GetAtt': [stack.getLogicalId(stream.node.defaultChild as never), 'Arn'] },
            ContentConfigurations: [{ Type: 'MEMORY_RECORDS', Level: 'METADATA_ONLY' }],
          },
        },
      ],
    });
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((statement) =>
        [statement.Action].flat(),
      ),
    );
    expect(actions).toEqual(expect.arrayContaining(['kinesis:PutRecord', 'kinesis:PutRecords']));
    // The retained memory keeps its role's policy too, or it could no longer stream.
    expect(Object.values(template.findResources('AWS::IAM::Policy')).map((policy) => policy.DeletionPolicy)).toEqual([
      'Retain',
    ]);
  });

  test('selfManagedStrategies: rendered beside the built-in strategies, which keep their namespaces', () => {
    const stack = stackWith();
    const memory = new AgentMemory(stack, 'Memory', {
      memoryName: 'self_managed_memory',
      selfManagedStrategies: [
        agentcore.MemoryStrategy.usingSelfManaged({
          strategyName: 'my_pipeline',
          invocationConfiguration: {
            topic: new sns.Topic(stack, 'Jobs', { enforceSSL: true }),
            s3Location: { bucketName: new s3.Bucket(stack, 'Payloads').bucketName, objectKey: 'memory/' },
          },
        }),
      ],
    });
    const strategies = memoryOf(Template.fromStack(stack)).Properties.MemoryStrategies as Record<string, unknown>[];
    expect(strategies.map((strategy) => Object.keys(strategy)[0])).toEqual([
      'SummaryMemoryStrategy',
      'UserPreferenceMemoryStrategy',
      'SemanticMemoryStrategy',
      'CustomMemoryStrategy',
    ]);
    expect(memory.recordNamespaces).toEqual([
      '/summaries/{actorId}/{sessionId}/',
      '/preferences/{actorId}/',
      '/facts/{actorId}/',
    ]);
  });
});

describe('the service role follows the memory', () => {
  test.each([
    [RemovalPolicy.RETAIN, 'Retain'],
    [RemovalPolicy.DESTROY, 'Delete'],
  ])('%s: the role and its policy get DeletionPolicy %s, as the memory', (removalPolicy, expected) => {
    const stack = stackWith();
    const memory = new AgentMemory(stack, 'Memory', { memoryName: 'kept_memory', removalPolicy });
    const role = memory.memory.node.findChild('ServiceRole');
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { DeletionPolicy?: string }>;
    expect(resources[stack.getLogicalId(role.node.defaultChild as never)].DeletionPolicy).toBe(expected);
    expect(memoryOf(Template.fromStack(stack)).DeletionPolicy).toBe(expected);
  });
});
