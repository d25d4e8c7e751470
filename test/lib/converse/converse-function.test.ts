import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Lazy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import {
  AgentDefinitionTable,
  AgentMemory,
  ConverseFunction,
  type ConverseFunctionProps,
  SessionHistoryTable,
} from '../../../lib/index.js';
import { nagFindings } from '../nag.js';

const FIXTURE_ENTRY = path.join(__dirname, 'fixtures', 'handler.ts');
const MODELS = ['amazon.nova-pro-v1:0', 'us.anthropic.claude-sonnet-4-20250514-v1:0'];

function converseStack(overrides: Partial<ConverseFunctionProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const memory = new AgentMemory(stack, 'Memory', { memoryName: 'agent_memory_test' });
  const agents = new AgentDefinitionTable(stack, 'Agents');
  const sessions = new SessionHistoryTable(stack, 'Sessions');
  const converse = new ConverseFunction(stack, 'Converse', {
    agentTable: agents,
    sessionTable: sessions,
    memory,
    models: MODELS,
    logRetention: logs.RetentionDays.TWO_WEEKS,
    entry: FIXTURE_ENTRY,
    ...overrides,
  });
  return { app, stack, memory, agents, sessions, converse };
}

function acknowledgments(scope: IConstruct): { id: string; reason: string; path: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, { reason?: string } | string>).map(([id, value]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason: typeof value === 'string' ? value : (value.reason ?? JSON.stringify(value)),
          path: construct.node.path,
        })),
      ),
  );
}

describe('ConverseFunction', () => {
  const { app, stack, memory, agents, sessions, converse } = converseStack();
  const template = Template.fromStack(stack);
  const id = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as never);
  const functionLogicalId = stack.getLogicalId(converse.function.node.defaultChild as never);

  test('runs Node.js 24 on ARM64 with 1024 MB, a 5-minute timeout and active tracing', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 300,
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
    });
  });

  test('names its tables and memory in exactly the contract environment variables', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          AGENT_TABLE_NAME: { Ref: id(agents.table) },
          SESSION_TABLE_NAME: { Ref: id(sessions.table) },
          MEMORY_ID: {
            'Fn::GetAtt': [stack.getLogicalId(memory.memory.node.findChild('Memory') as never), 'MemoryId'],
          },
          POWERTOOLS_SERVICE_NAME: 'converse',
        },
      },
    });
  });

  test('logs to its own log group with the configured retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: id(converse.logGroup) } },
    });
  });

  test('uses its own role without AWS managed policies', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [id(converse.role), 'Arn'] } });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('is reachable only through a Function URL with AWS_IAM auth and response streaming', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      InvokeMode: 'RESPONSE_STREAM',
      TargetFunctionArn: { 'Fn::GetAtt': [functionLogicalId, 'Arn'] },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  test('grants exactly these actions on exactly these resources', () => {
    const partitionJoin = (text: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, text]] });
    const regionalJoin = (prefix: string, suffix: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          prefix,
          { Ref: 'AWS::Region' },
          ...suffix.split('|').flatMap((part, index) => (index === 0 ? [part] : [{ Ref: 'AWS::AccountId' }, part])),
        ],
      ],
    });
    const policy = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(converse.role) }] } });
    const statements = Object.values(policy).flatMap((resource) => resource.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [id(converse.logGroup), 'Arn'] },
      },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: [{ 'Fn::GetAtt': [id(agents.table), 'Arn'] }] },
      {
        Effect: 'Allow',
        Action: ['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:GetItem'],
        // The table alone: the owner index, which only forgetting reads, is not granted.
        Resource: { 'Fn::GetAtt': [id(sessions.table), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: [
          'bedrock-agentcore:CreateEvent',
          'bedrock-agentcore:RetrieveMemoryRecords',
          'bedrock-agentcore:GetMemoryRecord',
          'bedrock-agentcore:BatchDeleteMemoryRecords',
        ],
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(memory.memory.node.findChild('Memory') as never), 'MemoryArn'] },
      },
      {
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: [
          regionalJoin(':bedrock:', '::foundation-model/amazon.nova-pro-v1:0'),
          regionalJoin(':bedrock:', ':|:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0'),
        ],
      },
      {
        // The profile's foundation model, in any region, but only through that profile.
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: partitionJoin(':bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0'),
        Condition: {
          StringEquals: {
            'bedrock:InferenceProfileArn': regionalJoin(
              ':bedrock:',
              ':|:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0',
            ),
          },
        },
      },
    ]);
  });

  test('has no AwsSolutions or Serverless findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges exactly the X-Ray wildcard, the inference-profile model wildcard and the DLQ rule, each with a reason', () => {
    const acks = acknowledgments(converse);
    expect(acks.map((ack) => ack.id).sort()).toEqual(
      [
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0]',
        'Serverless-LambdaDLQ',
      ].sort(),
    );
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(40);
  });

  test('bundles minified ESM with the createRequire banner and the AWS SDK inside', () => {
    const assembly = app.synth();
    const code = template.findResources('AWS::Lambda::Function')[functionLogicalId].Properties.Code;
    const assetHash = String(code.S3Key).replace(/\.zip$/, '');
    const assetDir = path.join(assembly.directory, `asset.${assetHash}`);
    // index.mjs, and the chunks of code it loads on demand.
    const files = readdirSync(assetDir);
    expect(files).toContain('index.mjs');
    for (const file of files) {
      expect(file).toMatch(/\.mjs$/);
      const chunk = readFileSync(path.join(assetDir, file), 'utf8');
      expect(
        chunk.startsWith(
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        ),
      ).toBe(true);
      expect(chunk).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(chunk).not.toContain('sourceMappingURL');
      expect(chunk.split('\n').length).toBeLessThan(50);
    }
    const bundle = files.map((file) => readFileSync(path.join(assetDir, file), 'utf8')).join('\n');
    expect(bundle).toContain('DynamoDBClient');
  });
});

