/**
 * Runs quick turns of the bundled converse handler in this process (started with
 * --expose-gc) and prints the heap and external memory after garbage collection, before
 * and after the measured turns, as JSON.
 * Usage: node --expose-gc heap-runner.mjs <bundle index.mjs> <warm-up turns> <measured turns> <message characters>
 */
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const [bundle, warmUpTurns, measuredTurns, messageCharacters] = process.argv.slice(2);

globalThis.awslambda = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: { from: (stream) => stream },
};

const { handler } = await import(pathToFileURL(bundle).href);
let failures = 0;

async function turn(index) {
  let body = '';
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      body += chunk.toString('utf8');
      callback();
    },
  });
  const message = `Turn ${index}: ${'x'.repeat(Number(messageCharacters))}`;
  const event = {
    requestContext: { http: { method: 'POST' } },
    body: JSON.stringify({ agentId: 'bench', userId: 'bench-user', message }),
    isBase64Encoded: false,
  };
  const deadline = Date.now() + 120_000;
  await handler(event, sink, {
    awsRequestId: `heap-${index}`,
    functionName: 'converse',
    getRemainingTimeInMillis: () => deadline - Date.now(),
  });
  if (!body.includes('event: done')) failures++;
}

function settledMemory() {
  for (let pass = 0; pass < 3; pass++) globalThis.gc();
  const { heapUsed, external } = process.memoryUsage();
  return { heapUsed, external };
}

let index = 0;
for (; index < Number(warmUpTurns); index++) await turn(index);
const before = settledMemory();
for (; index < Number(warmUpTurns) + Number(measuredTurns); index++) await turn(index);
const after = settledMemory();
process.stdout.write(JSON.stringify({ before, after, failures }));
process.exit(0);
