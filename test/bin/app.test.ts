import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { addNagPacks } from '../../bin/nag-packs.js';
import { configureAgentApp, parseBedrockModelId } from '../../lib/index.js';

const ROOT = path.join(__dirname, '..', '..');
const cdkJson = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

/**
 * Runs cdk.json's `app` command the way the CDK CLI does: through a shell in the project
 * directory, context in CDK_CONTEXT_JSON, output to CDK_OUTDIR.
 */
function runApp(context: Record<string, unknown>) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-out-'));
  try {
    const result = spawnSync(cdkJson.app, {
      cwd: ROOT,
      shell: true,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
      encoding: 'utf8',
    });
    const templates = readdirSync(outdir, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.template.json'),
    );
    // Artifact ids are the stack path plus a hash: `devStateful28FBCF0B.template.json`.
    const stacks = templates.map((file) => path.basename(file).replace(/[0-9A-F]{8}\.template\.json$/, '')).sort();
    return { status: result.status, stderr: result.stderr, stacks };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The app as bin/app.ts builds it: every environment, both cdk-nag packs. */
function appWithNagPacks(app: App) {
  const stages = configureAgentApp(app);
  addNagPacks(app);
  return stages;
}

describe('the whole app with the AwsSolutions and Serverless packs registered', () => {
  test('synthesizes every environment with no violations', () => {
    const app = new App({ context: cdkJson.context });
    const stages = appWithNagPacks(app);
    const assembly = app.synth();
    expect(stages.map((stage) => stage.stageName)).toEqual(['dev', 'prod']);
    for (const stage of stages) {
      const nested = assembly.getNestedAssembly(`assembly-${stage.stageName}`);
      expect(nested.stacks.map((stack) => stack.stackName).sort()).toEqual([
        `AgentMemory-${stage.stageName}-Stateful`,
        `AgentMemory-${stage.stageName}-Stateless`,
      ]);
    }
    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.filter((plugin: { conclusion: string }) => plugin.conclusion !== 'success')).toEqual(
      [],
    );
  });

  test('acknowledges exactly the findings the README lists, each by its exact id and with a reason', () => {
    const app = new App({ context: cdkJson.context });
    appWithNagPacks(app);
    const acknowledged = app.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, { reason?: string } | string>).map(([id, value]) => ({
            finding: `${id.replace(/^annotation::/i, '')} at ${construct.node.path.replace(/^(dev|prod)\//, '<env>/')}`,
            reason: typeof value === 'string' ? value : (value.reason ?? ''),
          })),
        ),
    );
    const profileModels = cdkJson.context.environments as Record<string, { models: string[] }>;
    const expected = new Set([
      'Serverless-LambdaDLQ at <env>/Stateless/Converse/Resource',
      'AwsSolutions-IAM5[Resource::*] at <env>/Stateless/Converse/Role/DefaultPolicy',
      // One per model reached through a cross-region inference profile.
      ...Object.values(profileModels).flatMap(({ models }) =>
        models
          .map((id) => parseBedrockModelId(id)!)
          .filter((model) => model.kind === 'inference-profile')
          .map(
            (model) =>
              `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${model.foundationModelId}] at <env>/Stateless/Converse/Role/DefaultPolicy`,
          ),
      ),
      'Serverless-LambdaDLQ at <env>/Stateless/Forget/Resource',
      'AwsSolutions-IAM5[Resource::*] at <env>/Stateless/Forget/Role/DefaultPolicy',
      'Serverless-LambdaDLQ at <env>/Stateful/AgentDefinitions/AgentWriter',
      'Serverless-LambdaTracing at <env>/Stateful/AgentDefinitions/AgentWriter',
    ]);
    expect(new Set(acknowledged.map((ack) => ack.finding))).toEqual(expected);
    for (const ack of acknowledged) expect(ack.reason).toMatch(/^.{60,}$/);
  });

  test('synthesizes clean with account and region, a customer-managed key and a name prefix on prod', () => {
    const environments = cdkJson.context.environments as Record<string, Record<string, unknown>>;
    const app = new App({
      context: {
        ...cdkJson.context,
        namePrefix: 'acme',
        environments: {
          ...environments,
          prod: {
            ...environments.prod,
            account: '111122223333',
            region: 'us-east-1',
            kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          },
        },
      },
    });
    const stages = appWithNagPacks(app);
    const assembly = app.synth();
    expect(stages.map((stage) => stage.stateful.stackName)).toEqual([
      'acme-AgentMemory-dev-Stateful',
      'acme-AgentMemory-prod-Stateful',
    ]);
    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.filter((plugin: { conclusion: string }) => plugin.conclusion !== 'success')).toEqual(
      [],
    );
  });

  test('fails synthesis when a stack breaks a rule, so the packs are really active', () => {
    const app = new App({ context: cdkJson.context });
    const [dev] = appWithNagPacks(app);
    new dynamodb.Table(dev.stateful, 'Unprotected', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
  });
});

