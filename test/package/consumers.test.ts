/**
 * The package as another repository meets it: packed into a tarball, installed into fresh
 * projects from that tarball and the npm cache alone (`--offline`), compiled with those
 * projects' own `tsc`, and run with plain `node`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AgentDefinitionTable, AgentMemory, ConverseFunction, SessionHistoryTable } from '../../lib/index.js';
import { layOutCdkInitApp, newestAwsCdkLib, physicalNamesOf, synthMatrix, templatesOf } from './adopter-matrix.js';
import { packedTarball } from './pack-once.js';
import { installOffline } from './offline-install.js';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const WORK = mkdtempSync(path.join(tmpdir(), 'agentcore-consumers-'));
const OFFLINE_ENV = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' };
const PEER_RANGE = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }
).peerDependencies['aws-cdk-lib'];
const LOWEST_AWS_CDK_LIB = PEER_RANGE.replace(/^\^/, '');

const installedVersion = (name: string) =>
  (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = OFFLINE_ENV) {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function runOrThrow(command: string, args: string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** A new project with `dependencies` and the packed package, installed offline. */
function newProject(name: string, dependencies: Record<string, string>, packageJson: Record<string, unknown> = {}) {
  const directory = path.join(WORK, name);
  installOffline(directory, ROOT, tarball, dependencies, packageJson);
  return directory;
}

/** Every copy of a package anywhere under a project's node_modules. */
function copiesOf(project: string, name: string): string[] {
  return readdirSync(path.join(project, 'node_modules'), { recursive: true, encoding: 'utf8' })
    .filter(
      (file) =>
        file === path.join(name, 'package.json') || file.endsWith(path.join('node_modules', name, 'package.json')),
    )
    .map((file) => path.join(project, 'node_modules', file));
}

let tarball: string;

/** What `cdk init app --language typescript` writes into tsconfig.json, in short. */
const CDK_INIT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['es2022'],
    strict: true,
    noImplicitReturns: true,
    noUnusedLocals: true,
    noFallthroughCasesInSwitch: true,
    typeRoots: ['./node_modules/@types'],
    outDir: 'build',
  },
  include: ['bin'],
};

const cdkAppProjects = new Map<string, string>();

/**
 * A CDK TypeScript app project on `awsCdkLib`, installed once per version: the lowest
 * offline from this repository's lock, a newer one by upgrading that install (from the
 * npm cache when it holds the version, else the registry).
 */
function cdkAppProject(awsCdkLib: string): string {
  const existing = cdkAppProjects.get(awsCdkLib);
  if (existing) return existing;
  const project = newProject(`consumer-cdk-app-${awsCdkLib}`, {
    'aws-cdk-lib': LOWEST_AWS_CDK_LIB,
    constructs: installedVersion('constructs'),
    'cdk-nag': installedVersion('cdk-nag'),
    typescript: installedVersion('typescript'),
    '@types/node': installedVersion('@types/node'),
  });
  if (awsCdkLib !== LOWEST_AWS_CDK_LIB) {
    runOrThrow(
      'npm',
      ['install', `aws-cdk-lib@${awsCdkLib}`, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
      project,
    );
  }
  writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(CDK_INIT_TSCONFIG));
  cdkAppProjects.set(awsCdkLib, project);
  return project;
}

/** The README's TypeScript examples that import the package, split by the entry point they use. */
function readmeExamples(): { constructs: string[]; runtime: string[] } {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  const importing = (entry: RegExp) => blocks.filter((block) => entry.test(block));
  return {
    constructs: importing(/from 'agentcore-memory-agents';/),
    runtime: importing(/from 'agentcore-memory-agents\/[a-z-]+';/),
  };
}

