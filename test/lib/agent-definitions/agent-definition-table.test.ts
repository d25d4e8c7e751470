import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { agentDefinitionSchema } from '../../../lambda/contract/index.js';
import { AgentDefinitionTable, AgentMemory } from '../../../lib/index.js';
import { renderJoin } from '../intrinsics.js';
import { nagFindings } from '../nag.js';

function build(removalPolicy?: RemovalPolicy) {
  const stack = new Stack(new App(), 'Stack');
  const memory = new AgentMemory(stack, 'Memory', { memoryName: 'agent_memory_test', userPreference: { topK: 7 } });
  const agents = new AgentDefinitionTable(stack, 'Agents', { removalPolicy });
  agents.addAgent({
    agentId: 'default',
    basePrompt: 'You are a helpful assistant.',
    foundationModel: 'amazon.nova-pro-v1:0',
    memory,
  });
  agents.addAgent({ agentId: 'plain', basePrompt: 'Answer briefly.', foundationModel: 'amazon.nova-lite-v1:0' });
  const template = Template.fromStack(stack);
  const logicalId = (resourceType: string) => Object.keys(template.findResources(resourceType))[0];
  return { stack, memory, agents, template, logicalId };
}

/** What a Custom::AgentDefinition asks its writer for: the table, the key, the item, whether removal deletes it. */
function agentDefinition(template: Template, agentId: string) {
  const resources = Object.values(template.findResources('Custom::AgentDefinition')) as {
    Properties: Record<string, unknown>;
  }[];
  const resource = resources.find(
    (candidate) => JSON.parse(renderJoin(candidate.Properties.Key)).agent_id.S === agentId,
  );
  if (!resource) throw new Error(`no agent definition ${agentId}`);
  return {
    tableName: renderJoin(resource.Properties.TableName),
    key: JSON.parse(renderJoin(resource.Properties.Key)),
    item: JSON.parse(renderJoin(resource.Properties.Item)),
    deleteOnRemoval: resource.Properties.DeleteOnRemoval,
    serviceToken: resource.Properties.ServiceToken,
  };
}

/** The policy statements of the role the table's writer function runs with. */
function writerStatements(template: Template) {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(1);
  const writerRole = functions[0].Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: writerRole }] } }),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

