import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { bundleWithCache, defaultBundleCacheDirectory } from '../../../lib/converse/bundle-cache.js';
import { BUNDLE_FILE, converseBundleOptions, esbuildCode } from '../../../lib/converse/esbuild-code.js';

let project: string;
let cacheDirectory: string;
let entry: string;
let outputs = 0;

/** Bundles the project's entry into a fresh directory, as each synth does; returns how and what. */
function bundle(options: { cache?: string; build?: typeof esbuild } = {}) {
  const { cache, build } = { cache: cacheDirectory, build: esbuild, ...options };
  const outputDirectory = path.join(project, 'out', String(outputs++));
  const source = bundleWithCache(build, converseBundleOptions(entry, outputDirectory), outputDirectory, cache);
  return { source, code: readFileSync(path.join(outputDirectory, BUNDLE_FILE), 'utf8') };
}

/** Writes a source as an editor saved it a minute ago: a build keeps only settled inputs. */
function writeSource(file: string, content: string): void {
  writeFileSync(file, content);
  const aMinuteAgo = new Date(Date.now() - 60_000);
  utimesSync(file, aMinuteAgo, aMinuteAgo);
}

function deployedKey(code: lambda.Code): string {
  const stack = new Stack(new App(), 'Stack');
  new lambda.Function(stack, 'Function', { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  return (fn.Properties.Code as { S3Key: string }).S3Key;
}

beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'bundle-cache-'));
  cacheDirectory = path.join(project, 'cache');
  mkdirSync(path.join(project, 'handler'));
  entry = path.join(project, 'handler', 'index.ts');
  writeSource(entry, "import { greeting } from './greeting.js';\nexport const handler = async () => greeting;\n");
  writeSource(path.join(project, 'handler', 'greeting.ts'), "export const greeting = 'hello';\n");
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('bundleWithCache', () => {
  test('reuses the bundle of an earlier build while its sources are unchanged, byte for byte', () => {
    const first = bundle();
    const second = bundle();
    expect(first.source).toBe('built');
    expect(second.source).toBe('reused');
    expect(second.code).toBe(first.code);
    expect(second.code).toContain('hello');
  });

  test('rebuilds when a source changes, and reuses the new bundle after that', () => {
    bundle();
    writeSource(path.join(project, 'handler', 'greeting.ts'), "export const greeting = 'goodbye';\n");
    const changed = bundle();
    expect(changed.source).toBe('built');
    expect(changed.code).toContain('goodbye');
    expect(changed.code).not.toContain('hello');
    expect(bundle().source).toBe('reused');
  });

  test('rebuilds when a file added beside a source takes over its import', () => {
    bundle();
    writeSource(path.join(project, 'handler', 'greeting.js'), "export const greeting = 'from JavaScript';\n");
    const changed = bundle();
    expect(changed.source).toBe('built');
    expect(changed.code).toContain('from JavaScript');
  });

  test('rebuilds when a tsconfig.json that steers compilation changes', () => {
    writeSource(path.join(project, 'tsconfig.json'), '{}\n');
    bundle();
    writeSource(path.join(project, 'tsconfig.json'), '{ "compilerOptions": { "useDefineForClassFields": false } }\n');
    expect(bundle().source).toBe('built');
  });

  test('rebuilds when the cached bundle is damaged', () => {
    bundle();
    const [key] = readdirSync(cacheDirectory);
    rmSync(path.join(cacheDirectory, key, 'outputs', BUNDLE_FILE));
    expect(bundle().source).toBe('built');
    writeFileSync(path.join(cacheDirectory, key, 'manifest.json'), '{ "files": ');
    expect(bundle().source).toBe('built');
    expect(bundle().source).toBe('reused');
  });

  test('does not keep a build whose source changed while esbuild ran', () => {
    const editedDuringBuild: typeof esbuild = {
      ...esbuild,
      buildSync: (options: esbuild.BuildOptions) => {
        const result = esbuild.buildSync(options);
        writeFileSync(path.join(project, 'handler', 'greeting.ts'), "export const greeting = 'edited';\n");
        return result;
      },
    };
    expect(bundle({ build: editedDuringBuild }).code).toContain('hello');
    const next = bundle();
    expect(next.source).toBe('built');
    expect(next.code).toContain('edited');
  });

  test('builds every time without a cache directory', () => {
    expect(bundle({ cache: undefined }).source).toBe('built');
    expect(bundle({ cache: undefined }).source).toBe('built');
  });
});

describe('esbuildCode with a bundle cache', () => {
  test('gives the asset the hash a fresh build gives, whether the bundle is built or reused', () => {
    const uncached = deployedKey(esbuildCode(entry, undefined));
    const built = deployedKey(esbuildCode(entry, cacheDirectory));
    const reused = deployedKey(esbuildCode(entry, cacheDirectory));
    expect(built).toBe(uncached);
    expect(reused).toBe(uncached);
    writeSource(path.join(project, 'handler', 'greeting.ts'), "export const greeting = 'goodbye';\n");
    expect(deployedKey(esbuildCode(entry, cacheDirectory))).not.toBe(uncached);
  });
});

describe('defaultBundleCacheDirectory', () => {
  test("is under the project's node_modules/.cache, and absent without node_modules", () => {
    expect(defaultBundleCacheDirectory(project)).toBeUndefined();
    mkdirSync(path.join(project, 'node_modules'));
    expect(defaultBundleCacheDirectory(project)).toBe(
      path.join(project, 'node_modules', '.cache', 'agentcore-memory-agents', 'bundles'),
    );
  });
});
