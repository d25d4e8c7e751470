// Run in a fresh Node.js process: prints how long importing one bundle takes, in ms.
// Lambda provides the `awslambda` global; a minimal stand-in lets the bundle's module
// init run here exactly as it would there.
import { pathToFileURL } from 'node:url';

globalThis.awslambda = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: { from: (stream) => stream },
};
const started = performance.now();
await import(pathToFileURL(process.argv[2]).href);
process.stdout.write(String(performance.now() - started));
