import './support/environment.js';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLAUDE_MODEL, useConverseHarness } from './support/harness.js';
import { textReply } from './support/model-replies.js';

/**
 * DynamoDB through the real SDK client and HTTP stack, behind a proxy that makes each
 * write of a turn item answer only after {@link SLOW_WRITE_MS}: slow, but working.
 */
const harness = useConverseHarness();
const plainAgent = { agent_id: 'plain', base_prompt: 'Be brief.', foundation_model: CLAUDE_MODEL };
const SLOW_WRITE_MS = 6_500;

let proxy: Server;
let slowWrites = 0;

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

beforeAll(async () => {
  // The harness pointed the runtime's client at dynalite; put the proxy in between.
  const target = new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB!);
  proxy = createServer((incoming, outgoing) => {
    void readBody(incoming).then(async (body) => {
      const isTurnWrite =
        String(incoming.headers['x-amz-target']).endsWith('.PutItem') && body.toString().includes('"turn#');
      if (isTurnWrite) {
        slowWrites++;
        await new Promise((resolve) => setTimeout(resolve, SLOW_WRITE_MS));
        // The caller gave up on this attempt: a real DynamoDB would not write it either.
        if (outgoing.destroyed || outgoing.socket?.destroyed !== false) return;
      }
      const forwarded = request(
        {
          host: target.hostname,
          port: target.port,
          path: incoming.url,
          method: incoming.method,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
});

it(`a turn write that takes ${SLOW_WRITE_MS / 1000} s still saves the turn: done, the item stored`, async () => {
  await harness.putAgent(plainAgent);
  harness.modelReplies(textReply('Saved in the end'));

  const response = await harness.invoke(
    { agentId: 'plain', userId: 'u-1', message: 'Hi' },
    { remainingTimeMs: 40_000 },
  );

  expect(response.events.at(-1)).toEqual(expect.objectContaining({ event: 'done' }));
  const [turn] = await harness.turnItems(String(response.events[0].data.sessionId));
  expect(turn).toEqual(expect.objectContaining({ user_message: 'Hi', assistant_message: 'Saved in the end' }));
  expect(slowWrites).toBeGreaterThanOrEqual(1);
}, 30_000);