/** Writes each example as its own module under `examples/` and type-checks them with `tsconfig`. */
function compileExamples(project: string, examples: string[], tsconfig: Record<string, unknown>): void {
  mkdirSync(path.join(project, 'examples'), { recursive: true });
  examples.forEach((example, index) =>
    writeFileSync(path.join(project, 'examples', `readme-${index + 1}.ts`), `${example}\nexport {};\n`),
  );
  writeFileSync(path.join(project, 'tsconfig.examples.json'), JSON.stringify(tsconfig));
  runOrThrow(
    process.execPath,
    [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.examples.json'],
    project,
  );
}

beforeAll(() => {
  tarball = packedTarball();
}, 900_000);

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe('the packed tarball', () => {
  test('holds compiled JavaScript, types, the pre-built Lambda code, README and LICENSE; no sources, tests or app files', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((file) => file.replace(/^package\//, ''));
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'dist/cjs/lib/index.js',
        'dist/cjs/lib/index.d.ts',
        'dist/cjs/lambda/runtime.js',
        'dist/esm/lambda/runtime.js',
        'dist/esm/lambda/runtime.d.ts',
        'dist/converse-function/index.mjs',
        'dist/forget-function/index.mjs',
        'dist/agent-definition-writer/index.js',
      ]),
    );
    const unexpected = files.filter(
      (file) =>
        !/^dist\/(cjs|esm)\/.*\.(js|d\.ts|json)$/.test(file) &&
        // The functions' bundles: index.mjs and the chunks it loads on demand.
        !/^dist\/(converse|forget)-function\/[\w-]+\.mjs$/.test(file) &&
        // The inspector's local page, served by `agentcore-memory inspect --serve`.
        !/^dist\/bin\/inspect-page\/[\w-]+\.(html|css|js)$/.test(file) &&
        ![
          'package.json',
          'README.md',
          'LICENSE',
          'dist/converse-function/index.mjs',
          'dist/forget-function/index.mjs',
          'dist/agent-definition-writer/index.js',
          'dist/bin/agentcore-memory.js',
        ].includes(file),
    );
    expect(unexpected).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });
});

describe('a CDK TypeScript app in another repository', () => {
  let project: string;
  let synth: ReturnType<typeof run>;

  beforeAll(() => {
    project = cdkAppProject(LOWEST_AWS_CDK_LIB);
    mkdirSync(path.join(project, 'bin'));
    cpSync(path.join(FIXTURES, 'cdk-app.ts'), path.join(project, 'bin', 'app.ts'));
    runOrThrow(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project);
    synth = run(process.execPath, [path.join('build', 'app.js')], project, { ...OFFLINE_ENV, CDK_OUTDIR: 'cdk.out' });
  }, 600_000);

  const template = () =>
    JSON.parse(readFileSync(path.join(project, 'cdk.out', 'SupportBot.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };

  test('compiles with tsc and synthesizes memory, both tables with the agent, and the function; both cdk-nag packs pass', () => {
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const types = Object.values(template().Resources).map((resource) => resource.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::BedrockAgentCore::Memory',
        'AWS::DynamoDB::Table',
        'Custom::AgentDefinition',
        'AWS::Lambda::Function',
        'AWS::Lambda::Url',
      ]),
    );
    expect(types.filter((type) => type === 'AWS::DynamoDB::Table')).toHaveLength(2);
    const report = JSON.parse(readFileSync(path.join(project, 'cdk.out', 'validation-report.json'), 'utf8')) as {
      pluginReports: { conclusion: string }[];
    };
    expect(report.pluginReports.filter((plugin) => plugin.conclusion !== 'success')).toEqual([]);
  });

  test('holds exactly one aws-cdk-lib, the lowest supported version, and needs no esbuild', () => {
    const copies = copiesOf(project, 'aws-cdk-lib');
    expect(copies).toHaveLength(1);
    expect((JSON.parse(readFileSync(copies[0], 'utf8')) as { version: string }).version).toBe(LOWEST_AWS_CDK_LIB);
    expect(copiesOf(project, 'esbuild')).toEqual([]);
  });

  test("still reports a cdk-nag finding in the consumer's own stack, and the synth fails", () => {
    const violating = run(process.execPath, [path.join('build', 'app.js')], project, {
      ...OFFLINE_ENV,
      CDK_OUTDIR: 'cdk.out.violating',
      ADD_OWN_VIOLATION: 'table',
    });
    expect(violating.status).not.toBe(0);
    expect(violating.stderr).toMatch(/AwsSolutions-DDB3/);
    expect(violating.stderr).toMatch(/SupportBot\/Unprotected/);
  });

  test("deploys the packaged converse bundle, whose asset hash equals this repository's app's", () => {
    const stack = new Stack(new App(), 'SupportBot');
    const memory = new AgentMemory(stack, 'Memory', { memoryName: 'support_bot_memory' });
    new ConverseFunction(stack, 'Converse', {
      agentTable: new AgentDefinitionTable(stack, 'Agents'),
      sessionTable: new SessionHistoryTable(stack, 'Sessions'),
      memory,
      models: ['us.anthropic.claude-haiku-4-5-20251001-v1:0'],
    });
    const keyOf = (resources: Record<string, { Type: string; Properties: Record<string, unknown> }>) =>
      Object.values(resources)
        .filter((resource) => resource.Type === 'AWS::Lambda::Function')
        .map((resource) => (resource.Properties.Code as { S3Key?: string }).S3Key)
        .find((key) => key !== undefined);
    const fromSource = keyOf(Template.fromStack(stack).toJSON().Resources);
    expect(fromSource).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(keyOf(template().Resources)).toBe(fromSource);
  });

  test('deploys the packaged forget function as it ships in the package', () => {
    const forget = Object.values(template().Resources).find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        JSON.stringify(resource.Properties.Environment ?? {}).includes('MEMORY_NAMESPACE_TEMPLATES'),
    );
    expect(forget?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Code: { S3Key: expect.stringMatching(/\.zip$/) },
    });
  });
});