describe('ConverseFunction validation', () => {
  test.each([
    ['no models', { models: [] }, 'models must list at least one Bedrock model or inference profile id'],
    ['a malformed model id', { models: ['gpt-4'] }, "models[0]: 'gpt-4' is not a Bedrock model id"],
    [
      'a timeout within the runtime safety buffer',
      { timeout: Duration.seconds(30) },
      'timeout must be more than 60 seconds and at most 15 minutes (got 30 s)',
    ],
    ['a timeout over the Lambda maximum', { timeout: Duration.minutes(16) }, 'at most 15 minutes (got 960 s)'],
    [
      'a memory size under 128 MiB',
      { memorySize: 64 },
      'memorySize must be a whole number of MiB between 128 and 10240 (got 64)',
    ],
  ] as [string, Partial<ConverseFunctionProps>, string][])('rejects %s', (_case, overrides, expected) => {
    expect(() => converseStack(overrides)).toThrow(expected);
  });

  test('reports every problem at once', () => {
    let message = '';
    try {
      converseStack({
        models: ['gpt-4', 'amazon.nova-pro-v1:0', 'us.x'],
        timeout: Duration.seconds(10),
        memorySize: 100_000,
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('Invalid ConverseFunction props at Stack/Converse');
    for (const part of ["models[0]: 'gpt-4'", "models[2]: 'us.x'", 'timeout must be', 'memorySize must be'])
      expect(message).toContain(part);
  });

  test('tolerates tokens in timeout and memory size', () => {
    expect(() =>
      converseStack({
        timeout: Duration.seconds(Lazy.number({ produce: () => 300 })),
        memorySize: Lazy.number({ produce: () => 2048 }),
      }),
    ).not.toThrow();
  });
});

describe('ConverseFunction.grantInvokeUrl', () => {
  test('grants both lambda:InvokeFunctionUrl and lambda:InvokeFunction on this function, nothing else', () => {
    const { stack, converse } = converseStack();
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    converse.grantInvokeUrl(caller);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(caller.node.defaultChild as iam.CfnRole) }] },
    });
    const statements = Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const functionArn = { 'Fn::GetAtt': [stack.getLogicalId(converse.function.node.defaultChild as never), 'Arn'] };
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.sort()).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl']);
    for (const statement of statements) {
      expect([statement.Resource].flat()).toContainEqual(functionArn);
    }
  });
});