describe('AgentDefinitionTable', () => {
  const { stack, template, logicalId } = build();
  const memoryId = () => `\${GetAtt:${logicalId('AWS::BedrockAgentCore::Memory')}.MemoryId}`;
  const tableRef = () => `\${Ref:${logicalId('AWS::DynamoDB::Table')}}`;

  test('is keyed by agent_id, on demand, with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'agent_id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'agent_id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  test('is retained by default', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('writes the agent with memory_feature naming the memory id and its retrieval config, through its own function', () => {
    const definition = agentDefinition(template, 'default');
    expect(definition.tableName).toBe(tableRef());
    expect(definition.key).toEqual({ agent_id: { S: 'default' } });
    expect(definition.item).toEqual({
      agent_id: { S: 'default' },
      base_prompt: { S: 'You are a helpful assistant.' },
      foundation_model: { S: 'amazon.nova-pro-v1:0' },
      memory_feature: {
        M: {
          enabled: { BOOL: true },
          memory_id: { S: memoryId() },
          retrieval: {
            M: {
              '/summaries/{actorId}/': { M: { top_k: { N: '3' }, relevance_score: { N: '0.3' } } },
              '/preferences/{actorId}/': { M: { top_k: { N: '7' }, relevance_score: { N: '0.3' } } },
              '/facts/{actorId}/': { M: { top_k: { N: '5' }, relevance_score: { N: '0.3' } } },
            },
          },
        },
      },
    });
    expect(definition.serviceToken).toEqual({ 'Fn::GetAtt': [logicalId('AWS::Lambda::Function'), 'Arn'] });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Code: { ZipFile: Match.stringLikeRegexp('PutItemCommand') },
    });
  });

  test('writes an agent given no memory without memory_feature', () => {
    expect(agentDefinition(template, 'plain').item).toEqual({
      agent_id: { S: 'plain' },
      base_prompt: { S: 'Answer briefly.' },
      foundation_model: { S: 'amazon.nova-lite-v1:0' },
    });
  });

  test('keeps the items of a retained table: no delete call, and the custom resources are retained', () => {
    const seeds = Object.values(template.findResources('Custom::AgentDefinition'));
    expect(seeds).toHaveLength(2);
    for (const seed of seeds) {
      expect(seed.Properties.DeleteOnRemoval).toBe('false');
      expect(seed.DeletionPolicy).toBe('Retain');
      expect(seed.UpdateReplacePolicy).toBe('Retain');
    }
  });

  test('the writer of a retained table may only put items of this table', () => {
    expect(writerStatements(template)).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::Logs::LogGroup'))[0], 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Resource: [{ 'Fn::GetAtt': [logicalId('AWS::DynamoDB::Table'), 'Arn'] }],
      },
    ]);
  });

  test('the writer has no AWS managed policy and logs with a retention', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('has no AwsSolutions or Serverless findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('AgentDefinitionTable with a destroy removal policy', () => {
  const { template, logicalId } = build(RemovalPolicy.DESTROY);
  const tableRef = () => `\${Ref:${logicalId('AWS::DynamoDB::Table')}}`;

  test('destroys the table', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('deletes an item when its agent is removed from the app or the stack is deleted', () => {
    const definition = agentDefinition(template, 'default');
    expect(definition.deleteOnRemoval).toBe('true');
    expect(definition.tableName).toBe(tableRef());
    for (const seed of Object.values(template.findResources('Custom::AgentDefinition'))) {
      expect(seed.DeletionPolicy).toBe('Delete');
    }
  });

  test('the writer may only put and delete items of this table', () => {
    expect(writerStatements(template)[1]).toEqual({
      Effect: 'Allow',
      Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
      Resource: [{ 'Fn::GetAtt': [logicalId('AWS::DynamoDB::Table'), 'Arn'] }],
    });
  });
});

describe('AgentDefinitionTables sharing a stack', () => {
  const tableArn = (stack: Stack, agents: AgentDefinitionTable) => ({
    'Fn::GetAtt': [stack.getLogicalId(agents.table.node.defaultChild as never), 'Arn'],
  });
  const agent = (agentId: string) => ({ agentId, basePrompt: 'p', foundationModel: 'amazon.nova-pro-v1:0' });
  const dynamoStatements = (template: Template) =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:'));

  test('each table has one writer of its own, which may write only that table, with its own log retention', () => {
    const stack = new Stack(new App(), 'Stack');
    const support = new AgentDefinitionTable(stack, 'Support');
    const sales = new AgentDefinitionTable(stack, 'Sales', {
      removalPolicy: RemovalPolicy.DESTROY,
      seedLogRetention: logs.RetentionDays.ONE_WEEK,
    });
    support.addAgent(agent('a'));
    sales.addAgent(agent('b'));
    sales.addAgent(agent('c'));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    expect(dynamoStatements(template)).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: [tableArn(stack, support)] },
      { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: [tableArn(stack, sales)] },
    ]);
    expect(
      Object.values(template.findResources('AWS::Logs::LogGroup')).map((group) => group.Properties.RetentionInDays),
    ).toEqual([30, 7]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test("acknowledges findings only on its own writer: another AwsCustomResource's findings are still reported", () => {
    const stack = new Stack(new App(), 'Stack');
    new cr.AwsCustomResource(stack, 'Other', {
      onCreate: { service: 'STS', action: 'GetCallerIdentity', physicalResourceId: cr.PhysicalResourceId.of('x') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    const agents = new AgentDefinitionTable(stack, 'Agents');
    agents.addAgent(agent('a'));
    const findings = nagFindings(stack);
    expect(findings.filter((finding) => finding.includes('/Agents/'))).toEqual([]);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Serverless-LambdaDLQ at Stack\/AWS[0-9a-f]+\/Resource$/),
        expect.stringMatching(/^Serverless-LambdaTracing at Stack\/AWS[0-9a-f]+\/Resource$/),
      ]),
    );
    expect(dynamoStatements(Template.fromStack(stack))).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: [tableArn(stack, agents)] },
    ]);
  });
});

