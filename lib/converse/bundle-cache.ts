import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';

type Esbuild = Pick<typeof import('esbuild'), 'buildSync' | 'version'>;

/** How {@link bundleWithCache} produced the bundle. */
export type BundleSource = 'built' | 'reused';

/**
 * What a cached bundle was built from: the content hash of every file esbuild read, of
 * every `package.json` and `tsconfig.json` that could steer how those files resolve or
 * compile, of the package manager's record of the installed tree, and the names in every
 * directory holding an input (a file added beside an input may take over its import).
 */
interface BundleManifest {
  readonly files: Record<string, string>;
  readonly directories: Record<string, string>;
  readonly outputs: readonly string[];
}

const MANIFEST_FILE = 'manifest.json';
const OUTPUTS_DIRECTORY = 'outputs';
/** Each package manager's record of the installed tree, rewritten by every install. */
const INSTALL_STATE_FILES = ['.package-lock.json', '.yarn-state.yml', '.modules.yaml'];
const STEERING_FILES = ['package.json', 'tsconfig.json'];
/**
 * A build is kept only if none of its inputs was written this long before it started or
 * later: a file's timestamp may lag the clock, and one written while esbuild ran may be in
 * the bundle with its old content.
 */
const UNSETTLED_INPUT_MS = 2_000;

/**
 * Where bundles are cached: `node_modules/.cache` of the project synth runs in, the place
 * build tools share; no caching when there is no `node_modules` there.
 */
export function defaultBundleCacheDirectory(projectDirectory = process.cwd()): string | undefined {
  const modules = path.join(projectDirectory, 'node_modules');
  return existsSync(modules) ? path.join(modules, '.cache', 'agentcore-memory-agents', 'bundles') : undefined;
}

/**
 * Builds `options` (whose `outfile` or `outdir` is in `outputDirectory`) into
 * `outputDirectory`, or copies the bundle an earlier build left in `cacheDirectory` when
 * every file it was built from is unchanged, byte for byte: a bundle takes a second or
 * more to build and a few tens of milliseconds to check. The outputs are the same bytes either way, so an asset hashed by its output
 * is the same. `options` must be plain data (no plugins): they are part of the cache key.
 */
export function bundleWithCache(
  esbuild: Esbuild,
  options: BuildOptions,
  outputDirectory: string,
  cacheDirectory: string | undefined,
): BundleSource {
  const entryDirectory =
    cacheDirectory === undefined ? undefined : path.join(cacheDirectory, cacheKey(esbuild, options));
  if (entryDirectory !== undefined && reuse(entryDirectory, outputDirectory)) return 'reused';

  const startedAt = Date.now();
  const result = esbuild.buildSync({ ...options, write: false, metafile: true });
  const outputs = result.outputFiles.map((file) => {
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
    return path.relative(outputDirectory, file.path);
  });
  if (entryDirectory !== undefined) {
    const workingDirectory = options.absWorkingDir ?? process.cwd();
    const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(workingDirectory, input));
    store(entryDirectory, outputDirectory, outputs, inputs, startedAt);
  }
  return 'built';
}

function cacheKey(esbuild: Esbuild, options: BuildOptions): string {
  const { outfile, outdir, ...rest } = options;
  const identity = {
    esbuild: esbuild.version,
    workingDirectory: options.absWorkingDir ?? process.cwd(),
    options: rest,
    outfile: outfile === undefined ? undefined : path.basename(outfile),
    outdir: outdir === undefined ? undefined : '.',
  };
  return sha256(JSON.stringify(identity));
}

function reuse(entryDirectory: string, outputDirectory: string): boolean {
  const manifest = readManifest(entryDirectory);
  if (manifest === undefined || !isCurrent(manifest)) return false;
  try {
    for (const output of manifest.outputs) {
      const target = path.join(outputDirectory, output);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(entryDirectory, OUTPUTS_DIRECTORY, output), target);
    }
    return true;
  } catch {
    // Another synth replaced the entry meanwhile: build, and overwrite what was copied.
    return false;
  }
}

function readManifest(entryDirectory: string): BundleManifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(entryDirectory, MANIFEST_FILE), 'utf8')) as BundleManifest;
    const complete = manifest.outputs.every((output) =>
      existsSync(path.join(entryDirectory, OUTPUTS_DIRECTORY, output)),
    );
    return complete ? manifest : undefined;
  } catch {
    // Missing, half-written or from another version of this code: build afresh.
    return undefined;
  }
}

function isCurrent(manifest: BundleManifest): boolean {
  for (const [file, hash] of Object.entries(manifest.files)) {
    if (fileHash(file) !== hash) return false;
  }
  for (const [directory, hash] of Object.entries(manifest.directories)) {
    if (directoryHash(directory) !== hash) return false;
  }
  return true;
}

/**
 * Records the build, unless an input may have changed while esbuild ran (the bundle could
 * hold its old content under its new content's hash). Written beside the entry and
 * renamed into place, so a reader never sees half an entry; a failed write only costs the
 * next synth a build.
 */
function store(
  entryDirectory: string,
  outputDirectory: string,
  outputs: readonly string[],
  inputs: readonly string[],
  startedAt: number,
): void {
  const settledBefore = startedAt - UNSETTLED_INPUT_MS;
  if (inputs.some((input) => (statSync(input, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) >= settledBefore))
    return;
  const directories = new Set(inputs.map((input) => path.dirname(input)));
  const files = new Set(inputs);
  for (const directory of ancestorsOf(directories)) {
    for (const name of STEERING_FILES) {
      if (existsSync(path.join(directory, name))) files.add(path.join(directory, name));
    }
    if (path.basename(directory) === 'node_modules') {
      for (const name of INSTALL_STATE_FILES) {
        if (existsSync(path.join(directory, name))) files.add(path.join(directory, name));
      }
    }
  }
  const fileHashes = [...files].sort().map((file) => [file, fileHash(file)] as const);
  const directoryHashes = [...directories].sort().map((directory) => [directory, directoryHash(directory)] as const);
  // A file or directory that vanished since the build: nothing trustworthy to record.
  if ([...fileHashes, ...directoryHashes].some(([, hash]) => hash === undefined)) return;
  const manifest: BundleManifest = {
    files: Object.fromEntries(fileHashes) as Record<string, string>,
    directories: Object.fromEntries(directoryHashes) as Record<string, string>,
    outputs,
  };
  const staging = `${entryDirectory}.${process.pid}.${Date.now()}`;
  try {
    for (const output of outputs) {
      const target = path.join(staging, OUTPUTS_DIRECTORY, output);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(outputDirectory, output), target);
    }
    writeFileSync(path.join(staging, MANIFEST_FILE), JSON.stringify(manifest));
    rmSync(entryDirectory, { recursive: true, force: true });
    renameSync(staging, entryDirectory);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
}

function ancestorsOf(directories: Iterable<string>): Set<string> {
  const ancestors = new Set<string>();
  for (let directory of directories) {
    while (!ancestors.has(directory)) {
      ancestors.add(directory);
      const parent = path.dirname(directory);
      if (parent === directory) break;
      directory = parent;
    }
  }
  return ancestors;
}

function fileHash(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

function directoryHash(directory: string): string | undefined {
  try {
    return sha256(readdirSync(directory).sort().join('\n'));
  } catch {
    return undefined;
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
