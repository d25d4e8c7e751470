import './support/environment.js';
import { buildSync } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RuntimeEnvironment } from '../../../lambda/contract/index.js';
import { MAX_ATTEMPTS } from '../../../lambda/converse/clients.js';
import { BUNDLE_FILE, converseBundleOptions } from '../../../lib/converse/esbuild-code.js';
import { useConverseHarness } from './support/harness.js';

/**
 * The deployed artefact, black-box: the converse handler bundled exactly as the construct
 * bundles it, run in its own Node.js process (under `npm run test:lambda-node`, Node.js 24,
 * the function's runtime) against a local DynamoDB, with the real SDK clients and HTTP stack.
 */
const harness = useConverseHarness();
const RUNNER = path.join(__dirname, 'fixtures', 'run-bundle.mjs');
const ENTRY = path.join(__dirname, '..', '..', '..', 'lambda', 'converse', 'index.ts');

interface BundleResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  elapsedMs: number;
}

let bundleDirectory: string;
let bundle: string;

beforeAll(() => {
  bundleDirectory = mkdtempSync(path.join(tmpdir(), 'converse-bundle-'));
  const options = converseBundleOptions(ENTRY, bundleDirectory);
  buildSync({ ...options, logLevel: 'error' });
  bundle = path.join(bundleDirectory, BUNDLE_FILE);
});

afterAll(() => rmSync(bundleDirectory, { recursive: true, force: true }));

function invokeBundle(
  body: unknown,
  environment: Record<string, string | undefined> = {},
  remainingMs = 120_000,
): Promise<BundleResponse> {
  const event = { requestContext: { http: { method: 'POST' } }, body: JSON.stringify(body), isBase64Encoded: false };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [RUNNER, bundle, JSON.stringify(event), String(remainingMs)],
      {
        env: {
          ...process.env,
          [RuntimeEnvironment.agentTableName]: harness.dependencies.settings.agentTableName,
          [RuntimeEnvironment.sessionTableName]: harness.sessionTable,
          ...environment,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`bundle run failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as BundleResponse);
      },
    );
  });
}

describe(`the bundled handler on Node.js ${process.versions.node}`, () => {
  it('answers bad input with 400 before any AWS call', async () => {
    const response = await invokeBundle({ agentId: 'default', userId: 'u-1' });

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: { type: 'BadRequest', message: 'message: message is required' },
    });
  });

  it('reads the agent table through the real DynamoDB client: an unknown agent gets 404', async () => {
    const response = await invokeBundle({ agentId: 'nobody', userId: 'u-1', message: 'Hi' });

    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toEqual({
      error: { type: 'NotFound', message: "agent 'nobody' does not exist" },
    });
  });

  describe('with a DynamoDB that accepts connections and never answers', () => {
    let silent: Server;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      silent = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('answers 503 with Retry-After within the 5 s a DynamoDB read may take, retries included', async () => {
      const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;

      const response = await invokeBundle(
        { agentId: 'default', userId: 'u-1', message: 'Hi' },
        { AWS_ENDPOINT_URL_DYNAMODB: endpoint },
      );

      expect(response.statusCode).toBe(503);
      expect(response.headers['Retry-After']).toBe('2');
      expect(JSON.parse(response.body)).toEqual({ error: { type: 'ServiceUnavailable', message: expect.any(String) } });
      // Each attempt was cut off by the client itself after 1 s, and retried: three attempts
      // and their backoff end before the turn's own 5 s limit would have aborted the read.
      expect(sockets.length).toBe(MAX_ATTEMPTS);
      expect(response.elapsedMs).toBeLessThan(5_000);
    });
  });
});
