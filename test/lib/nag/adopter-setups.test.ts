/**
 * The setups adopters meet that one configuration hides: a newer aws-cdk-lib (a newer
 * Node.js runtime), a concrete account and region under the partition-literals flag,
 * customer-managed keys, cdk-nag 2. Synth must report nothing on the package's own
 * resources and still report the adopter's.
 */
import * as path from 'node:path';
import { App, CfnResource, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import {
  AgentDefinitionTable,
  AgentMemory,
  ConverseFunction,
  ForgetFunction,
  SessionHistoryTable,
  type ConverseFunctionProps,
} from '../../../lib/index.js';
import { nagFindings } from '../nag.js';

const FIXTURE_ENTRY = path.join(__dirname, '..', 'converse', 'fixtures', 'handler.ts');
const PROFILE = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const PARTITION_LITERALS = { '@aws-cdk/core:enablePartitionLiterals': true };
const CONCRETE_ENV = { account: '111122223333', region: 'us-east-1' };

interface SetupOptions {
  readonly stackProps?: StackProps;
  readonly keyed?: boolean;
  readonly converse?: Partial<ConverseFunctionProps>;
  readonly forgetRuntime?: lambda.Runtime;
}

function packageStack(options: SetupOptions = {}) {
  const app = new App({ context: PARTITION_LITERALS });
  const stack = new Stack(app, 'Adopter', options.stackProps);
  const key = options.keyed ? new kms.Key(stack, 'DataKey', { enableKeyRotation: true }) : undefined;
  const memory = new AgentMemory(stack, 'Memory', { memoryName: 'adopter_memory', kmsKey: key });
  const agents = new AgentDefinitionTable(stack, 'Agents', { encryptionKey: key });
  const sessions = new SessionHistoryTable(stack, 'Sessions', { encryptionKey: key });
  agents.addAgent({ agentId: 'support', basePrompt: 'Help.', foundationModel: PROFILE, memory });
  const converse = new ConverseFunction(stack, 'Converse', {
    agentTable: agents,
    sessionTable: sessions,
    memory,
    models: [PROFILE],
    entry: FIXTURE_ENTRY,
    ...options.converse,
  });
  const forget = new ForgetFunction(stack, 'Forget', {
    memory,
    sessionTable: sessions,
    runtime: options.forgetRuntime,
  });
  return { app, stack, memory, agents, sessions, converse, forget };
}

function acknowledgedIds(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as object).map((id) => id.replace(/^annotation::/i, ''))),
    );
}

function v2Rules(construct: IConstruct): { id: string; reason: string; applies_to?: string[] }[] {
  const resource = (CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild) as CfnResource;
  return (resource.getMetadata('cdk_nag') as { rules_to_suppress: never[] } | undefined)?.rules_to_suppress ?? [];
}

describe('an environment-agnostic stack and one with account and region, both under the partition-literals flag', () => {
  test.each([
    ['environment-agnostic', {}, 'arn:<AWS::Partition>:bedrock:*::foundation-model/'],
    ['account and region', { env: CONCRETE_ENV }, 'arn:aws:bedrock:*::foundation-model/'],
  ])('%s: no finding, and the profile acknowledgment names the rendering cdk-nag reports', (_, stackProps, arn) => {
    const { stack, converse } = packageStack({ stackProps });
    expect(nagFindings(stack)).toEqual([]);
    expect(acknowledgedIds(converse)).toContain(
      `AwsSolutions-IAM5[Resource::${arn}anthropic.claude-haiku-4-5-20251001-v1:0]`,
    );
  });
});

describe('customer-managed keys on the memory and both tables', () => {
  const { stack, memory, agents, sessions, converse, forget } = packageStack({
    keyed: true,
    stackProps: { env: CONCRETE_ENV },
  });
  const ownRole = new iam.Role(stack, 'OwnRuntime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  sessions.grantSessionRuntime(ownRole);

  test("no finding on the package's roles (memory service role, writer, converse, forget)", () => {
    const findings = nagFindings(stack);
    expect(findings.filter((finding) => !finding.includes('/OwnRuntime/'))).toEqual([]);
  });

  test('acknowledges exactly the key wildcards each role holds', () => {
    const keyAcks = (scope: IConstruct) =>
      acknowledgedIds(scope)
        .filter((id) => id.includes('kms:'))
        .sort();
    const both = ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]'];
    expect(keyAcks(converse)).toEqual(both);
    expect(keyAcks(forget)).toEqual(both);
    expect(keyAcks(agents)).toEqual(both);
    expect(keyAcks(memory)).toEqual(['AwsSolutions-IAM5[Action::kms:ReEncrypt*]']);
  });

  test("still reports the same wildcards on the adopter's own role", () => {
    expect(nagFindings(stack)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*] at Adopter/OwnRuntime/DefaultPolicy/Resource',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*] at Adopter/OwnRuntime/DefaultPolicy/Resource',
      ]),
    );
  });
});

describe('an aws-cdk-lib that offers a newer Node.js than the shipped bundles are tested on', () => {
  beforeAll(() => {
    // What aws-cdk-lib 2.278.0 adds; the constructor registers it in Runtime.ALL, where cdk-nag looks.
    new lambda.Runtime('nodejs26.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });
  });

  test('the default runtime (Node.js 24) is acknowledged on the three functions, saying why; nothing is reported', () => {
    const { stack, agents, converse, forget } = packageStack();
    expect(nagFindings(stack)).toEqual([]);
    const writer = agents.node.findChild('AgentWriter');
    for (const fn of [converse.function, forget.function, writer]) {
      expect(acknowledgedIds(fn)).toEqual(
        expect.arrayContaining(['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']),
      );
      expect(v2Rules(fn).find((rule) => rule.id === 'AwsSolutions-L1')?.reason).toMatch(/nodejs24\.x.*nodejs26\.x/);
    }
  });

  test('a runtime the adopter sets is not acknowledged: the rules report it', () => {
    const { stack } = packageStack({
      converse: { runtime: lambda.Runtime.NODEJS_24_X },
      forgetRuntime: lambda.Runtime.NODEJS_22_X,
    });
    expect(nagFindings(stack).sort()).toEqual([
      'AwsSolutions-L1 at Adopter/Converse/Resource/Resource',
      'AwsSolutions-L1 at Adopter/Forget/Resource/Resource',
      'Serverless-LambdaLatestVersion at Adopter/Converse/Resource/Resource',
      'Serverless-LambdaLatestVersion at Adopter/Forget/Resource/Resource',
    ]);
  });
});

describe('cdk-nag 2 metadata beside the cdk-nag 3 acknowledgments', () => {
  const { converse } = packageStack();

  test('the function carries rules_to_suppress with the rule and its reason', () => {
    expect(v2Rules(converse.function)).toContainEqual({
      id: 'Serverless-LambdaDLQ',
      reason: expect.stringContaining('Function URL'),
    });
  });

  test('a finding-level acknowledgment names its finding in applies_to', () => {
    const rules = v2Rules(converse.role.node.findChild('DefaultPolicy'));
    const appliesTo = rules.filter((rule) => rule.id === 'AwsSolutions-IAM5').flatMap((rule) => rule.applies_to);
    expect(appliesTo.sort()).toEqual(
      [
        'Resource::*',
        'Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
      ].sort(),
    );
  });
});

describe("the adopter's own resources", () => {
  test('a table of their own without point-in-time recovery is reported beside the clean package resources', () => {
    const { stack } = packageStack();
    new dynamodb.Table(stack, 'Unprotected', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(nagFindings(stack)).toEqual(['AwsSolutions-DDB3 at Adopter/Unprotected/Resource']);
  });
});
