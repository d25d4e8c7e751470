import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { createServer, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { bedrockRequestHandlerOptions } from '../../../lambda/converse/clients.js';
import { converseStreamEvent as event } from './support/converse-event-stream.js';

/**
 * The Bedrock client as the function configures it, through the SDK's real HTTP/2 handler,
 * against a local stand-in: the idle limit still cuts off a stream that stops sending.
 */
const IDLE_MS = 300;

let server: Http2Server;
let behaviour: (stream: ServerHttp2Stream) => void;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  server = createServer();
  server.on('stream', (stream) => {
    stream.on('error', () => undefined);
    stream.on('data', () => undefined);
    stream.on('end', () => behaviour(stream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new BedrockRuntimeClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: bedrockRequestHandlerOptions(IDLE_MS),
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function readAll(): Promise<{ events: string[]; error: unknown; elapsedMs: number }> {
  const startedAt = Date.now();
  const events: string[] = [];
  let error: unknown;
  try {
    const { stream } = await client.send(
      new ConverseStreamCommand({ modelId: 'model', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
    );
    for await (const streamed of stream!) events.push(Object.keys(streamed)[0]);
  } catch (caught) {
    error = caught;
  }
  return { events, error, elapsedMs: Date.now() - startedAt };
}

it('a stream that goes silent mid-answer is cut off after the idle limit, without its last event', async () => {
  behaviour = (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
    stream.write(event('messageStart', { role: 'assistant' }));
  };

  const { events, elapsedMs } = await readAll();

  expect(events).toEqual(['messageStart']);
  expect(elapsedMs).toBeGreaterThanOrEqual(IDLE_MS - 50);
  expect(elapsedMs).toBeLessThan(IDLE_MS + 2_000);
});

it('a model that never answers is cut off after the idle limit with a TimeoutError', async () => {
  behaviour = () => undefined;

  const { error, elapsedMs } = await readAll();

  expect((error as Error).name).toBe('TimeoutError');
  expect(elapsedMs).toBeLessThan(IDLE_MS + 2_000);
});

it('a stream that keeps sending is read to its end', async () => {
  behaviour = (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
    stream.write(event('messageStart', { role: 'assistant' }));
    stream.end(event('messageStop', { stopReason: 'end_turn' }));
  };

  const { events, error } = await readAll();

  expect(error).toBeUndefined();
  expect(events).toEqual(['messageStart', 'messageStop']);
});
