/**
 * The `agentcore-memory` bin as an adopter meets it: the packed tarball installed offline
 * into a new project with nothing else (no aws-cdk-lib, none of this repository's dev
 * dependencies), run through `npx` and `node_modules/.bin`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { installOffline } from './offline-install.js';
import { packedTarball } from './pack-once.js';

const ROOT = path.join(__dirname, '..', '..');
const WORK = mkdtempSync(path.join(tmpdir(), 'agentcore-bins-'));
const PROJECT = path.join(WORK, 'adopter');

/** No credentials anywhere, so the tools must stop at their own check, offline. */
const NO_CREDENTIALS = {
  PATH: process.env.PATH,
  HOME: WORK,
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  npm_config_cache: process.env.npm_config_cache,
};

const npx = (args: string[], env: NodeJS.ProcessEnv = NO_CREDENTIALS) =>
  spawnSync('npx', ['--offline', '--no-install', 'agentcore-memory', ...args], { cwd: PROJECT, env, encoding: 'utf8' });

beforeAll(() => {
  installOffline(PROJECT, ROOT, packedTarball(), {});
}, 900_000);

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe('the packed agentcore-memory bin', () => {
  test('is installed without aws-cdk-lib or the SDK clients only the tools use', () => {
    expect(existsSync(path.join(PROJECT, 'node_modules', '.bin', 'agentcore-memory'))).toBe(true);
    for (const absent of ['aws-cdk-lib', '@aws-sdk/client-iam', '@aws-sdk/client-cloudformation', 'tsx']) {
      expect(existsSync(path.join(PROJECT, 'node_modules', absent))).toBe(false);
    }
  });

  test('answers --help through npx, and through node on the installed bin', () => {
    const viaNpx = npx(['--help']);
    expect(viaNpx.status).toBe(0);
    expect(viaNpx.stdout).toContain('agentcore-memory <command> [options]');
    const viaNode = spawnSync(process.execPath, [path.join('node_modules', '.bin', 'agentcore-memory'), '--help'], {
      cwd: PROJECT,
      encoding: 'utf8',
    });
    expect(viaNode.status).toBe(0);
    expect(viaNode.stdout).toBe(viaNpx.stdout);
  });

  test.each([
    ['doctor', '--expect <file>'],
    ['chat', '--idle-timeout <seconds>'],
    ['forget', '--dry-run'],
    ['inspect', 'inspect --serve --user <userId>'],
  ])('%s --help', (command, option) => {
    const result = npx([command, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(option);
  });

  test('forget without credentials exits 2 saying what to do, before invoking anything', () => {
    const result = npx(['forget', '--function', 'agent-memory-forget-dev', '--user', 'bo', '--region', 'eu-west-1']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('(NoCredentials): no AWS credentials found');
    expect(result.stderr).toContain("set AWS_PROFILE, run 'aws sso login'");
  });

  test('doctor --json without credentials prints a JSON report and nothing else on stdout', () => {
    const result = npx(['doctor', '--memory-id', 'm-0123456789', '--region', 'eu-west-1', '--json']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ region: 'eu-west-1', error: { type: 'NoCredentials' } });
  });

  test('--env outside this repository says to name what to check instead', () => {
    const result = npx(['chat', '--env', 'dev', '--message', 'Hi']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--env reads the environments of this package's own app from ./cdk.json");
  });
});