describe('AgentDefinitionTable options and validation', () => {
  test('grantAgentRuntime grants only GetItem on the table', () => {
    const stack = new Stack(new App(), 'Stack');
    const agents = new AgentDefinitionTable(stack, 'Agents');
    const role = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    agents.grantAgentRuntime(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'dynamodb:GetItem',
            Resource: [{ 'Fn::GetAtt': [stack.getLogicalId(agents.table.node.defaultChild as never), 'Arn'] }],
          },
        ],
      },
    });
  });

  test('with a customer-managed key: the runtime may only decrypt, the writer may encrypt and decrypt', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const agents = new AgentDefinitionTable(stack, 'Agents', { encryptionKey: key });
    agents.addAgent({ agentId: 'default', basePrompt: 'Hi', foundationModel: 'amazon.nova-lite-v1:0' });
    const runtime = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    agents.grantAgentRuntime(runtime);
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    const runtimeStatements = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: stack.getLogicalId(runtime.node.defaultChild as iam.CfnRole) }] },
      }),
    ).flatMap((policy) => policy.Properties.PolicyDocument.Statement);

    expect(
      runtimeStatements.filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(keyArn)),
    ).toEqual([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn }]);
    expect(writerStatements(template)).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      Resource: keyArn,
    });
  });

  test.each([
    ['an agent id with a space', { agentId: 'my agent' }, 'agent_id'],
    ['an empty prompt', { basePrompt: '' }, 'base_prompt'],
    ['an empty model', { foundationModel: '' }, 'foundation_model'],
  ])('rejects %s, naming the field', (_case, override, field) => {
    const agents = new AgentDefinitionTable(new Stack(new App(), 'Stack'), 'Agents');
    expect(() =>
      agents.addAgent({ agentId: 'a', basePrompt: 'p', foundationModel: 'amazon.nova-pro-v1:0', ...override }),
    ).toThrow(new RegExp(`Invalid agent definition .*\\n\\s+- ${field}: `));
  });

  test('writes built-in tools and inference settings in the contract field names', () => {
    const stack = new Stack(new App(), 'Stack');
    const agents = new AgentDefinitionTable(stack, 'Agents');
    agents.addAgent({
      agentId: 'timed',
      basePrompt: 'p',
      foundationModel: 'amazon.nova-pro-v1:0',
      tools: ['current_time'],
      inference: { maxTokens: 2048, temperature: 0.2 },
    });
    const { item } = agentDefinition(Template.fromStack(stack), 'timed');
    expect(item.tools).toEqual({ L: [{ S: 'current_time' }] });
    expect(item.inference).toEqual({ M: { max_tokens: { N: '2048' }, temperature: { N: '0.2' } } });
  });

  test('writes the memory mode and the cache TTL in the contract field names, and the runtime reads them', () => {
    const stack = new Stack(new App(), 'Stack');
    const memory = new AgentMemory(stack, 'Memory', { memoryName: 'agent_memory_test' });
    const agents = new AgentDefinitionTable(stack, 'Agents');
    agents.addAgent({
      agentId: 'private',
      basePrompt: 'p',
      foundationModel: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      memory,
      memoryMode: 'incognito',
      cacheTtl: '1h',
    });
    const { item } = agentDefinition(Template.fromStack(stack), 'private');
    expect(item.cache_ttl).toEqual({ S: '1h' });
    expect(item.memory_feature.M.default_mode).toEqual({ S: 'incognito' });
    const unmarshall = (value: Record<string, unknown>): unknown => {
      const [[type, inner]] = Object.entries(value);
      if (type === 'M') return Object.fromEntries(Object.entries(inner as object).map(([k, v]) => [k, unmarshall(v)]));
      return type === 'N' ? Number(inner) : inner;
    };
    // The memory id is a token until deployment; CloudFormation puts in an id like this one.
    item.memory_feature.M.memory_id = { S: 'agent_memory_test-AbCdEf1234' };
    const parsed = agentDefinitionSchema.parse(unmarshall({ M: item }));
    expect(parsed.cache_ttl).toBe('1h');
    expect(parsed.memory_feature?.default_mode).toBe('incognito');
  });

  test('leaves the memory mode and the cache TTL to the runtime when not given', () => {
    const { template } = build();
    const { item } = agentDefinition(template, 'default');
    expect(item.cache_ttl).toBeUndefined();
    expect(item.memory_feature.M.default_mode).toBeUndefined();
  });

  test('rejects inference settings the runtime would refuse', () => {
    const agents = new AgentDefinitionTable(new Stack(new App(), 'Stack'), 'Agents');
    expect(() =>
      agents.addAgent({
        agentId: 'hot',
        basePrompt: 'p',
        foundationModel: 'amazon.nova-pro-v1:0',
        inference: { temperature: 3 },
      }),
    ).toThrow('inference.temperature: ');
  });

  test('rejects the same agent id twice', () => {
    const agents = new AgentDefinitionTable(new Stack(new App(), 'Stack'), 'Agents');
    const agent = { agentId: 'a', basePrompt: 'p', foundationModel: 'amazon.nova-pro-v1:0' };
    agents.addAgent(agent);
    expect(() => agents.addAgent(agent)).toThrow("agentId 'a' is already added to this table");
  });

  test('the written item satisfies the runtime schema', () => {
    const { template } = build();
    const { item } = agentDefinition(template, 'default');
    const unmarshall = (value: Record<string, unknown>): unknown => {
      const [[type, inner]] = Object.entries(value);
      if (type === 'M') return Object.fromEntries(Object.entries(inner as object).map(([k, v]) => [k, unmarshall(v)]));
      if (type === 'N') return Number(inner);
      // What CloudFormation puts in place of the memory's MemoryId attribute at deploy time.
      return typeof inner === 'string' && /^\$\{GetAtt:.*\.MemoryId\}$/.test(inner)
        ? 'agent_memory_test-AbCdEf1234'
        : inner;
    };
    const parsed = agentDefinitionSchema.parse(unmarshall({ M: item }));
    expect(parsed.memory_feature?.enabled).toBe(true);
    expect(parsed.memory_feature?.persist_conversation).toBe(true);
  });
});

