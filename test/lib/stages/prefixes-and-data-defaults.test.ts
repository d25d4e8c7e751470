import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EnvironmentStage, configureAgentApp, type EnvironmentConfig } from '../../../lib/index.js';
import { nagFindings } from '../nag.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const base: EnvironmentConfig = {
  name: 'dev',
  models: ['us.anthropic.claude-haiku-4-5-20251001-v1:0'],
  eventExpiryDays: 30,
  retainData: true,
  logRetentionDays: 14,
};

/** Every name the templates set themselves (stack names aside): what must differ between apps in one account. */
function explicitNames(stage: EnvironmentStage): string[] {
  const names = [stage.stateful.stackName, stage.stateless.stackName];
  for (const stack of [stage.stateful, stage.stateless]) {
    const resources: Record<string, { Properties?: Record<string, unknown> }> =
      Template.fromStack(stack).toJSON().Resources;
    for (const resource of Object.values(resources)) {
      for (const key of [
        'Name',
        'FunctionName',
        'DashboardName',
        'TableName',
        'LogGroupName',
        'AlarmName',
        'RoleName',
      ]) {
        const value = resource.Properties?.[key];
        if (typeof value === 'string') names.push(value);
      }
    }
  }
  return names;
}

describe('two apps with different name prefixes, the same environment, one account', () => {
  const alpha = new EnvironmentStage(new App(), 'dev', { config: base, namePrefix: 'alpha' });
  const beta = new EnvironmentStage(new App(), 'dev', { config: base, namePrefix: 'beta-2' });
  const alphaNames = explicitNames(alpha);
  const betaNames = explicitNames(beta);

  test('no physical name collides, and every one carries its prefix', () => {
    expect(alphaNames.filter((name) => betaNames.includes(name))).toEqual([]);
    expect(alphaNames.every((name) => /^alpha[-_]/.test(name))).toBe(true);
    expect(betaNames.every((name) => /^beta[-_]2[-_]/.test(name))).toBe(true);
  });

  test('names the stacks, memory, forget function and dashboard with the prefix', () => {
    expect(betaNames.sort()).toEqual(
      [
        'beta-2-AgentMemory-dev-Stateful',
        'beta-2-AgentMemory-dev-Stateless',
        'beta_2_agent_memory_dev',
        'beta-2-agent-memory-forget-dev',
        'beta-2-AgentMemory-dev',
      ].sort(),
    );
  });

  test('refuses a prefix that cannot start every name', () => {
    expect(() => new EnvironmentStage(new App(), 'dev', { config: base, namePrefix: 'a_b' })).toThrow(
      /namePrefix 'a_b' must start with a letter and hold letters, digits and single hyphens/,
    );
  });
});

describe('the namePrefix context key and hyphenated environment names', () => {
  test('cdk.json namePrefix prefixes every environment; dev-eu maps to a memory name without hyphens', () => {
    const { name: _name, ...settings } = base;
    const app = new App({ context: { namePrefix: 'acme', environments: { 'dev-eu': settings, dev: settings } } });
    const [devEu, dev] = configureAgentApp(app);
    expect(devEu.stateful.stackName).toBe('acme-AgentMemory-dev-eu-Stateful');
    Template.fromStack(devEu.stateful).hasResourceProperties('AWS::BedrockAgentCore::Memory', {
      Name: 'acme_agent_memory_dev_eu',
    });
    Template.fromStack(dev.stateful).hasResourceProperties('AWS::BedrockAgentCore::Memory', {
      Name: 'acme_agent_memory_dev',
    });
  });

  test('refuses a malformed namePrefix in cdk.json', () => {
    const { name: _name, ...settings } = base;
    const app = new App({ context: { namePrefix: 42, environments: { dev: settings } } });
    expect(() => configureAgentApp(app)).toThrow('cdk.json context namePrefix: must be a string (got 42)');
  });
});

describe('data protection defaults', () => {
  test.each([
    [true, 'Retain', true],
    [false, 'Delete', false],
  ])(
    'retainData %s: tables %s with deletion protection %s, and the memory service role and its policy follow the memory',
    (retainData, policy, protection) => {
      const stage = new EnvironmentStage(new App(), 'dev', { config: { ...base, retainData } });
      const template = Template.fromStack(stage.stateful);
      const tables = Object.values(template.findResources('AWS::DynamoDB::Table'));
      expect(tables.map((table) => [table.DeletionPolicy, table.Properties.DeletionProtectionEnabled])).toEqual([
        [policy, protection],
        [policy, protection],
      ]);
      const memoryRole = stage.stateful.memory.memory.node.findChild('ServiceRole');
      const roleId = stage.stateful.getLogicalId(memoryRole.node.defaultChild as never);
      expect(template.toJSON().Resources[roleId].DeletionPolicy).toBe(policy);
      const [memory] = Object.values(template.findResources('AWS::BedrockAgentCore::Memory'));
      expect(memory.DeletionPolicy).toBe(policy);
    },
  );

  test('kmsKeyArn encrypts the memory and both tables with the existing key, with no finding', () => {
    const stage = new EnvironmentStage(new App(), 'dev', {
      config: { ...base, account: '111122223333', region: 'us-east-1', kmsKeyArn: KEY_ARN },
    });
    const template = Template.fromStack(stage.stateful);
    template.hasResourceProperties('AWS::BedrockAgentCore::Memory', { EncryptionKeyArn: KEY_ARN });
    const tables = Object.values(template.findResources('AWS::DynamoDB::Table'));
    expect(tables.map((table) => table.Properties.SSESpecification)).toEqual([
      { KMSMasterKeyId: KEY_ARN, SSEEnabled: true, SSEType: 'KMS' },
      { KMSMasterKeyId: KEY_ARN, SSEEnabled: true, SSEType: 'KMS' },
    ]);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(nagFindings(stage.stateful)).toEqual([]);
    expect(nagFindings(stage.stateless)).toEqual([]);
  });
});
