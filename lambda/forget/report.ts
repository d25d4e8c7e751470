/** What forgetting a user found and removed, as returned by the function and printed by the CLI. */

/** What one sweep found (and, unless it was a dry run, removed), per kind. */
export interface SweepCounts {
  /** AgentCore short-term memory sessions of the actor. */
  readonly agentCoreSessions: number;
  /** Short-term memory events in those sessions. */
  readonly events: number;
  /** Long-term memory records under the actor's namespace prefixes. */
  readonly memoryRecords: number;
  /** Sessions of the user in the session-history table. */
  readonly historySessions: number;
  /** Items of those sessions (owner and turn items). */
  readonly historyItems: number;
}

export const NO_COUNTS: SweepCounts = {
  agentCoreSessions: 0,
  events: 0,
  memoryRecords: 0,
  historySessions: 0,
  historyItems: 0,
};

/** A call that still failed after its retries, or an item the service would not delete. */
export interface ForgetFailure {
  readonly operation: string;
  readonly target: string;
  readonly error: string;
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
  /** The prefixes ListMemoryRecords searched: each strategy's namespace cut after the actor. */
  readonly namespacePrefixes: readonly string[];
  /** Every namespace a record was found in, session-scoped ones included. */
  readonly namespacesTouched: readonly string[];
  readonly firstSweep: SweepCounts;
  /** Records extracted from events after the first sweep; absent in a dry run, which removes nothing to wait for. */
  readonly secondSweep?: SweepCounts;
  readonly secondSweepDelaySeconds: number;
  readonly total: SweepCounts;
  /** Requests sent per operation, retries included. */
  readonly calls: Readonly<Record<string, number>>;
  readonly failures: readonly ForgetFailure[];
  /** True when every call succeeded: the user has nothing left (dry run: nothing would be left). */
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
  const lines = [
    `${report.dryRun ? 'Dry run: nothing was changed. ' : ''}Forgetting user ${report.userId} (actorId ${report.actorId}) in memory ${report.memoryId} and table ${report.sessionTableName}`,
    `  first sweep ${verb}: ${countsLine(report.firstSweep)}`,
    report.secondSweep === undefined
      ? '  second sweep: skipped in a dry run'
      : `  second sweep, ${report.secondSweepDelaySeconds} s later, ${verb}: ${countsLine(report.secondSweep)}`,
    `  total ${verb}: ${countsLine(report.total)}`,
    `  namespace prefixes searched: ${report.namespacePrefixes.join(', ') || 'none'}`,
    `  namespaces with records: ${report.namespacesTouched.join(', ') || 'none'}`,
    `  calls: ${Object.entries(report.calls)
      .map(([operation, count]) => `${operation} ${count}`)
      .join(', ')}`,
    `  duration: ${(report.durationMs / 1000).toFixed(1)} s`,
  ];
  if (report.failures.length > 0) {
    lines.push(`  INCOMPLETE: ${report.failures.length} call(s) failed after retries; run forget again:`);
    for (const failure of report.failures) lines.push(`    - ${failure.operation} ${failure.target}: ${failure.error}`);
  } else {
    lines.push(report.dryRun ? '  complete: every call succeeded' : '  complete: the user has nothing left');
  }
  return lines.join('\n');
}
