/**
 * Every AWS request a forget run sends goes through one `ForgetCalls`: it retries what is
 * worth retrying, counts each attempt per operation, and records what still failed, so the
 * report's `calls` and `failures` are complete and a failed call never stops the run.
 */
import { type RetryPolicy, withRetries } from '../platform/retry.js';
import { isTransientError } from '../platform/transient.js';
import type { ForgetFailure } from './report.js';

/** The outcome of one request: its output, or that it failed (and was recorded) or found nothing to act on. */
export type CallOutcome<T> =
  { readonly status: 'done'; readonly output: T } | { readonly status: 'gone' } | { readonly status: 'failed' };

/** What a paginator needs to resume after a failed page: the token to start from, and the per-request hook. */
export interface PageResume {
  readonly startingToken: unknown;
  readonly withCommand: <C>(command: C) => C;
}

/** Every item of a paged listing, and whether every page was read. */
export interface Listing<T> {
  readonly items: T[];
  readonly complete: boolean;
}

export class ForgetCalls {
  readonly counts = new Map<string, number>();
  private recorded: ForgetFailure[] = [];

  constructor(private readonly retry: RetryPolicy) {}

  /** Failures recorded since the last `takeFailures`. */
  takeFailures(): ForgetFailure[] {
    const failures = this.recorded;
    this.recorded = [];
    return failures;
  }

  fail(operation: string, target: string, error: string): void {
    this.recorded.push({ operation, target, error });
  }

  private countAttempt(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  /**
   * Sends one request, retrying throttling and server faults. `isGone` picks the errors that
   * mean "already gone" (a delete of what no longer exists): neither a failure nor a removal.
   */
  async send<T>(
    operation: string,
    target: string,
    request: () => Promise<T>,
    isGone: (error: unknown) => boolean = () => false,
  ): Promise<CallOutcome<T>> {
    try {
      const output = await withRetries(
        () => {
          this.countAttempt(operation);
          return request();
        },
        this.retry,
        { isRetryable: (error) => !isGone(error) && (isTransientError(error) || isRequestQuotaExceeded(error)) },
      );
      return { status: 'done', output };
    } catch (error) {
      if (isGone(error)) return { status: 'gone' };
      this.fail(operation, target, describeFailure(error));
      return { status: 'failed' };
    }
  }

  /**
   * Reads every page of a listing through the SDK's paginator. A page that fails is retried
   * from the token that led to it (a fresh paginator from `startingToken`); a page that
   * still fails ends the listing as incomplete, with the failure recorded.
   */
  async listAll<P, T>(
    operation: string,
    target: string,
    paginate: (resume: PageResume) => AsyncIterable<P>,
    read: (page: P) => { readonly items: readonly T[]; readonly next: unknown },
  ): Promise<Listing<T>> {
    const items: T[] = [];
    let startingToken: unknown;
    const withCommand = <C>(command: C): C => {
      this.countAttempt(operation);
      return command;
    };
    try {
      await withRetries(async (attempt) => {
        for await (const page of paginate({ startingToken, withCommand })) {
          const { items: pageItems, next } = read(page);
          items.push(...pageItems);
          startingToken = next;
          attempt.madeProgress();
        }
      }, this.retry);
      return { items, complete: true };
    } catch (error) {
      this.fail(operation, target, describeFailure(error));
      return { items, complete: false };
    }
  }
}

/** Runs `run` over `items` with at most `limit` in flight. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++]);
  });
  await Promise.all(workers);
}

/** Error name and message, for the report; never a stack or payload. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * AgentCore reports its per-second request quotas as ServiceQuotaExceededException: an
 * operator's forget run waits and tries again, where a chat turn (which answers a person
 * now) tells its caller instead.
 */
function isRequestQuotaExceeded(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ServiceQuotaExceededException';
}
