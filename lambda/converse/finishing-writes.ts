import { callWithDeadline, DeadlineExceededError, type TurnDeadlines } from '../platform/deadlines.js';
import { isTransientError } from './failures.js';

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
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const requestTimeout = Math.max(ATTEMPT_MIN_MS, Math.floor((deadlines.finishBy - Date.now()) / 2));
    try {
      return await callWithDeadline(operation, deadlines.finishBy, (abortSignal) =>
        call({ abortSignal, requestTimeout }),
      );
    } catch (error) {
      if (error instanceof DeadlineExceededError || !isTransientError(error)) throw error;
      const pause = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (Date.now() + pause >= deadlines.finishBy) throw error;
      await sleep(pause);
    }
  }
}
