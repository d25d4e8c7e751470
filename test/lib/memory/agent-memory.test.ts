import { App, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DEFAULT_RETRIEVAL_CONFIG } from '../../../lambda/contract/index.js';
import { AgentMemory, type AgentMemoryProps } from '../../../lib/index.js';
import { nagFindings } from '../nag.js';

function memoryStack(props: AgentMemoryProps = {}) {
  const stack = new Stack(new App(), 'Stack');
  const memory = new AgentMemory(stack, 'Memory', { memoryName: 'agent_memory_test', ...props });
  return { stack, memory, template: Template.fromStack(stack) };
}

function constructionError(props: AgentMemoryProps): string {
  try {
    memoryStack(props);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected AgentMemory to throw');
}

describe('AgentMemory defaults', () => {
  const { stack, memory, template } = memoryStack();

  test('creates the summary, user preference and semantic strategies with their exact namespace templates', () => {
    template.hasResourceProperties('AWS::BedrockAgentCore::Memory', {
      Name: 'agent_memory_test',
      MemoryStrategies: [
        {
          SummaryMemoryStrategy: {
            Name: 'session_summary',
            NamespaceTemplates: ['/summaries/{actorId}/{sessionId}/'],
          },
        },
        { UserPreferenceMemoryStrategy: { Name: 'user_preference', NamespaceTemplates: ['/preferences/{actorId}/'] } },
        { SemanticMemoryStrategy: { Name: 'semantic_facts', NamespaceTemplates: ['/facts/{actorId}/'] } },
      ],
    });
  });

  test('renders no deprecated Namespaces field and no record expiry', () => {
    const [resource] = Object.values(template.findResources('AWS::BedrockAgentCore::Memory'));
    const rendered = JSON.stringify(resource.Properties.MemoryStrategies);
    expect(rendered).not.toContain('"Namespaces"');
    expect(rendered).not.toContain('RecordExpiry');
  });

  test('keeps short-term events for 90 days', () => {
    template.hasResourceProperties('AWS::BedrockAgentCore::Memory', { EventExpiryDuration: 90 });
  });

  test('is retained on delete and on replacement', () => {
    template.hasResource('AWS::BedrockAgentCore::Memory', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('uses the AWS owned key', () => {
    template.hasResourceProperties('AWS::BedrockAgentCore::Memory', { EncryptionKeyArn: Match.absent() });
  });

  test('exposes the namespace template of each strategy', () => {
    expect(memory.namespaces).toEqual({
      summary: '/summaries/{actorId}/{sessionId}/',
      userPreference: '/preferences/{actorId}/',
      semantic: '/facts/{actorId}/',
    });
  });

  test('retrieval config is the runtime default for its three strategies, with summaries searched across sessions', () => {
    const { '/episodes/{actorId}/': episodes, ...withoutEpisodes } = DEFAULT_RETRIEVAL_CONFIG;
    expect(episodes).toBeDefined();
    expect(memory.retrievalConfig).toEqual(withoutEpisodes);
    expect(Object.keys(memory.retrievalConfig)).toContain('/summaries/{actorId}/');
  });

  test('memoryId and memoryArn are the attributes of the memory resource', () => {
    const logicalId = Object.keys(template.findResources('AWS::BedrockAgentCore::Memory'))[0];
    expect(stack.resolve(memory.memoryId)).toEqual({ 'Fn::GetAtt': [logicalId, 'MemoryId'] });
    expect(stack.resolve(memory.memoryArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'MemoryArn'] });
  });

  test('has no AwsSolutions or Serverless findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('AgentMemory options', () => {
  test('renames, re-namespaces and re-tunes a strategy', () => {
    const { template, memory } = memoryStack({
      userPreference: { strategyName: 'likes', namespace: '/tenant/likes/{actorId}/', topK: 8, relevanceScore: 0.5 },
    });
    template.hasResourceProperties('AWS::BedrockAgentCore::Memory', {
      MemoryStrategies: Match.arrayWith([
        { UserPreferenceMemoryStrategy: { Name: 'likes', NamespaceTemplates: ['/tenant/likes/{actorId}/'] } },
      ]),
    });
    expect(memory.retrievalConfig['/tenant/likes/{actorId}/']).toEqual({ top_k: 8, relevance_score: 0.5 });
    expect(memory.retrievalConfig['/preferences/{actorId}/']).toBeUndefined();
  });

  test('leaves out a strategy given false', () => {
    const { template, memory } = memoryStack({ summary: false, semantic: false });
    template.hasResourceProperties('AWS::BedrockAgentCore::Memory', {
      MemoryStrategies: [
        { UserPreferenceMemoryStrategy: { Name: 'user_preference', NamespaceTemplates: ['/preferences/{actorId}/'] } },
      ],
    });
    expect(memory.namespaces).toEqual({ userPreference: '/preferences/{actorId}/' });
    expect(memory.retrievalConfig).toEqual({ '/preferences/{actorId}/': { top_k: 5, relevance_score: 0.3 } });
  });

  test('sets the event expiry', () => {
    memoryStack({ eventExpiry: Duration.days(7) }).template.hasResourceProperties('AWS::BedrockAgentCore::Memory', {
      EventExpiryDuration: 7,
    });
  });

  test('applies a destroy removal policy to the memory resource', () => {
    memoryStack({ removalPolicy: RemovalPolicy.DESTROY }).template.hasResource('AWS::BedrockAgentCore::Memory', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  test('encrypts with a customer-managed key', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new AgentMemory(stack, 'Memory', { memoryName: 'encrypted', kmsKey: key });
    Template.fromStack(stack).hasResourceProperties('AWS::BedrockAgentCore::Memory', {
      EncryptionKeyArn: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
    });
  });

  test('derives a valid, unique name when none is given', () => {
    const stack = new Stack(new App(), 'My-Stack');
    const memory = new AgentMemory(stack, 'Chat-Memory');
    expect(memory.memoryName).toMatch(/^[a-zA-Z][a-zA-Z0-9_]{0,47}$/);
    expect(memory.memoryName).toContain('ChatMemory');
  });
});

describe('AgentMemory validation', () => {
  test.each([
    [
      'a namespace without the leading slash',
      { semantic: { namespace: 'facts/{actorId}/' } },
      "semantic.namespace: namespace 'facts/{actorId}/' must start and end with '/'",
    ],
    [
      'a namespace without the trailing slash',
      { semantic: { namespace: '/facts/{actorId}' } },
      "must start and end with '/'",
    ],
    ['an unknown variable', { summary: { namespace: '/s/{actorId}/{userId}/' } }, "uses unknown variable '{userId}'"],
    ['a namespace without {actorId}', { userPreference: { namespace: '/preferences/' } }, "must contain '{actorId}'"],
    [
      'a literal segment with a space',
      { semantic: { namespace: '/my facts/{actorId}/' } },
      "segment 'my facts' must be a literal",
    ],
    [
      '{sessionId} before {actorId}',
      { summary: { namespace: '/s/{sessionId}/{actorId}/' } },
      "must have '{actorId}' before '{sessionId}'",
    ],
    [
      'a bad strategy name',
      { semantic: { strategyName: '1facts' } },
      "semantic.strategyName '1facts' must start with a letter",
    ],
    [
      'an expiry under 7 days',
      { eventExpiry: Duration.days(3) },
      'eventExpiry must be a whole number of days between 7 and 365 (got 3 days)',
    ],
    ['an expiry over 365 days', { eventExpiry: Duration.days(366) }, 'between 7 and 365 (got 366 days)'],
    ['a fractional expiry', { eventExpiry: Duration.hours(200) }, 'whole number of days'],
    [
      'a bad memory name',
      { memoryName: 'agent-memory' },
      "memoryName 'agent-memory' must start with a letter and hold only letters, digits and '_'",
    ],
    ['a 49-character memory name', { memoryName: `m${'x'.repeat(48)}` }, 'at most 48 characters'],
    ['topK out of range', { semantic: { topK: 0 } }, 'semantic.topK must be a whole number from 1 to 100 (got 0)'],
    [
      'relevanceScore out of range',
      { semantic: { relevanceScore: 1.5 } },
      'semantic.relevanceScore must be a number from 0 to 1 (got 1.5)',
    ],
    [
      'no strategy at all',
      { summary: false, userPreference: false, semantic: false },
      'keep at least one of summary, userPreference, semantic, episodic',
    ],
    [
      "a '.' in a namespace, which AgentCore's namespace pattern has no place for",
      { semantic: { namespace: '/facts.v2/{actorId}/' } },
      "semantic.namespace: namespace '/facts.v2/{actorId}/' segment 'facts.v2' must be a literal of letters, digits, '_' and '-' (AgentCore's namespace pattern has no '.')",
    ],
    [
      'a namespace template over 512 characters',
      { semantic: { namespace: `/${'f'.repeat(520)}/{actorId}/` } },
      'semantic.namespace: namespace',
    ],
    [
      'a namespace that resolves to over 1,024 characters with the longest ids',
      { summary: { namespace: `/s/{actorId}/{actorId}/{actorId}/{actorId}/{sessionId}/` } },
      'can resolve to 1128 characters with the longest ids (actorId 255, sessionId 100, memoryStrategyId 100); AgentCore accepts at most 1024',
    ],
    [
      'an empty description',
      { description: '' },
      'description must be 1-4,096 characters (got 0); shorten it or leave it out',
    ],
    [
      'a description over 4,096 characters',
      { description: 'd'.repeat(4097) },
      'description must be 1-4,096 characters (got 4097)',
    ],
  ] as [string, AgentMemoryProps, string][])('rejects %s', (_case, props, expected) => {
    expect(constructionError(props)).toContain(expected);
  });

  test('rejects duplicate strategy names', () => {
    expect(constructionError({ summary: { strategyName: 'memory' }, semantic: { strategyName: 'memory' } })).toContain(
      "strategies summary and semantic both use the strategy name 'memory'; give each strategy its own strategyName",
    );
  });

  test('rejects two strategies retrieving from the same namespace', () => {
    expect(constructionError({ userPreference: { namespace: '/facts/{actorId}/' } })).toContain(
      "strategies userPreference and semantic both retrieve from '/facts/{actorId}/'",
    );
  });

  test('rejects a retrieval namespace that is a prefix of another', () => {
    expect(constructionError({ semantic: { namespace: '/preferences/{actorId}/facts/' } })).toContain(
      "userPreference retrieves from '/preferences/{actorId}/', a prefix of semantic's '/preferences/{actorId}/facts/'",
    );
  });

  test('reports every problem at once', () => {
    const message = constructionError({
      memoryName: '_bad',
      eventExpiry: Duration.days(1),
      semantic: { namespace: 'x' },
    });
    expect(message).toContain('memoryName');
    expect(message).toContain('eventExpiry');
    expect(message).toContain('semantic.namespace');
  });

  test('tolerates tokens in the name and expiry', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(
      () =>
        new AgentMemory(stack, 'Memory', {
          memoryName: Lazy.string({ produce: () => 'late_name' }),
          eventExpiry: Duration.days(Lazy.number({ produce: () => 30 })),
        }),
    ).not.toThrow();
  });
});

describe('AgentMemory grants', () => {
  function grantedStatements(grant: (memory: AgentMemory, role: iam.IGrantable) => void) {
    const stack = new Stack(new App(), 'Stack');
    const memory = new AgentMemory(stack, 'Memory');
    const role = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    grant(memory, role);
    const template = Template.fromStack(stack);
    const roleRef = { Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) };
    const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [roleRef] } }));
    const memoryArn = {
      'Fn::GetAtt': [Object.keys(template.findResources('AWS::BedrockAgentCore::Memory'))[0], 'MemoryArn'],
    };
    return { statements: policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement), memoryArn };
  }

  test('grantAgentRuntime grants exactly CreateEvent, RetrieveMemoryRecords, GetMemoryRecord and BatchDeleteMemoryRecords on the memory ARN', () => {
    const { statements, memoryArn } = grantedStatements((memory, role) => memory.grantAgentRuntime(role));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'bedrock-agentcore:CreateEvent',
          'bedrock-agentcore:RetrieveMemoryRecords',
          'bedrock-agentcore:GetMemoryRecord',
          'bedrock-agentcore:BatchDeleteMemoryRecords',
        ],
        Resource: memoryArn,
      },
    ]);
  });

  test('with a customer-managed key, the memory role may use the key and the runtime grant still has no KMS action', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const memory = new AgentMemory(stack, 'Memory', { memoryName: 'encrypted', kmsKey: key });
    const runtime = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    memory.grantAgentRuntime(runtime);
    memory.grantSessionRestore(runtime);
    const template = Template.fromStack(stack);
    const statementsOf = (role: iam.IRole) =>
      Object.values(
        template.findResources('AWS::IAM::Policy', {
          Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] },
        }),
      ).flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };

    expect(memory.kmsKey).toBe(key);
    expect(statementsOf(memory.memory.executionRole!)).toContainEqual({
      Effect: 'Allow',
      Action: [
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:ReEncrypt*',
      ],
      Resource: keyArn,
    });
    const runtimeActions = statementsOf(runtime).flatMap((statement) => statement.Action);
    expect(runtimeActions).toEqual([
      'bedrock-agentcore:CreateEvent',
      'bedrock-agentcore:RetrieveMemoryRecords',
      'bedrock-agentcore:GetMemoryRecord',
      'bedrock-agentcore:BatchDeleteMemoryRecords',
      'bedrock-agentcore:ListEvents',
    ]);
  });

  test('the runtime grant adds no KMS action, like the L2 data-plane grants it mirrors', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const memory = new AgentMemory(stack, 'Memory', { memoryName: 'encrypted', kmsKey: key });
    const viaL2 = new iam.Role(stack, 'ViaL2', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    memory.memory.grantWrite(viaL2);
    memory.memory.grantRead(viaL2);
    const statements = Object.values(
      Template.fromStack(stack).findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: stack.getLogicalId(viaL2.node.defaultChild as iam.CfnRole) }] },
      }),
    ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]);
    // If a later aws-cdk-lib adds KMS to its data-plane grants, grantAgentRuntime must follow.
    expect(statements.flatMap((statement) => statement.Action).filter((action) => action.startsWith('kms:'))).toEqual(
      [],
    );
  });

  test('grantSessionRestore grants exactly ListEvents on the memory ARN', () => {
    const { statements, memoryArn } = grantedStatements((memory, role) => memory.grantSessionRestore(role));
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'bedrock-agentcore:ListEvents', Resource: memoryArn }]);
  });
});