describe('a runtime-only consumer in plain Node.js', () => {
  let project: string;

  beforeAll(() => {
    project = newProject(
      'consumer-runtime',
      {
        typescript: installedVersion('typescript'),
        '@types/node': installedVersion('@types/node'),
        '@strands-agents/sdk': installedVersion('@strands-agents/sdk'),
      },
      { type: 'module' },
    );
    runOrThrow(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '--init'], project);
    for (const file of ['runtime-use.ts', 'runtime-use.mjs', 'runtime-use.cjs']) {
      cpSync(path.join(FIXTURES, file), path.join(project, file));
    }
  }, 600_000);

  test('installs no aws-cdk-lib, constructs or cdk-nag', () => {
    for (const name of ['aws-cdk-lib', 'constructs', 'cdk-nag', 'esbuild']) expect(copiesOf(project, name)).toEqual([]);
  });

  test.each(['runtime-use.mjs', 'runtime-use.cjs'])('%s persists a message through the session manager', (script) => {
    const sent = JSON.parse(runOrThrow(process.execPath, [script], project)) as Record<string, unknown>[];
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ memoryId: 'm-AbCdEf1234', actorId: 'u-1', sessionId: 's-1' });
    expect(JSON.stringify(sent[0].payload)).toMatch(/hello from (ESM|CommonJS)/);
  });

  test('a TypeScript file compiles under `tsc --init` defaults (strict, verbatimModuleSyntax) and runs', () => {
    const tsconfig = readFileSync(path.join(project, 'tsconfig.json'), 'utf8');
    expect(tsconfig).toMatch(/"verbatimModuleSyntax": true/);
    expect(tsconfig).toMatch(/"strict": true/);
    runOrThrow(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project);
    const sent = JSON.parse(runOrThrow(process.execPath, ['runtime-use.js'], project)) as Record<string, unknown>[];
    expect(sent[0]).toMatchObject({ memoryId: 'support_bot_memory-AbCdEf1234', sessionId: 'session-1' });
  });

  test("the README's runtime examples compile against the installed package (tsc --init settings, Node types)", () => {
    const { runtime } = readmeExamples();
    expect(runtime.length).toBeGreaterThanOrEqual(2);
    compileExamples(project, runtime, {
      extends: './tsconfig.json',
      compilerOptions: { noEmit: true, types: ['node'] },
      include: ['examples'],
    });
  });
});

