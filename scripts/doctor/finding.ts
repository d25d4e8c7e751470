/**
 * `ok`: deployed agrees with the code. `drift`: it does not (exit 1). `unknown`: AWS does
 * not report it, so it was not compared (a note, not a failure).
 */
export type FindingStatus = 'ok' | 'drift' | 'unknown';

export interface Finding {
  /** Which check: memory.status, memory.eventExpiry, strategy.missing, agent.retrieval, ... */
  readonly check: string;
  readonly status: FindingStatus;
  /** What it is about: a strategy name, an agent id. */
  readonly subject?: string;
  readonly expected?: unknown;
  readonly deployed?: unknown;
  /** One line a person can act on. */
  readonly message: string;
}

/** The finding of a check whose deployed state agrees with the code. */
export function ok(check: string, message: string, subject?: string): Finding {
  return { check, status: 'ok', subject, message };
}

/** A note: something was not compared (AWS does not report it, or nothing named it). */
export function note(check: string, message: string): Finding {
  return { check, status: 'unknown', message };
}
