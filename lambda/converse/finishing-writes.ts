import { type RetryPolicy, sleep as pause, withRetries } from '../platform/retry.js';
import { isTransientError } from '../platform/transient.js';
import { callWithDeadline, DeadlineExceededError, type TurnDeadlines } from '../platform/deadlines.js';

/** What each attempt of a write after the answer is given: its cut-off and how long one HTTP attempt may wait. */
export interface FinishingCallOptions {
  readonly abortSignal: AbortSignal;
  /** Milliseconds one HTTP attempt may wait for its response (half the time left, at least {@link ATTEMPT_MIN_MS}). */
  readonly requestTimeout: number;
}

/** The shortest wait an attempt is given for its response. */
export const ATTEMPT_MIN_MS = 1_000;
/** The first pause between two attempts; it doubles after each, up to {@link BACKOFF_MAX_MS}, with jitter. */
export const BACKOFF_BASE_MS = 100;
export const BACKOFF_MAX_MS = 2_000;

/**
 * Attempts until the finish deadline. Each pause is at least half its cap (equal jitter):
 * one turn's write has no crowd of callers to spread apart, and attempts packed at the start
 * would spend a throttled dependency's recovery time in failures.
 */
const FINISHING_RETRY_POLICY: Omit<RetryPolicy, 'sleep'> = {
  attempts: Infinity,
  baseDelayMs: BACKOFF_BASE_MS,
  maxDelayMs: BACKOFF_MAX_MS,
  jitter: 'equal',
};

/**
 * A write after the answer (the turn's history, its AgentCore event) uses the time the turn
 * kept for saving: each attempt may wait half the time left before the finish deadline (a
 * slow but working dependency still answers), and a failure that may pass (throttling, a
 * 5xx, a cut-off attempt) is retried with backoff until the deadline. Only a write that
 * cannot finish by then fails, with {@link DeadlineExceededError} or its last error.
 */
export async function writeUntilFinished<T>(
  deadlines: TurnDeadlines,
  operation: string,
  call: (options: FinishingCallOptions) => Promise<T>,
  sleep: (ms: number) => Promise<void> = pause,
): Promise<T> {
  return withRetries(
    () => {
      const requestTimeout = Math.max(ATTEMPT_MIN_MS, Math.floor((deadlines.finishBy - Date.now()) / 2));
      return callWithDeadline(operation, deadlines.finishBy, (abortSignal) => call({ abortSignal, requestTimeout }));
    },
    { ...FINISHING_RETRY_POLICY, sleep },
    {
      deadline: deadlines.finishBy,
      // The finish deadline itself has passed: another attempt has no time left.
      isRetryable: (error) => !(error instanceof DeadlineExceededError) && isTransientError(error),
    },
  );
}