describe('AgentDefinitionTable guardrails and tool limits', () => {
  function runtimeStatements(stack: Stack, role: iam.Role) {
    return Object.values(
      Template.fromStack(stack).findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] },
      }),
    ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]);
  }

  function setUp() {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-1' } });
    const agents = new AgentDefinitionTable(stack, 'Agents');
    const role = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { stack, agents, role };
  }

  test('writes the guardrail to the item and grants ApplyGuardrail on exactly its ARN, whichever comes first', () => {
    const { stack, agents, role } = setUp();
    agents.addAgent({
      agentId: 'before',
      basePrompt: 'Hi',
      foundationModel: 'amazon.nova-lite-v1:0',
      guardrail: { guardrail: 'abc123', version: '3' },
    });
    agents.grantAgentRuntime(role);
    agents.addAgent({
      agentId: 'after',
      basePrompt: 'Hi',
      foundationModel: 'amazon.nova-lite-v1:0',
      guardrail: { guardrail: 'arn:aws:bedrock:eu-west-1:111122223333:guardrail/zzz999', version: 'DRAFT' },
    });
    agents.addAgent({ agentId: 'none', basePrompt: 'Hi', foundationModel: 'amazon.nova-lite-v1:0' });

    const template = Template.fromStack(stack);
    expect(agentDefinition(template, 'before').item.guardrail).toEqual({
      M: { id: { S: 'abc123' }, version: { S: '3' } },
    });
    expect(agentDefinition(template, 'none').item.guardrail).toBeUndefined();
    const guardrailStatements = runtimeStatements(stack, role).filter((statement) =>
      JSON.stringify(statement.Action).includes('bedrock'),
    );
    expect(guardrailStatements.map((statement) => [statement.Action, renderJoin(statement.Resource)])).toEqual([
      ['bedrock:ApplyGuardrail', 'arn:${Ref:AWS::Partition}:bedrock:eu-west-1:111122223333:guardrail/abc123'],
      ['bedrock:ApplyGuardrail', 'arn:aws:bedrock:eu-west-1:111122223333:guardrail/zzz999'],
    ]);
  });

  test('takes a CfnGuardrail and its version construct', () => {
    const { stack, agents, role } = setUp();
    const guardrail = new bedrock.CfnGuardrail(stack, 'Guardrail', {
      name: 'chat',
      blockedInputMessaging: 'Sorry.',
      blockedOutputsMessaging: 'Sorry.',
      contentPolicyConfig: { filtersConfig: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
    });
    const version = new bedrock.CfnGuardrailVersion(stack, 'GuardrailVersion', {
      guardrailIdentifier: guardrail.attrGuardrailId,
    });
    agents.grantAgentRuntime(role);
    agents.addAgent({
      agentId: 'guarded',
      basePrompt: 'Hi',
      foundationModel: 'amazon.nova-lite-v1:0',
      guardrail: { guardrail, version: version.attrVersion },
    });

    // A guardrail's Ref is its ARN.
    const guardrailArn = { Ref: stack.getLogicalId(guardrail) };
    expect(runtimeStatements(stack, role)).toContainEqual({
      Effect: 'Allow',
      Action: 'bedrock:ApplyGuardrail',
      Resource: guardrailArn,
    });
  });

  test('refuses a bad guardrail version or tool limits, naming the field', () => {
    const { agents } = setUp();
    expect(() =>
      agents.addAgent({
        agentId: 'bad',
        basePrompt: 'Hi',
        foundationModel: 'amazon.nova-lite-v1:0',
        guardrail: { guardrail: 'abc123', version: 'latest' },
        toolLimits: { perReply: 0 },
      }),
    ).toThrow(/guardrail\.version[\s\S]*tool_limits\.per_reply|tool_limits\.per_reply[\s\S]*guardrail\.version/);
  });

  test('writes tool limits to the item', () => {
    const { stack, agents } = setUp();
    agents.addAgent({
      agentId: 'limited',
      basePrompt: 'Hi',
      foundationModel: 'amazon.nova-lite-v1:0',
      toolLimits: { perReply: 2, recordsPerTurn: 0, forgetsPerTurn: 1 },
    });
    expect(agentDefinition(Template.fromStack(stack), 'limited').item.tool_limits).toEqual({
      M: { per_reply: { N: '2' }, records_per_turn: { N: '0' }, forgets_per_turn: { N: '1' } },
    });
  });

  test('refuses a forget bound beyond the maximum before synth', () => {
    const { agents } = setUp();
    expect(() =>
      agents.addAgent({
        agentId: 'forgetful',
        basePrompt: 'Hi',
        foundationModel: 'amazon.nova-lite-v1:0',
        toolLimits: { forgetsPerTurn: 11 },
      }),
    ).toThrow(/tool_limits\.forgets_per_turn/);
  });
});
