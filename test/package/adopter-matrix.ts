/**
 * The adopter matrix's moving parts: which aws-cdk-lib is the newest in the peer range,
 * how a `cdk init`-style app is laid out, and how its synth runs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const FIXTURES = path.join(__dirname, 'fixtures');
const CDK_INIT = path.join(FIXTURES, 'cdk-init');

export interface ResolvedVersion {
  readonly version: string;
  /** Where the version came from: the npm cache, the registry, or the fixture's pin. */
  readonly source: 'npm cache' | 'registry' | 'pinned fixture';
}

function newestOf(output: string): string | undefined {
  const parsed = JSON.parse(output) as string | string[];
  const versions = [parsed].flat().filter((version) => /^\d+\.\d+\.\d+$/.test(version));
  return versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1);
}

/**
 * The newest aws-cdk-lib satisfying the package's peer range: from the npm cache first,
 * then the registry (a few seconds at most), else the version pinned in the fixture.
 */
export function newestAwsCdkLib(range: string): ResolvedVersion {
  const pin = JSON.parse(readFileSync(path.join(CDK_INIT, 'newest-aws-cdk-lib.json'), 'utf8')) as {
    range: string;
    pinned: string;
  };
  if (pin.range !== range) {
    throw new Error(`fixtures/cdk-init/newest-aws-cdk-lib.json pins for ${pin.range}, but the peer range is ${range}`);
  }
  const attempts: [ResolvedVersion['source'], string[]][] = [
    ['npm cache', ['--offline']],
    ['registry', ['--prefer-online', '--fetch-timeout=10000', '--fetch-retries=0']],
  ];
  for (const [source, flags] of attempts) {
    const result = spawnSync('npm', ['view', `aws-cdk-lib@${range}`, 'version', '--json', ...flags], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const version = result.status === 0 ? newestOf(result.stdout) : undefined;
    if (version) return { version, source };
  }
  return { version: pin.pinned, source: 'pinned fixture' };
}

/**
 * Puts `cdk init`'s cdk.json (its feature flags), the matrix app and `examples` (each its
 * own module under `examples/`) into `project`, with a tsconfig that compiles them all.
 */
export function layOutCdkInitApp(project: string, examples: string[]): void {
  cpSync(path.join(CDK_INIT, 'cdk.json'), path.join(project, 'cdk.json'));
  cpSync(path.join(FIXTURES, 'matrix-app.ts'), path.join(project, 'matrix-app.ts'));
  mkdirSync(path.join(project, 'examples'), { recursive: true });
  examples.forEach((example, index) =>
    writeFileSync(path.join(project, 'examples', `readme-${index + 1}.ts`), `${example}\nexport {};\n`),
  );
  writeFileSync(
    path.join(project, 'tsconfig.matrix.json'),
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { outDir: 'build', rootDir: '.', noUnusedLocals: false },
      include: ['matrix-app.ts', 'examples'],
    }),
  );
}

/** Runs the compiled matrix app as the CDK CLI would: cdk.json's context in CDK_CONTEXT_JSON. */
export function synthMatrix(project: string, outdir: string, extraEnv: Record<string, string> = {}) {
  const context = (JSON.parse(readFileSync(path.join(project, 'cdk.json'), 'utf8')) as { context: unknown }).context;
  return spawnSync(process.execPath, [path.join('build', 'matrix-app.js')], {
    cwd: project,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_OUTDIR: outdir,
      ...extraEnv,
    },
  });
}

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** The templates of a cloud assembly (stages' nested assemblies included), by artifact id. */
export function templatesOf(outdir: string): Record<string, Template> {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string; directoryName?: string } }>;
  };
  const templates: Record<string, Template> = {};
  for (const [id, artifact] of Object.entries(manifest.artifacts)) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      templates[id] = JSON.parse(readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8')) as Template;
    }
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      Object.assign(templates, templatesOf(path.join(outdir, artifact.properties.directoryName)));
    }
  }
  return templates;
}

/** Every physical name a template sets itself, and the stack names of the assembly. */
export function physicalNamesOf(outdir: string): string[] {
  const names: string[] = [];
  const collect = (directory: string) => {
    const manifest = JSON.parse(readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; properties?: { stackName?: string; directoryName?: string } }>;
    };
    for (const artifact of Object.values(manifest.artifacts)) {
      if (artifact.properties?.stackName) names.push(artifact.properties.stackName);
      if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
        collect(path.join(directory, artifact.properties.directoryName));
      }
    }
  };
  collect(outdir);
  for (const template of Object.values(templatesOf(outdir))) {
    for (const resource of Object.values(template.Resources)) {
      for (const key of ['Name', 'FunctionName', 'DashboardName', 'TableName', 'LogGroupName', 'AlarmName']) {
        const value = resource.Properties?.[key];
        if (typeof value === 'string') names.push(value);
      }
    }
  }
  return names;
}
