/**
 * Memory held per turn: the bundled converse handler runs many quick turns in a process of
 * its own against dynalite (DynamoDB) and a local HTTP/2 stand-in for Bedrock, so every
 * model call goes through the SDK's real HTTP/2 handler, and the heap after garbage
 * collection is compared before and after the measured turns.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { buildSync } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { RuntimeEnvironment } from '../../lambda/contract/index.js';
import { createConverseTables } from '../../test/lambda/converse/support/tables.js';
import { BUNDLE_FILE, converseBundleOptions } from '../../lib/converse/esbuild-code.js';
import { converseStreamEvent as streamEvent } from '../../test/lambda/converse/support/converse-event-stream.js';

export const HEAP_TURNS = { warmUp: 200, measured: 400 } as const;
/** Characters of each turn's message: a model request body of about 8 KB. */
const MESSAGE_CHARACTERS = 8_000;

export interface HeapFigures {
  readonly heapBytesPerTurn: number;
  readonly externalBytesPerTurn: number;
  readonly heapBeforeMb: number;
  readonly heapAfterMb: number;
  readonly failedTurns: number;
}

/** Answers every ConverseStream request with a short streamed answer, over HTTP/2 without TLS. */
async function startBedrockStandIn(): Promise<Http2Server> {
  const server = createHttp2Server();
  server.on('stream', (stream) => {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
      stream.write(streamEvent('messageStart', { role: 'assistant' }));
      for (const text of ['A quick ', 'answer.'])
        stream.write(streamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }));
      stream.write(streamEvent('contentBlockStop', { contentBlockIndex: 0 }));
      stream.write(streamEvent('messageStop', { stopReason: 'end_turn' }));
      stream.end(
        streamEvent('metadata', {
          usage: { inputTokens: 2_000, outputTokens: 4, totalTokens: 2_004 },
          metrics: { latencyMs: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function startDynamoDb(): Promise<{ server: Server; endpoint: string }> {
  // dynalite ships no types; it is a test-only dependency, as in the converse test harness.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-assignment
  const startDynalite: (options: { createTableMs: number }) => Server = require('dynalite');
  const server = startDynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }));
  await createConverseTables(client, { agentTable: 'agents', sessionTable: 'sessions' });
  await client.send(
    new PutCommand({
      TableName: 'agents',
      Item: {
        agent_id: 'bench',
        base_prompt: 'You are a helpful assistant.',
        foundation_model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
        memory_feature: { enabled: false },
      },
    }),
  );
  client.destroy();
  return { server, endpoint };
}

/** Runs the measured turns of the bundled handler in a child process and returns its figures. */
export async function measureHeapPerTurn(projectRoot: string, workDirectory: string): Promise<HeapFigures> {
  const bundleDirectory = join(workDirectory, 'heap-bundle');
  rmSync(bundleDirectory, { recursive: true, force: true });
  mkdirSync(bundleDirectory, { recursive: true });
  const options = converseBundleOptions(join(projectRoot, 'lambda', 'converse', 'index.ts'), bundleDirectory);
  buildSync({ ...options, logLevel: 'error' });

  const bedrock = await startBedrockStandIn();
  const dynamoDb = await startDynamoDb();
  try {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          '--expose-gc',
          join(__dirname, 'heap-runner.mjs'),
          join(bundleDirectory, BUNDLE_FILE),
          String(HEAP_TURNS.warmUp),
          String(HEAP_TURNS.measured),
          String(MESSAGE_CHARACTERS),
        ],
        {
          env: {
            ...process.env,
            AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME: `http://127.0.0.1:${(bedrock.address() as AddressInfo).port}`,
            [RuntimeEnvironment.agentTableName]: 'agents',
            [RuntimeEnvironment.sessionTableName]: 'sessions',
          },
          maxBuffer: 1024 * 1024,
          timeout: 600_000,
        },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    const { before, after, failures } = JSON.parse(output) as {
      before: { heapUsed: number; external: number };
      after: { heapUsed: number; external: number };
      failures: number;
    };
    return {
      heapBytesPerTurn: (after.heapUsed - before.heapUsed) / HEAP_TURNS.measured,
      externalBytesPerTurn: (after.external - before.external) / HEAP_TURNS.measured,
      heapBeforeMb: before.heapUsed / 2 ** 20,
      heapAfterMb: after.heapUsed / 2 ** 20,
      failedTurns: failures,
    };
  } finally {
    bedrock.close();
    await new Promise((resolve) => dynamoDb.server.close(resolve));
  }
}

if (require.main === module) {
  void measureHeapPerTurn(join(__dirname, '..', '..'), join(__dirname, '..', '..', '.bench')).then((figures) =>
    console.log(JSON.stringify(figures)),
  );
}
