import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GetMemoryCommand } from '@aws-sdk/client-bedrock-agentcore-control';
import type { AwsAccess } from '../../../scripts/cli/aws-preflight.js';
import { runDoctorCli } from '../../../scripts/doctor/index.js';
import {
  clients,
  control,
  deployedStrategies,
  doctor,
  EXPECTED,
  MEMORY_ID,
  memoryOutput,
  resetDoctorMocks,
  ROOT,
} from './fixtures.js';

beforeEach(resetDoctorMocks);

const ACCESS: AwsAccess = {
  region: 'us-east-1',
  credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
};

async function cli(argv: string[], access: () => Promise<AwsAccess> = async () => ACCESS) {
  let stdout = '';
  let stderr = '';
  const code = await runDoctorCli(
    argv,
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    { access, clientsFor: () => clients },
  );
  return { code, stdout, stderr };
}

const WORK = mkdtempSync(path.join(tmpdir(), 'doctor-cli-'));
function file(name: string, content: unknown): string {
  const target = path.join(WORK, name);
  writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
  return target;
}

/** A synthesized template as `cdk synth` writes it, with the memory EXPECTED describes. */
const TEMPLATE = {
  Resources: {
    Memory: {
      Type: 'AWS::BedrockAgentCore::Memory',
      Properties: {
        Name: 'agent_memory_prod',
        EventExpiryDuration: 90,
        MemoryStrategies: [
          { SummaryMemoryStrategy: { Name: 'session_summary', Namespaces: ['/summaries/{actorId}/{sessionId}/'] } },
          { UserPreferenceMemoryStrategy: { Name: 'user_preference', Namespaces: ['/preferences/{actorId}/'] } },
          { SemanticMemoryStrategy: { Name: 'semantic_facts', Namespaces: ['/facts/{actorId}/'] } },
        ],
      },
    },
  },
};

describe('doctor without synthesizing', () => {
  test('--expect a synthesized template: compares with it, JSON only on stdout', async () => {
    const run = await cli(['--stack', EXPECTED.statelessStackName, '--expect', file('t.json', TEMPLATE), '--json']);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ region: 'us-east-1', stackName: EXPECTED.statelessStackName, memoryId: MEMORY_ID });
    expect(report.findings.map((f: { check: string }) => f.check)).toEqual(
      expect.arrayContaining(['memory.name', 'memory.eventExpiry', 'strategy.namespaces']),
    );
  });

  test('--expect the JSON --print-expected writes, finding drift in it (exit 1)', async () => {
    const expected = { ...EXPECTED.memory, eventExpiryDays: 30 };
    const run = await cli(['--memory-id', MEMORY_ID, '--expect', file('e.json', expected)]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('DRIFT event expiry: expected 30 days, deployed 90');
    expect(run.stdout).toContain('no agent table named (--agent-table');
  });

  test.each([
    ['not JSON', 'nope', "--expect '<file>' cannot be read as JSON"],
    ['neither a template nor an expectation', { name: 'x' }, 'is neither a CloudFormation template nor'],
  ])('an --expect file that is %s exits 2 naming the option', async (_case, content, message) => {
    const target = file('bad.json', content);
    const run = await cli(['--memory-id', MEMORY_ID, '--expect', target]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message.replace('<file>', target));
  });

  test('exits 2 before any AWS call when credentials or region are missing, the report still JSON', async () => {
    const run = await cli(['--stack', 'S', '--json'], async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
    });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 2, error: { type: 'NoCredentials' } });
    expect(control.commandCalls(GetMemoryCommand)).toHaveLength(0);
  });

  test.each([
    [[], 'name what to check: --stack, or --memory-id'],
    [['--stack', 'S', '--timeout', 'soon'], "--timeout 'soon' is not a positive number of seconds"],
    [['--stack', 'S', '--print-expected'], '--print-expected needs --env'],
    [['--stack', 'S', '--wiat'], "Unknown option '--wiat'"],
  ])('%j exits 2 naming the option', async (argv, message) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});

describe('doctor --wait', () => {
  test('stops at the first error retrying cannot fix, long before its timeout', async () => {
    control
      .on(GetMemoryCommand)
      .rejects(Object.assign(new Error('not authorized to perform GetMemory'), { name: 'AccessDeniedException' }));

    const started = Date.now();
    const report = await doctor({ wait: true, timeoutSeconds: 600, waitMinDelaySeconds: 0.01 });

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(report.exitCode).toBe(2);
    expect(report.error?.type).toBe('AccessDenied');
    expect(control.commandCalls(GetMemoryCommand)).toHaveLength(1);
  });

  test('retries throttling and server errors until the memory is ACTIVE', async () => {
    control
      .on(GetMemoryCommand, { memoryId: MEMORY_ID })
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('oops'), { name: 'InternalServerException' }))
      .resolvesOnce(memoryOutput({ status: 'CREATING' }))
      .resolves(memoryOutput());

    const report = await doctor({ wait: true, timeoutSeconds: 5, waitMinDelaySeconds: 0.01 });

    expect(report.exitCode).toBe(0);
    expect(control.commandCalls(GetMemoryCommand, { memoryId: MEMORY_ID }).length).toBeGreaterThanOrEqual(4);
  });

  test('after its timeout says how long it waited, and does not suggest --wait again', async () => {
    const strategies = deployedStrategies();
    control.on(GetMemoryCommand, { memoryId: MEMORY_ID }).resolves(memoryOutput({ status: 'CREATING', strategies }));

    const report = await doctor({ wait: true, timeoutSeconds: 0.2, waitMinDelaySeconds: 0.01 });

    expect(report.exitCode).toBe(1);
    const status = report.findings.find((finding) => finding.check === 'memory.status')!;
    expect(status).toMatchObject({ status: 'drift', deployed: 'CREATING' });
    expect(status.message).toContain('still not ACTIVE after waiting 0.2 s');
    expect(status.message).not.toContain('--wait');
  });
});

describe('the doctor as a process', () => {
  const offline = {
    ...process.env,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  };
  const run = (args: string[], env: Record<string, string | undefined>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli/index.ts', 'doctor', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: env,
    });

  test('--env without credentials: exits 2 with JSON alone on stdout, before synthesizing', () => {
    const result = run(['--env', 'dev', '--json', '--region', 'us-east-1'], offline);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      environment: 'dev',
      region: 'us-east-1',
      error: { type: 'NoCredentials', message: expect.stringContaining('set AWS_PROFILE') },
    });
    expect(result.stderr).not.toContain('Synthesizing');
  });

  test('without a region: exits 2 saying how to give one', () => {
    const result = run(['--stack', 'S'], { ...offline, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('Could not check (NoRegion): no AWS region: pass --region, export AWS_REGION');
  });
});