describe('cdk.json', () => {
  test('its app command synthesizes a stateful and a stateless template per environment', () => {
    const { status, stderr, stacks } = runApp(cdkJson.context);
    expect({ status, stderr: stderr.split('\n').filter((line) => /error/i.test(line)) }).toEqual({
      status: 0,
      stderr: [],
    });
    expect(stacks).toEqual(['devStateful', 'devStateless', 'prodStateful', 'prodStateless']);
  });

  test('its app command synthesizes clean with a concrete account and region on prod (as every real deployment pins them)', () => {
    const environments = cdkJson.context.environments as Record<string, Record<string, unknown>>;
    const { status, stderr, stacks } = runApp({
      ...cdkJson.context,
      environments: { ...environments, prod: { ...environments.prod, account: '111122223333', region: 'us-east-1' } },
    });
    expect({
      status,
      stderr: stderr.split('\n').filter((line) => /error|AwsSolutions|Serverless/i.test(line)),
    }).toEqual({
      status: 0,
      stderr: [],
    });
    expect(stacks).toEqual(['devStateful', 'devStateless', 'prodStateful', 'prodStateless']);
  });

  test('runs the TypeScript app without type-checking it (npm test type-checks), and without npx', () => {
    expect(cdkJson.app).toMatch(/^node --import tsx bin\/app\.ts$/);
  });

  test('prod retains its data', () => {
    expect((cdkJson.context.environments as Record<string, { retainData?: boolean }>).prod.retainData).toBe(true);
  });
});

describe('bin/app.ts with a bad environment configuration', () => {
  test('exits 1 naming the environment and key, without a stack trace', () => {
    const environments = cdkJson.context.environments as Record<string, object>;
    const { status, stderr } = runApp({
      environments: { ...environments, dev: { ...environments.dev, eventExpiryDays: 3, colour: 'blue' } },
    });
    expect(status).toBe(1);
    expect(stderr).toContain('cdk.json context environments.dev.eventExpiryDays: must be between 7 and 365 (got 3)');
    expect(stderr).toContain('cdk.json context environments.dev.colour: unknown key');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test('exits 1 when no environment is configured', () => {
    const { status, stderr } = runApp({});
    expect(status).toBe(1);
    expect(stderr).toContain('cdk.json context environments: missing');
  });
});

describe('scripts/check-validation-report.mjs', () => {
  const script = path.join(ROOT, 'scripts', 'check-validation-report.mjs');
  const dir = mkdtempSync(path.join(tmpdir(), 'report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function check(report: unknown) {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
    if (report !== undefined) writeFileSync(file, typeof report === 'string' ? report : JSON.stringify(report));
    const result = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
    return { status: result.status, output: result.stdout + result.stderr };
  }

  test('passes a report whose plugins all succeeded', () => {
    expect(
      check({ pluginReports: [{ pluginName: 'AwsSolutions', conclusion: 'success', violations: [] }] }).status,
    ).toBe(0);
    expect(check({ pluginReports: [] }).status).toBe(0);
  });

  test('fails a report with a failed plugin and names the rule and construct', () => {
    const { status, output } = check({
      pluginReports: [
        { pluginName: 'AwsSolutions', conclusion: 'success', violations: [] },
        {
          pluginName: 'Serverless',
          conclusion: 'failure',
          violations: [
            {
              ruleName: 'Serverless-LambdaDLQ',
              description: 'The Lambda function does not have a dead letter target configured.',
              severity: 'error',
              violatingConstructs: [{ constructPath: 'dev/Stateless/Converse/Resource/Resource' }],
            },
          ],
        },
      ],
    });
    expect(status).toBe(1);
    expect(output).toContain('Serverless-LambdaDLQ');
    expect(output).toContain('dev/Stateless/Converse/Resource/Resource');
  });

  test('fails when the report is missing or unreadable', () => {
    expect(check(undefined).status).toBe(1);
    expect(check('not json').status).toBe(1);
    expect(check({ title: 'no plugin reports' }).status).toBe(1);
  });
});
