/**
 * What one forget run removed, kept by id so that a second sweep never counts again what
 * the first removed (or failed to delete and listed again), and a "not found" on something
 * this run removed itself is not counted as already gone.
 */
import type { AlreadyGoneCounts, SweepCounts } from './report.js';

export type RemovedKind = 'events' | 'memoryRecords' | 'historyItems';
type SessionKind = 'agentCoreSessions' | 'historySessions';

export class RemovalTally {
  private readonly removed: Record<RemovedKind, Set<string>> = {
    events: new Set(),
    memoryRecords: new Set(),
    historyItems: new Set(),
  };
  private readonly gone: Record<RemovedKind, Set<string>> = {
    events: new Set(),
    memoryRecords: new Set(),
    historyItems: new Set(),
  };
  private readonly sessions: Record<SessionKind, Set<string>> = {
    agentCoreSessions: new Set(),
    historySessions: new Set(),
  };
  /** Sessions this run deleted at least one thing of, per kind. */
  private readonly touched: Record<SessionKind, Set<string>> = {
    agentCoreSessions: new Set(),
    historySessions: new Set(),
  };

  /** A delete the service confirmed (in a dry run: one that would be sent). */
  removedOne(kind: RemovedKind, id: string, sessionId?: string): void {
    this.removed[kind].add(id);
    this.gone[kind].delete(id);
    if (sessionId !== undefined) this.touched[sessionKindOf(kind)].add(sessionId);
  }

  /** A delete answered "not found". */
  goneOne(kind: RemovedKind, id: string): void {
    if (!this.removed[kind].has(id)) this.gone[kind].add(id);
  }

  /**
   * A session this sweep left with nothing: counted once, and only when this run deleted
   * something of it (a session found already empty was not removed by this run).
   */
  sessionCleared(kind: SessionKind, sessionId: string): void {
    if (this.touched[kind].has(sessionId)) this.sessions[kind].add(sessionId);
  }

  counts(): SweepCounts {
    return {
      agentCoreSessions: this.sessions.agentCoreSessions.size,
      events: this.removed.events.size,
      memoryRecords: this.removed.memoryRecords.size,
      historySessions: this.sessions.historySessions.size,
      historyItems: this.removed.historyItems.size,
    };
  }

  alreadyGone(): AlreadyGoneCounts {
    return {
      events: this.gone.events.size,
      memoryRecords: this.gone.memoryRecords.size,
      historyItems: this.gone.historyItems.size,
    };
  }
}

function sessionKindOf(kind: RemovedKind): SessionKind {
  return kind === 'historyItems' ? 'historySessions' : 'agentCoreSessions';
}

/** `after - before`, per kind: what one sweep added. */
export function countsBetween(before: SweepCounts, after: SweepCounts): SweepCounts {
  return {
    agentCoreSessions: after.agentCoreSessions - before.agentCoreSessions,
    events: after.events - before.events,
    memoryRecords: after.memoryRecords - before.memoryRecords,
    historySessions: after.historySessions - before.historySessions,
    historyItems: after.historyItems - before.historyItems,
  };
}
