/**
 * Retrying with exponential backoff: a call that fails in a way that may pass is sent
 * again after a pause that doubles with each failure, jittered so that callers throttled
 * together do not come back together.
 */
import { isTransientError } from './transient.js';

export interface RetryPolicy {
  /** Attempts per call, the first included; `Infinity` retries until the call's deadline. */
  readonly attempts: number;
  /** The longest pause after the first failure; it doubles after each further failure. */
  readonly baseDelayMs: number;
  /** No pause is longer. @default 20 000 ms */
  readonly maxDelayMs?: number;
  /**
   * `full`: a pause anywhere from 0 to its cap, which spreads retrying callers the most;
   * `equal`: from half its cap to the cap, which keeps attempts spaced out.
   * @default 'full'
   */
  readonly jitter?: 'full' | 'equal';
  readonly sleep: (ms: number) => Promise<void>;
}

/** The longest pause unless a policy says otherwise. */
export const DEFAULT_MAX_DELAY_MS = 20_000;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Six attempts, pauses of up to 250 ms doubling (at most some 8 s of waiting in all). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 250,
  maxDelayMs: DEFAULT_MAX_DELAY_MS,
  jitter: 'full',
  sleep,
};

/**
 * The pause after failure number `attempt` (1 after the first failure): up to
 * `baseDelayMs * 2^(attempt - 1)`, capped at `maxDelayMs`, jittered as the policy says.
 */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxDelayMs ?? DEFAULT_MAX_DELAY_MS, policy.baseDelayMs * 2 ** (attempt - 1));
  return (policy.jitter ?? 'full') === 'full' ? cap * random() : cap * (0.5 + random() / 2);
}

export interface RetryOptions {
  /** The failures worth another attempt. @default isTransientError */
  readonly isRetryable?: (error: unknown) => boolean;
  /**
   * Epoch milliseconds by which the call must be over: a pause that would end after it is
   * not taken, and the last error is thrown instead. @default - no deadline
   */
  readonly deadline?: number;
}

/** What each attempt is told. */
export interface RetryAttempt {
  /**
   * The call got somewhere (a paged read got a page): the next failure counts as a first
   * failure again, so a long read is not given up for failures spread over its pages.
   */
  madeProgress(): void;
}

/**
 * Runs `call` until it succeeds, its failure is not retryable, the policy's attempts are
 * used up or the deadline is near; rejects with the last error.
 */
export async function withRetries<T>(
  call: (attempt: RetryAttempt) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  const isRetryable = options.isRetryable ?? isTransientError;
  let failures = 0;
  const attempt: RetryAttempt = { madeProgress: () => void (failures = 0) };
  for (;;) {
    try {
      return await call(attempt);
    } catch (error) {
      failures += 1;
      if (failures >= policy.attempts || !isRetryable(error)) throw error;
      const pause = backoffDelayMs(failures, policy);
      if (options.deadline !== undefined && Date.now() + pause >= options.deadline) throw error;
      await policy.sleep(pause);
    }
  }
}

/**
 * Sends a batch write and sends again what the service left unprocessed (a batch call
 * answers per item, and an unprocessed item is not an error), with the policy's attempts
 * and backoff. `send` resolves the items to send again. Resolves the items still
 * unprocessed after the last attempt, for the caller to report.
 */
export async function retryUnprocessed<Item>(
  items: readonly Item[],
  send: (items: readonly Item[]) => Promise<readonly Item[]>,
  policy: RetryPolicy,
): Promise<readonly Item[]> {
  let pending = items;
  for (let attempt = 1; pending.length > 0; attempt++) {
    pending = await send(pending);
    if (pending.length === 0 || attempt >= policy.attempts) return pending;
    await policy.sleep(backoffDelayMs(attempt, policy));
  }
  return pending;
}
