/**
 * What forgetting a user removed, as returned by the function and printed by the CLI.
 * Every count is of deletions this run made and the service confirmed: what was listed
 * but could not be deleted is in `failures`, what was already gone is in `alreadyGone`,
 * and nothing is counted twice across sweeps.
 */

/** What was removed (in a dry run: what would be), per kind. */
export interface SweepCounts {
  /** AgentCore short-term memory sessions of the actor this run emptied of events. */
  readonly agentCoreSessions: number;
  /** Short-term memory events deleted. */
  readonly events: number;
  /** Long-term memory records deleted. */
  readonly memoryRecords: number;
  /** Sessions of the user in the session-history table this run removed every item of. */
  readonly historySessions: number;
  /** Items deleted from the session-history table (owner and turn items). */
  readonly historyItems: number;
}

/** Deletes the service answered with "not found": gone before this run reached them (another run, TTL). */
export interface AlreadyGoneCounts {
  readonly events: number;
  readonly memoryRecords: number;
  readonly historyItems: number;
}

export const NO_COUNTS: SweepCounts = {
  agentCoreSessions: 0,
  events: 0,
  memoryRecords: 0,
  historySessions: 0,
  historyItems: 0,
};

export const NOTHING_GONE: AlreadyGoneCounts = { events: 0, memoryRecords: 0, historyItems: 0 };

/** A call that still failed after its retries, an item the service would not delete, or a sweep not run. */
export interface ForgetFailure {
  readonly operation: string;
  readonly target: string;
  readonly error: string;
}

/** An extraction job AgentCore still holds for the actor: it may yet write records. */
export interface PendingExtraction {
  readonly jobId: string;
  readonly sessionId?: string;
  readonly strategyId?: string;
  readonly status?: string;
  readonly failureReason?: string;
}

export interface ForgetReport {
  readonly userId: string;
  readonly actorId: string;
  readonly memoryId: string;
  readonly sessionTableName: string;
  /** True when nothing was changed: the counts are what a real run would remove. */
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  /** The actor-level roots ListMemoryRecords searched, each as a `namespacePath` (the whole subtree). */
  readonly namespacePrefixes: readonly string[];
  /** Every namespace a record was found in, session-scoped ones included. */
  readonly namespacesTouched: readonly string[];
  /** Removed by the first sweep. */
  readonly firstSweep: SweepCounts;
  /** Removed by the sweeps after the wait (the second, and any further one); absent in a dry run. */
  readonly secondSweep?: SweepCounts;
  /** Seconds waited before each sweep after the first (0 in a dry run). */
  readonly secondSweepDelaySeconds: number;
  /**
   * How many sweeps ran: 1 in a dry run, at least 2 otherwise. This and the other optional
   * fields are always set; they are absent only in reports of forget functions deployed
   * before they existed, which the CLI may still be reading.
   */
  readonly sweeps?: number;
  /** Removed by this run: `firstSweep` plus `secondSweep`. */
  readonly total: SweepCounts;
  /** Deletes answered "not found": not counted as removed by this run. */
  readonly alreadyGone?: AlreadyGoneCounts;
  /** Extraction jobs still listed for the actor after the last sweep; any makes the report incomplete. */
  readonly pendingExtractions?: readonly PendingExtraction[];
  /** Requests sent per operation, retries included. */
  readonly calls: Readonly<Record<string, number>>;
  /** What is still left or unchecked after the last sweep; earlier failures that a later sweep fixed are not here. */
  readonly failures: readonly ForgetFailure[];
  /**
   * True only when the last sweep listed everything and deleted all it found, no extraction
   * job is pending for the actor, and the last sweep found no new events. Dry run: every
   * listing succeeded.
   */
  readonly complete: boolean;
}

export function addCounts(a: SweepCounts, b: SweepCounts): SweepCounts {
  return {
    agentCoreSessions: a.agentCoreSessions + b.agentCoreSessions,
    events: a.events + b.events,
    memoryRecords: a.memoryRecords + b.memoryRecords,
    historySessions: a.historySessions + b.historySessions,
    historyItems: a.historyItems + b.historyItems,
  };
}

function countsLine(counts: SweepCounts): string {
  return `${counts.agentCoreSessions} AgentCore sessions, ${counts.events} events, ${counts.memoryRecords} long-term records, ${counts.historySessions} history sessions (${counts.historyItems} items)`;
}

/** The report as the CLI prints it. */
export function formatForgetReport(report: ForgetReport): string {
  const verb = report.dryRun ? 'would remove' : 'removed';
  const gone = report.alreadyGone ?? NOTHING_GONE;
  const pending = report.pendingExtractions ?? [];
  const sweeps = report.sweeps ?? (report.secondSweep === undefined ? 1 : 2);
  const lines = [
    `${report.dryRun ? 'Dry run: nothing was changed. ' : ''}Forgetting user ${report.userId} (actorId ${report.actorId}) in memory ${report.memoryId} and table ${report.sessionTableName}`,
    `  first sweep ${verb}: ${countsLine(report.firstSweep)}`,
    report.secondSweep === undefined
      ? '  second sweep: skipped in a dry run'
      : `  second sweep, ${report.secondSweepDelaySeconds} s later, ${verb}: ${countsLine(report.secondSweep)}${sweeps > 2 ? ` (${sweeps - 1} sweeps after the first)` : ''}`,
    `  total ${verb}: ${countsLine(report.total)}`,
    `  already gone: ${gone.events} events, ${gone.memoryRecords} long-term records, ${gone.historyItems} history items`,
    `  namespace roots searched: ${report.namespacePrefixes.join(', ') || 'none'}`,
    `  namespaces with records: ${report.namespacesTouched.join(', ') || 'none'}`,
    `  calls: ${Object.entries(report.calls)
      .map(([operation, count]) => `${operation} ${count}`)
      .join(', ')}`,
    `  duration: ${(report.durationMs / 1000).toFixed(1)} s`,
  ];
  if (pending.length > 0) {
    lines.push(`  PENDING: ${pending.length} extraction job(s) may still write records; run forget again later:`);
    for (const job of pending) {
      lines.push(
        `    - job ${job.jobId}${job.sessionId ? ` of session ${job.sessionId}` : ''}${job.status ? ` (${job.status}${job.failureReason ? `: ${job.failureReason}` : ''})` : ''}`,
      );
    }
  }
  if (report.failures.length > 0) {
    lines.push(`  INCOMPLETE: ${report.failures.length} call(s) failed after retries; run forget again:`);
    for (const failure of report.failures) lines.push(`    - ${failure.operation} ${failure.target}: ${failure.error}`);
  }
  if (report.complete) {
    lines.push(report.dryRun ? '  complete: every call succeeded' : '  complete: the user has nothing left');
  }
  return lines.join('\n');
}
