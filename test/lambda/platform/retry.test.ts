import {
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  backoffDelayMs,
  retryUnprocessed,
  withRetries,
} from '../../../lambda/platform/retry.js';

const throttled = () => Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
const denied = () => Object.assign(new Error('no'), { name: 'AccessDeniedException' });

/** A policy that records its pauses instead of waiting. */
function recordingPolicy(overrides: Partial<RetryPolicy> = {}): { policy: RetryPolicy; pauses: number[] } {
  const pauses: number[] = [];
  const policy: RetryPolicy = {
    attempts: 4,
    baseDelayMs: 100,
    sleep: async (ms) => void pauses.push(ms),
    ...overrides,
  };
  return { policy, pauses };
}

/** A call that fails `failures` times with `error`, then resolves 'done'. */
function failingTimes(failures: number, error: () => Error = throttled) {
  let calls = 0;
  const call = () => (++calls <= failures ? Promise.reject(error()) : Promise.resolve('done'));
  return { call, calls: () => calls };
}

describe('backoffDelayMs', () => {
  test('full jitter: anywhere from 0 to a cap that doubles after each failure', () => {
    const policy = { baseDelayMs: 100 };
    expect([1, 2, 3].map((attempt) => backoffDelayMs(attempt, policy, () => 0.999999))).toEqual([
      expect.closeTo(100, 3),
      expect.closeTo(200, 3),
      expect.closeTo(400, 3),
    ]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });

  test('equal jitter: from half the cap to the cap', () => {
    const policy = { baseDelayMs: 100, jitter: 'equal' as const };
    expect(backoffDelayMs(2, policy, () => 0)).toBe(100);
    expect(backoffDelayMs(2, policy, () => 0.999999)).toBeCloseTo(200, 3);
  });

  test('never longer than maxDelayMs', () => {
    expect(backoffDelayMs(30, { baseDelayMs: 100, maxDelayMs: 2_000 }, () => 0.999999)).toBeLessThanOrEqual(2_000);
    expect(backoffDelayMs(30, DEFAULT_RETRY_POLICY, () => 0.999999)).toBeLessThanOrEqual(20_000);
  });
});

describe('withRetries', () => {
  test('retries a transient failure with backoff until the call succeeds', async () => {
    const { policy, pauses } = recordingPolicy();
    const flaky = failingTimes(2);

    await expect(withRetries(flaky.call, policy)).resolves.toBe('done');
    expect(flaky.calls()).toBe(3);
    expect(pauses).toHaveLength(2);
    expect(pauses[0]).toBeLessThanOrEqual(100);
    expect(pauses[1]).toBeLessThanOrEqual(200);
  });

  test('stops at once on a failure a retry cannot fix', async () => {
    const { policy, pauses } = recordingPolicy();
    const refused = failingTimes(1, denied);

    await expect(withRetries(refused.call, policy)).rejects.toThrow('no');
    expect(refused.calls()).toBe(1);
    expect(pauses).toEqual([]);
  });

  test('gives up after the policy attempts, rejecting with the last error', async () => {
    const { policy } = recordingPolicy({ attempts: 3 });
    const down = failingTimes(10);

    await expect(withRetries(down.call, policy)).rejects.toThrow('slow down');
    expect(down.calls()).toBe(3);
  });

  test('isRetryable decides what is retried', async () => {
    const { policy } = recordingPolicy();
    const refused = failingTimes(2, denied);

    await expect(withRetries(refused.call, policy, { isRetryable: () => true })).resolves.toBe('done');
    const down = failingTimes(2);
    await expect(withRetries(down.call, policy, { isRetryable: () => false })).rejects.toThrow('slow down');
    expect(down.calls()).toBe(1);
  });

  test('takes no pause that would end after the deadline', async () => {
    const { policy, pauses } = recordingPolicy({ attempts: Infinity, baseDelayMs: 1_000, jitter: 'equal' });
    const down = failingTimes(100);

    await expect(withRetries(down.call, policy, { deadline: Date.now() + 400 })).rejects.toThrow('slow down');
    expect(down.calls()).toBe(1);
    expect(pauses).toEqual([]);
  });

  test('a call that made progress starts its count of failures over', async () => {
    const { policy } = recordingPolicy({ attempts: 2 });
    let calls = 0;
    // Every attempt gets one page further before it fails; the fourth reads to the end.
    const result = await withRetries(async (attempt) => {
      calls += 1;
      attempt.madeProgress();
      if (calls < 4) throw throttled();
      return 'read';
    }, policy);

    expect(result).toBe('read');
    expect(calls).toBe(4);
  });

  test('without progress the same failures use the attempts up', async () => {
    const { policy } = recordingPolicy({ attempts: 2 });
    const down = failingTimes(3);

    await expect(withRetries(down.call, policy)).rejects.toThrow('slow down');
    expect(down.calls()).toBe(2);
  });
});

describe('retryUnprocessed', () => {
  test('sends again only what the service left unprocessed, backing off between sends', async () => {
    const { policy, pauses } = recordingPolicy();
    const sent: string[][] = [];
    const left = await retryUnprocessed(
      ['a', 'b', 'c'],
      async (items) => {
        sent.push([...items]);
        return items.slice(1);
      },
      policy,
    );

    expect(sent).toEqual([['a', 'b', 'c'], ['b', 'c'], ['c']]);
    expect(left).toEqual([]);
    expect(pauses).toHaveLength(2);
  });

  test('resolves what is still unprocessed after the last attempt', async () => {
    const { policy, pauses } = recordingPolicy({ attempts: 3 });
    let sends = 0;
    const left = await retryUnprocessed(
      ['a', 'b'],
      async (items) => {
        sends += 1;
        return items.filter((item) => item === 'b');
      },
      policy,
    );

    expect(left).toEqual(['b']);
    expect(sends).toBe(3);
    expect(pauses).toHaveLength(2);
  });

  test('sends nothing for no items', async () => {
    const { policy } = recordingPolicy();
    const send = jest.fn(async (items: readonly string[]) => items);
    await expect(retryUnprocessed([], send, policy)).resolves.toEqual([]);
    expect(send).not.toHaveBeenCalled();
  });
});
