import { DEFAULT_TURN_LIMITS, DeadlineExceededError, TurnDeadlines } from '../../../lambda/platform/deadlines.js';
import { ATTEMPT_MIN_MS, writeUntilFinished } from '../../../lambda/converse/finishing-writes.js';

/** A turn whose writes must be over `finishMs` from now. */
function deadlinesEndingIn(finishMs: number): TurnDeadlines {
  const limits = { ...DEFAULT_TURN_LIMITS, reserveMs: finishMs + 100, responseEndMs: 100 };
  return TurnDeadlines.start(Date.now(), finishMs + 100, limits);
}

const throttled = () => Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
const noPause = () => Promise.resolve();

describe('writes after the answer', () => {
  it('retry a failure that may pass until it succeeds, each attempt given half the time left', async () => {
    const deadlines = deadlinesEndingIn(2_000);
    const timeouts: number[] = [];
    let calls = 0;

    const result = await writeUntilFinished(
      deadlines,
      'write',
      async ({ requestTimeout }) => {
        timeouts.push(requestTimeout);
        if (++calls < 6) throw throttled();
        return 'saved';
      },
      noPause,
    );

    expect(result).toBe('saved');
    expect(calls).toBe(6);
    expect(timeouts[0]).toBeGreaterThan(900);
    expect(timeouts[0]).toBeLessThanOrEqual(1_000);
    expect(Math.min(...timeouts)).toBeGreaterThanOrEqual(ATTEMPT_MIN_MS);
  });

  it('stop at once on a failure that will not pass', async () => {
    let calls = 0;
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });

    await expect(
      writeUntilFinished(deadlinesEndingIn(2_000), 'write', () => {
        calls++;
        return Promise.reject(denied);
      }),
    ).rejects.toBe(denied);
    expect(calls).toBe(1);
  });

  it('give up by the finish deadline when every attempt fails, backing off between attempts', async () => {
    const deadlines = deadlinesEndingIn(800);
    let calls = 0;
    const startedAt = Date.now();

    await expect(
      writeUntilFinished(deadlines, 'write', () => {
        calls++;
        return Promise.reject(throttled());
      }),
    ).rejects.toThrow('slow down');

    expect(Date.now()).toBeLessThanOrEqual(deadlines.finishBy + 50);
    expect(Date.now() - startedAt).toBeGreaterThan(300);
    expect(calls).toBeGreaterThan(2);
    expect(calls).toBeLessThan(20);
  });

  it('cut off an attempt that hangs at the finish deadline', async () => {
    const deadlines = deadlinesEndingIn(300);
    let aborted = false;

    await expect(
      writeUntilFinished(deadlines, 'write', ({ abortSignal }) => {
        abortSignal.addEventListener('abort', () => (aborted = true));
        return new Promise(() => undefined);
      }),
    ).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(aborted).toBe(true);
  });
});
