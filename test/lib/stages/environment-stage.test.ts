import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EnvironmentStage, parseEnvironmentsContext, type EnvironmentConfig } from '../../../lib/index.js';
import { renderJoin } from '../intrinsics.js';
import { nagFindings } from '../nag.js';
import { templateForSnapshot } from '../template-snapshot.js';

const packageRoot = path.resolve(__dirname, '..', '..', '..');
const cdkJson = require(path.join(packageRoot, 'cdk.json')) as { context: { environments: unknown } };
const configs = parseEnvironmentsContext(cdkJson.context.environments);
const configNamed = (name: string) => configs.find((config) => config.name === name)!;

function stageFor(config: EnvironmentConfig) {
  const stage = new EnvironmentStage(new App(), config.name, { config });
  return { stage, stateful: Template.fromStack(stage.stateful), stateless: Template.fromStack(stage.stateless) };
}

const stages = Object.fromEntries(configs.map((config) => [config.name, stageFor(config)]));

test('cdk.json defines dev and prod', () => {
  expect(configs.map((config) => config.name)).toEqual(expect.arrayContaining(['dev', 'prod']));
});

describe.each(configs.map((config) => [config.name, config] as const))('the %s stage', (name, config) => {
  const { stage, stateful, stateless } = stages[name];
  const removal = config.retainData ? 'Retain' : 'Delete';

  test('has a stateful and a stateless stack named after the environment', () => {
    expect(stage.stateful.stackName).toBe(`AgentMemory-${name}-Stateful`);
    expect(stage.stateless.stackName).toBe(`AgentMemory-${name}-Stateless`);
    expect(stage.stateless.dependencies).toContain(stage.stateful);
  });

  test('keeps data in the stateful stack only', () => {
    stateful.resourceCountIs('AWS::BedrockAgentCore::Memory', 1);
    stateful.resourceCountIs('AWS::DynamoDB::Table', 2);
    stateless.resourceCountIs('AWS::BedrockAgentCore::Memory', 0);
    stateless.resourceCountIs('AWS::DynamoDB::Table', 0);
    // The converse function and the forget function.
    stateless.resourceCountIs('AWS::Lambda::Function', 2);
  });

  test('names the memory after the environment and sets its event expiry', () => {
    stateful.hasResourceProperties('AWS::BedrockAgentCore::Memory', {
      Name: `agent_memory_${name}`,
      EventExpiryDuration: config.eventExpiryDays,
    });
  });

  test("keeps each strategy pair's long-term records for the configured days", () => {
    const [memory] = Object.values(stateful.findResources('AWS::BedrockAgentCore::Memory'));
    const expiry = (
      memory.Properties.MemoryStrategies as Record<string, { RecordExpirySpecification?: unknown }>[]
    ).map((strategy) => [Object.keys(strategy)[0], Object.values(strategy)[0].RecordExpirySpecification]);
    const days = (value: number | undefined) => (value === undefined ? undefined : { RecordExpiryDurationDays: value });
    expect(expiry).toEqual([
      ['SummaryMemoryStrategy', days(config.summariesAndEpisodesExpiryDays)],
      ['UserPreferenceMemoryStrategy', days(config.factsAndPreferencesExpiryDays)],
      ['SemanticMemoryStrategy', days(config.factsAndPreferencesExpiryDays)],
    ]);
  });

  test(`${config.retainData ? 'retains' : 'destroys'} the memory and both tables on delete, as configured`, () => {
    stateful.allResources('AWS::BedrockAgentCore::Memory', { DeletionPolicy: removal, UpdateReplacePolicy: removal });
    stateful.allResources('AWS::DynamoDB::Table', { DeletionPolicy: removal, UpdateReplacePolicy: removal });
  });

  test(`${config.retainData ? 'keeps' : 'deletes'} the seeded agent item when the stateful stack is deleted, as its table`, () => {
    const [seed] = Object.values(stateful.findResources('Custom::AgentDefinition'));
    expect(seed.DeletionPolicy).toBe(removal);
    expect(seed.Properties.DeleteOnRemoval).toBe(String(!config.retainData));
  });

  test('gives the converse and forget log groups the configured retention', () => {
    stateless.resourceCountIs('AWS::Logs::LogGroup', 2);
    stateless.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: config.logRetentionDays });
  });

  test('deploys the forget function under the name npm run forget invokes', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', { FunctionName: `agent-memory-forget-${name}` });
    expect(stage.stateless.forget.function.node.path).toBe(`${name}/Stateless/Forget/Resource`);
  });

  test("seeds the default agent with the environment's first model and the memory's id", () => {
    const memoryLogicalId = Object.keys(stateful.findResources('AWS::BedrockAgentCore::Memory'))[0];
    const [seed] = Object.values(stateful.findResources('Custom::AgentDefinition'));
    const item = JSON.parse(renderJoin(seed.Properties.Item));
    expect(item.agent_id).toEqual({ S: 'default' });
    expect(item.foundation_model).toEqual({ S: config.models[0] });
    expect(item.memory_feature.M.enabled).toEqual({ BOOL: true });
    expect(item.memory_feature.M.memory_id).toEqual({ S: `\${GetAtt:${memoryLogicalId}.MemoryId}` });
  });

  test('grants the function every configured model', () => {
    const bedrockStatement = Object.values(stateless.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .find((statement) => JSON.stringify(statement.Action).includes('bedrock:InvokeModel'));
    const resources = JSON.stringify(bedrockStatement.Resource);
    for (const model of config.models) expect(resources).toContain(model);
  });

  test('outputs the URL, the memory id, the table names, the function and dashboard names, and the alarm topic when it alarms', () => {
    const outputs = stateless.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AgentTableName',
        ...(config.alarms ? ['AlarmTopicArn'] : []),
        'ConverseFunctionName',
        'ConverseUrl',
        'DashboardName',
        'ForgetFunctionName',
        'MemoryId',
        'SessionTableName',
      ].sort(),
    );
    expect(outputs.ConverseFunctionName.Value).toEqual({
      Ref: stage.stateless.getLogicalId(stage.stateless.converse.function.node.defaultChild as never),
    });
    expect(outputs.ForgetFunctionName.Value).toEqual({
      Ref: stage.stateless.getLogicalId(stage.stateless.forget.function.node.defaultChild as never),
    });
    expect(outputs.ConverseUrl.Value).toEqual({
      'Fn::GetAtt': [Object.keys(stateless.findResources('AWS::Lambda::Url'))[0], 'FunctionUrl'],
    });
    for (const key of ['AgentTableName', 'MemoryId', 'SessionTableName']) {
      expect(outputs[key].Value['Fn::ImportValue']).toMatch(new RegExp(`^AgentMemory-${name}-Stateful:`));
    }
  });

  test('has one dashboard named after the environment, and alarms only where cdk.json asks for them', () => {
    stateless.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    stateless.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: `AgentMemory-${name}` });
    const alarms = Object.keys(stateless.findResources('AWS::CloudWatch::Alarm'));
    if (config.alarms) expect(alarms.length).toBeGreaterThan(0);
    else expect(alarms).toEqual([]);
  });

  test("tags the runtime's metrics with the environment's service name", () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: `converse-${name}` } },
    });
  });

  test('is environment-agnostic unless cdk.json names an account and region', () => {
    const expected = `aws://${config.account ?? 'unknown-account'}/${config.region ?? 'unknown-region'}`;
    expect(stage.stateful.environment).toBe(expected);
    expect(stage.stateless.environment).toBe(expected);
  });

  test('has no AwsSolutions or Serverless findings in either stack', () => {
    expect(nagFindings(stage.stateful)).toEqual([]);
    expect(nagFindings(stage.stateless)).toEqual([]);
  });

  test("deploys the agent writer's own source inline, the one function without an asset", () => {
    const writerSource = readFileSync(path.join(packageRoot, 'lambda', 'agent-definition-writer', 'index.js'), 'utf8');
    const inlineSources = [stateful, stateless].flatMap((template) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .map((resource) => resource.Properties.Code.ZipFile)
        .filter((source) => source !== undefined),
    );
    expect(inlineSources).toEqual([writerSource]);
  });

  test('matches its snapshot, asset hashes and inline function source masked', () => {
    const templates = { stateful: stateful.toJSON(), stateless: stateless.toJSON() };
    const text = JSON.stringify(templates);
    expect(text).not.toContain(process.cwd());
    expect(text).not.toContain(packageRoot);
    expect(templateForSnapshot(templates)).toMatchSnapshot();
  });
});

describe('an environment with account and region', () => {
  test('pins both stacks to them', () => {
    const config: EnvironmentConfig = {
      ...configNamed('dev'),
      name: 'pinned',
      account: '111122223333',
      region: 'eu-central-1',
    };
    const stage = new EnvironmentStage(new App(), 'pinned', { config });
    expect(stage.stateful.environment).toBe('aws://111122223333/eu-central-1');
    expect(stage.stateless.environment).toBe('aws://111122223333/eu-central-1');
  });
});
