/**
 * One `npm pack` per test run, shared by every test file that installs the tarball: two
 * files packing at once would run the prepack build twice into the same `dist/`. The
 * first file to ask packs; the others wait for its tarball. A run is the jest process
 * (test files in workers share their parent; run in band, they share the process).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const DIRECTORY_PREFIX = 'agentcore-pack-';
const WAIT_LIMIT_MS = 10 * 60_000;
const STALE_AFTER_MS = 6 * 60 * 60_000;

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The packed tarball's path, packed by whichever test file of this run asked first. */
export function packedTarball(): string {
  const run = process.env.JEST_WORKER_ID === undefined ? process.pid : process.ppid;
  const directory = path.join(tmpdir(), `${DIRECTORY_PREFIX}${run}`);
  const result = path.join(directory, 'result.json');
  try {
    mkdirSync(directory);
  } catch {
    return awaitResult(result);
  }
  removeStaleRuns(directory);
  let outcome: { tarball?: string; error?: string };
  try {
    // `npm pack` runs the prepack build, as a publish would.
    const output = execFileSync('npm', ['pack', '--json', '--pack-destination', directory], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [packed] = JSON.parse(output.slice(output.indexOf('['))) as { filename: string }[];
    outcome = { tarball: path.join(directory, packed.filename) };
  } catch (error) {
    outcome = { error: String((error as { stderr?: string }).stderr || error) };
  }
  writeFileSync(`${result}.partial`, JSON.stringify(outcome));
  renameSync(`${result}.partial`, result);
  return tarballOf(outcome);
}

function awaitResult(result: string): string {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!existsSync(result)) {
    if (Date.now() > deadline) throw new Error(`no tarball after ${WAIT_LIMIT_MS / 60_000} minutes (${result})`);
    sleep(500);
  }
  return tarballOf(JSON.parse(readFileSync(result, 'utf8')) as { tarball?: string; error?: string });
}

function tarballOf(outcome: { tarball?: string; error?: string }): string {
  if (outcome.tarball === undefined) throw new Error(`npm pack failed: ${outcome.error ?? 'no output'}`);
  return outcome.tarball;
}

/** Tarballs of earlier runs (their processes are gone), so /tmp does not fill up. */
function removeStaleRuns(current: string): void {
  for (const name of readdirSync(tmpdir())) {
    const candidate = path.join(tmpdir(), name);
    if (!name.startsWith(DIRECTORY_PREFIX) || candidate === current) continue;
    try {
      if (Date.now() - statSync(candidate).mtimeMs > STALE_AFTER_MS)
        rmSync(candidate, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
}