describe('AgentMemory.fromAgentMemoryAttributes', () => {
  test('attaches by id with the default namespaces and builds the ARN in the importing stack', () => {
    const stack = new Stack(new App(), 'Consumer', { env: { account: '111122223333', region: 'eu-west-1' } });
    const memory = AgentMemory.fromAgentMemoryAttributes(stack, 'Memory', { memoryId: 'agent_memory_prod-AbCdEf1234' });
    expect(memory.memoryId).toBe('agent_memory_prod-AbCdEf1234');
    expect(stack.resolve(memory.memoryArn)).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':bedrock-agentcore:eu-west-1:111122223333:memory/agent_memory_prod-AbCdEf1234',
        ],
      ],
    });
    expect(memory.namespaces).toEqual({
      summary: '/summaries/{actorId}/{sessionId}/',
      userPreference: '/preferences/{actorId}/',
      semantic: '/facts/{actorId}/',
    });
    const { '/episodes/{actorId}/': _episodes, ...withoutEpisodes } = DEFAULT_RETRIEVAL_CONFIG;
    expect(memory.retrievalConfig).toEqual(withoutEpisodes);
  });

  test('uses the given namespaces for its retrieval config and grants on the given ARN', () => {
    const stack = new Stack(new App(), 'Consumer');
    const memoryArn = 'arn:aws:bedrock-agentcore:us-east-1:111122223333:memory/shared-XyZ0123456';
    const memory = AgentMemory.fromAgentMemoryAttributes(stack, 'Memory', {
      memoryId: 'shared-XyZ0123456',
      memoryArn,
      namespaces: { summary: '/s/{actorId}/{sessionId}/' },
    });
    expect(memory.retrievalConfig).toEqual({ '/s/{actorId}/': { top_k: 3, relevance_score: 0.3 } });
    const role = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    memory.grantAgentRuntime(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: memoryArn })] },
    });
  });

  test('rejects an invalid namespace and an ARN naming another memory', () => {
    const stack = new Stack(new App(), 'Consumer');
    expect(() =>
      AgentMemory.fromAgentMemoryAttributes(stack, 'A', {
        memoryId: 'mem-1234567890',
        namespaces: { semantic: '/facts/' },
      }),
    ).toThrow("must contain '{actorId}'");
    expect(() =>
      AgentMemory.fromAgentMemoryAttributes(stack, 'B', {
        memoryId: 'mem-1234567890',
        memoryArn: 'arn:aws:bedrock-agentcore:us-east-1:111122223333:memory/mem-2234567890',
      }),
    ).toThrow("memoryArn names memory 'mem-2234567890', not 'mem-1234567890'");
    expect(() =>
      AgentMemory.fromAgentMemoryAttributes(stack, 'C', {
        memoryId: 'mem-1234567890',
        retrievalConfig: { '/facts/{actorId}/': { top_k: 500, relevance_score: 0.3 } },
      }),
    ).toThrow('retrievalConfig./facts/{actorId}/.top_k: must be a whole number from 1 to 100 (got 500)');
  });

  test('rejects a memory id AgentCore would refuse, naming the field', () => {
    const stack = new Stack(new App(), 'Consumer');
    for (const memoryId of ['m-1', 'memory_without_suffix', 'mem-12345678901', '1mem-1234567890']) {
      expect(() => AgentMemory.fromAgentMemoryAttributes(stack, memoryId, { memoryId })).toThrow(
        /memoryId must be an AgentCore memory id such as 'agent_memory_prod-AbCdEf1234'/,
      );
    }
  });
});