describe('imported tables', () => {
  test('an imported table with a customer-managed key grants the key to the runtime', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
    const key = kms.Key.fromKeyArn(
      stack,
      'Key',
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    const sessions = SessionHistoryTable.fromSessionHistoryTableAttributes(stack, 'Sessions', {
      tableName: 'support-sessions',
      encryptionKey: key,
    });
    const role = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    sessions.grantSessionRuntime(role);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:GetItem'],
      }),
    );
    expect(statements).toContainEqual(expect.objectContaining({ Resource: key.keyArn }));
  });

  test.each([
    [
      'AgentDefinitionTable.fromAgentDefinitionTableAttributes',
      (stack: Stack) => AgentDefinitionTable.fromAgentDefinitionTableAttributes(stack, 'Agents', {}),
    ],
    [
      'SessionHistoryTable.fromSessionHistoryTableAttributes',
      (stack: Stack) => SessionHistoryTable.fromSessionHistoryTableAttributes(stack, 'Sessions', {}),
    ],
  ])('%s without a name or ARN says what to give', (caller, importIt) => {
    expect(() => importIt(new Stack(new App(), 'Stack'))).toThrow(`${caller} at Stack/`);
    expect(() => importIt(new Stack(new App(), 'Stack'))).toThrow('give tableName or tableArn of the existing table');
  });
});

describe('ConverseFunction reused in another stack (the README example)', () => {
  const stack = new Stack(new App(), 'SupportBot', { env: { account: '111122223333', region: 'us-east-1' } });
  const memory = AgentMemory.fromAgentMemoryAttributes(stack, 'Memory', {
    memoryId: 'agent_memory_prod-AbCdEf1234',
    namespaces: { userPreference: '/preferences/{actorId}/', semantic: '/facts/{actorId}/' },
  });
  new ConverseFunction(stack, 'Converse', {
    agentTable: AgentDefinitionTable.fromAgentDefinitionTableAttributes(stack, 'Agents', {
      tableName: 'support-agents',
    }),
    sessionTable: SessionHistoryTable.fromSessionHistoryTableAttributes(stack, 'Sessions', {
      tableName: 'support-sessions',
    }),
    memory,
    models: ['us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    entry: FIXTURE_ENTRY,
  });
  const template = Template.fromStack(stack);
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
  );
  const resourceOf = (action: string) =>
    stack.resolve(
      statements.find((statement) => JSON.stringify(statement.Action) === JSON.stringify(action))?.Resource,
    );

  test('grants on the imported tables and memory by name and id', () => {
    expect(JSON.stringify(resourceOf('dynamodb:GetItem'))).toContain(':table/support-agents');
    expect(JSON.stringify(statements.map((statement) => statement.Resource))).toContain(':table/support-sessions');
    expect(
      JSON.stringify(
        statements.find((statement) => JSON.stringify(statement.Action).includes('bedrock-agentcore:CreateEvent'))
          ?.Resource,
      ),
    ).toContain(':bedrock-agentcore:us-east-1:111122223333:memory/agent_memory_prod-AbCdEf1234');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          AGENT_TABLE_NAME: 'support-agents',
          SESSION_TABLE_NAME: 'support-sessions',
          MEMORY_ID: 'agent_memory_prod-AbCdEf1234',
          POWERTOOLS_SERVICE_NAME: 'converse',
        },
      },
    });
  });

  test('has no AwsSolutions or Serverless findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
