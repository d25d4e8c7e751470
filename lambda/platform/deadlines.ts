/**
 * The turn's time budget. Lambda ends an invocation at its timeout whatever the code is
 * doing, so every dependency call of a turn (DynamoDB, AgentCore, Bedrock) has a deadline
 * inside that budget and is really cut off there: its abort signal fires (the SDK stops the
 * attempt and any retry), and the caller gets `DeadlineExceededError` even if the call
 * ignores the signal. The stream then always ends on the function's own terms, and no write
 * is left running once the response has ended.
 *
 * The budget, counted back from the function's timeout:
 * - the answer (loading, model calls, tools) stops {@link TurnLimits.reserveMs} before it;
 * - the writes after the answer (session history, AgentCore) end
 *   {@link TurnLimits.responseEndMs} before it, leaving that long to end the response; they
 *   retry until then (see `finishing-writes.ts`), so a slow dependency still saves the turn;
 * - inside the answer, each call has its own limit, retries included.
 */

import { TURN_RESERVE_SECONDS } from '../contract/timing.js';
import { DeadlineExceededError } from './errors.js';

export { DeadlineExceededError };

/** How long each part of a turn may take. */
export interface TurnLimits {
  /** Kept free before the function's timeout to save the turn: the answer stops there. @default TURN_RESERVE_SECONDS (30 000 ms) */
  readonly reserveMs: number;
  /**
   * Kept free at the very end to end the response; every write is over by then, and a client
   * that does not read gets at most this long to take the last bytes. @default 2 000 ms
   */
  readonly responseEndMs: number;
  /** One DynamoDB read while answering, retries included. @default 5 000 ms */
  readonly dynamoDbMs: number;
  /** One memory retrieval (every namespace), retries included; slower is "memory is unavailable". @default 5 000 ms */
  readonly memoryRetrieveMs: number;
  /** One `record` write while answering, retries included (the turn's CreateEvent has the finish deadline). @default 12 000 ms */
  readonly memoryWriteMs: number;
}

export const DEFAULT_TURN_LIMITS: TurnLimits = {
  reserveMs: TURN_RESERVE_SECONDS * 1_000,
  responseEndMs: 2_000,
  dynamoDbMs: 5_000,
  memoryRetrieveMs: 5_000,
  memoryWriteMs: 12_000,
};

/**
 * Runs `call` with an abort signal that fires at `endsAt` (epoch milliseconds). Resolves or
 * rejects as the call does before then; at `endsAt` it aborts the call and rejects with
 * {@link DeadlineExceededError}, whether or not the call has stopped.
 */
export function callWithDeadline<T>(
  operation: string,
  endsAt: number,
  call: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const cutOff = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => {
        const error = new DeadlineExceededError(operation);
        abort.abort(error);
        reject(error);
      },
      Math.max(0, endsAt - Date.now()),
    );
  });
  // An async wrapper turns a synchronous throw into a rejection.
  const running = (async () => call(abort.signal))();
  // Whichever loses the race settles unobserved; keep it from being reported as unhandled.
  running.catch(() => undefined);
  cutOff.catch(() => undefined);
  return Promise.race([running, cutOff]).finally(() => clearTimeout(timer));
}

/** The deadlines of one turn, fixed when it starts. */
export class TurnDeadlines {
  private constructor(
    /** Epoch milliseconds at which the answer stops (the loop ends with `Timeout`). */
    readonly answerBy: number,
    /** Epoch milliseconds by which every write is over and the response ends. */
    readonly finishBy: number,
    /** Epoch milliseconds at which Lambda ends the invocation. */
    readonly functionEndsAt: number,
    readonly limits: TurnLimits,
  ) {}

  /** @param remainingMs the invocation's remaining time when the turn starts */
  static start(startedAt: number, remainingMs: number, limits: TurnLimits): TurnDeadlines {
    const functionEndsAt = startedAt + remainingMs;
    const answerBy = functionEndsAt - limits.reserveMs;
    return new TurnDeadlines(
      answerBy,
      Math.max(answerBy, functionEndsAt - limits.responseEndMs),
      functionEndsAt,
      limits,
    );
  }

  /**
   * When the response must have ended, asked as it ends: {@link TurnLimits.responseEndMs}
   * from now for the client to take the last bytes, and never later than half that before
   * the function's timeout. A client that has not read by then is cut off.
   */
  responseEndBy(): number {
    return Math.min(Date.now() + this.limits.responseEndMs, this.functionEndsAt - this.limits.responseEndMs / 2);
  }

  /** A call made while the turn answers: cut off after `limitMs`, and at {@link answerBy} at the latest. */
  whileAnswering<T>(operation: string, limitMs: number, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return callWithDeadline(operation, Math.min(Date.now() + limitMs, this.answerBy), call);
  }
}
