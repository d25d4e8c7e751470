import { Logger } from '@aws-lambda-powertools/logger';
import { logError } from '../../../lambda/platform/logging.js';

/** The JSON entries a Powertools Logger printed while `run` ran (its console is where it prints them). */
function printedBy(run: (logger: Logger) => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const logger = new Logger({ serviceName: 'test' });
  const print = (line: string) => void lines.push(line);
  Object.assign(logger, { console: { error: print, warn: print, info: print, debug: print, log: print } });
  run(logger);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logError', () => {
  test('logs the error itself: name, message, stack, cause chain and the SDK fields', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = Object.assign(new Error('write failed', { cause }), {
      name: 'InternalServerException',
      $metadata: { httpStatusCode: 500, requestId: 'req-1' },
    });

    const [entry] = printedBy((logger) => logError(logger, 'turn not saved', error, { sessionId: 's-1' }));

    expect(entry).toMatchObject({
      level: 'ERROR',
      message: 'turn not saved',
      sessionId: 's-1',
      error: {
        name: 'InternalServerException',
        message: 'write failed',
        stack: expect.stringContaining('write failed'),
        $metadata: { httpStatusCode: 500, requestId: 'req-1' },
        cause: { name: 'Error', message: 'socket hang up', code: 'ECONNRESET' },
      },
    });
  });

  test('the failure is always under error, whatever the extra fields hold', () => {
    const [entry] = printedBy((logger) => logError(logger, 'failed', new Error('real'), { error: 'not this' }));
    expect(entry.error).toMatchObject({ message: 'real' });
  });

  test('a thrown value that is not an Error is logged as it is', () => {
    const [entry] = printedBy((logger) => logError(logger, 'failed', 'a string was thrown'));
    expect(entry.error).toBe('a string was thrown');
  });
});