describe('the adopter matrix: cdk init-style apps on the lowest and the newest aws-cdk-lib in range', () => {
  const newest = newestAwsCdkLib(PEER_RANGE);
  const versions = [...new Set([LOWEST_AWS_CDK_LIB, newest.version])];

  test(`resolves the newest aws-cdk-lib in ${PEER_RANGE} (${newest.version}, from the ${newest.source})`, () => {
    expect(newest.version.localeCompare(LOWEST_AWS_CDK_LIB, undefined, { numeric: true })).toBeGreaterThanOrEqual(0);
  });

  describe.each(versions)('aws-cdk-lib %s', (version) => {
    let project: string;
    let synth: ReturnType<typeof run>;
    const outdir = 'cdk.out.matrix';

    const timings: Record<string, number> = {};
    const timed = <T>(step: string, work: () => T): T => {
      const started = Date.now();
      const result = work();
      timings[step] = Math.round((Date.now() - started) / 100) / 10;
      return result;
    };

    beforeAll(() => {
      project = timed('install (s)', () => cdkAppProject(version));
      // The matrix app and every README construct example, type-checked in one tsc run.
      layOutCdkInitApp(project, readmeExamples().constructs);
      timed('tsc (s)', () =>
        runOrThrow(
          process.execPath,
          [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.matrix.json'],
          project,
        ),
      );
      synth = timed('synth of all setups (s)', () => synthMatrix(project, outdir));
      console.log(`adopter matrix, aws-cdk-lib ${version}: ${JSON.stringify(timings)}`);
    }, 600_000);

    test('holds exactly this one aws-cdk-lib', () => {
      const copies = copiesOf(project, 'aws-cdk-lib');
      expect(copies).toHaveLength(1);
      expect((JSON.parse(readFileSync(copies[0], 'utf8')) as { version: string }).version).toBe(version);
    });

    test('synthesizes every setup with both cdk-nag packs and no finding: agnostic, account and region with customer-managed keys, an imported memory with monitoring, two memories, two prefixed apps', () => {
      expect({ status: synth.status, stderr: synth.stderr }).toEqual({ status: 0, stderr: '' });
      expect(Object.keys(templatesOf(path.join(project, outdir))).sort()).toEqual(
        ['Agnostic', 'ImportedMemory', 'PinnedKeyed', 'TwoMemories'].sort(),
      );
      for (const prefix of ['alpha', 'beta']) {
        const stacks = Object.keys(templatesOf(path.join(project, `${outdir}.${prefix}`))).sort();
        expect(stacks).toEqual([expect.stringMatching(/^devStateful/), expect.stringMatching(/^devStateless/)]);
      }
    });

    test('under the partition-literals flag, the pinned stack renders arn:aws: where the agnostic one renders a partition token', () => {
      const templates = templatesOf(path.join(project, outdir));
      expect(JSON.stringify(templates.PinnedKeyed.Resources)).toContain('arn:aws:bedrock:*::foundation-model/');
      expect(JSON.stringify(templates.Agnostic.Resources)).not.toContain('arn:aws:bedrock:');
    });

    test('two apps with different name prefixes in one account share no physical name', () => {
      const alpha = physicalNamesOf(path.join(project, `${outdir}.alpha`));
      const beta = physicalNamesOf(path.join(project, `${outdir}.beta`));
      expect(alpha.length).toBeGreaterThanOrEqual(5);
      expect(alpha.filter((name) => beta.includes(name))).toEqual([]);
    });

    // On the newest only: the consumer app above checks the lowest the same way.
    (version === LOWEST_AWS_CDK_LIB ? test.skip : test)(
      "still reports a finding on the adopter's own resource, and the synth fails",
      () => {
        const violating = synthMatrix(project, 'cdk.out.violating', { ADD_OWN_VIOLATION: 'table' });
        expect(violating.status).not.toBe(0);
        expect(violating.stderr).toMatch(/AwsSolutions-DDB3/);
        expect(violating.stderr).toMatch(/TwoMemories\/Unprotected/);
        expect(violating.stderr).not.toMatch(/AwsSolutions-(IAM5|L1)|Serverless-LambdaLatestVersion/);
      },
    );

    test("the README's construct examples compile (with the matrix app)", () => {
      expect(readmeExamples().constructs.length).toBeGreaterThanOrEqual(3);
      expect(readdirSync(path.join(project, 'build', 'examples')).filter((file) => file.endsWith('.js'))).toHaveLength(
        readmeExamples().constructs.length,
      );
    });
  });
});
