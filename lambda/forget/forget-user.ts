/**
 * Forgetting a user: every short-term event of every session of the user's actor, every
 * long-term record under the actor's namespace roots (session-scoped ones included), and
 * every item of the user's session history in DynamoDB. AgentCore has no "delete actor"
 * operation, and DeleteEvent leaves the records already extracted from an event, so each
 * store is swept on its own. Extraction runs some time after events arrive, so after a
 * wait the sweep runs again, and again while AgentCore still lists an extraction job for
 * the actor or new events turn up, up to a bound and within the function's time. Idempotent:
 * a second run finds nothing.
 */
import type { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import type { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_SECOND_SWEEP_DELAY_SECONDS, actorIdForUser } from '../contract/index.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../platform/retry.js';
import { ForgetCalls } from './calls.js';
import { readMemoryStrategies } from './memory-strategies.js';
import { listPendingExtractions } from './pending-extractions.js';
import {
  type ForgetFailure,
  type ForgetReport,
  NO_COUNTS,
  type PendingExtraction,
  type SweepCounts,
  addCounts,
} from './report.js';
import { sweepEvents } from './sweep-events.js';
import { sweepHistory } from './sweep-history.js';
import { sweepMemoryRecords } from './sweep-records.js';
import { RemovalTally, countsBetween } from './tally.js';
import { type ForgetTarget, forgetTargetErrors, knownTemplatesFor, namespaceRootsFor } from './target.js';

export { DEFAULT_SECOND_SWEEP_DELAY_SECONDS };
/** Sweeps at most, the first included, while extraction is still pending. */
export const DEFAULT_MAX_SWEEPS = 4;
/** Time kept free at the end of the function, beyond the estimate for the next wait and sweep. */
const END_MARGIN_MS = 10_000;

export interface ForgetClients {
  readonly agentCore: BedrockAgentCoreClient;
  readonly dynamo: DynamoDBDocumentClient;
  /** Reads the memory's current strategies (GetMemory). @default - only the configured templates and default roots */
  readonly agentCoreControl?: BedrockAgentCoreControlClient;
}

export interface ForgetOptions {
  /** List and count everything, delete nothing. @default false */
  readonly dryRun?: boolean;
  /** Wait before each sweep after the first. @default 90 */
  readonly secondSweepDelaySeconds?: number;
  /** Sweeps at most, the first included (at least 2). @default DEFAULT_MAX_SWEEPS */
  readonly maxSweeps?: number;
  /** @default DEFAULT_RETRY_POLICY (6 attempts, pauses of up to 250 ms doubling) */
  readonly retry?: RetryPolicy;
  /** Waits between the sweeps. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
  /** Milliseconds the caller has left (a Lambda context's getRemainingTimeInMillis). @default - no limit */
  readonly remainingTimeMs?: () => number;
}

interface SweepResult {
  readonly counts: SweepCounts;
  readonly failures: ForgetFailure[];
  /** Events this sweep found that no earlier sweep had seen: written while forgetting ran. */
  readonly newEvents: number;
  readonly durationMs: number;
}

/**
 * Forgets `userId`, mapped to its actorId exactly as the converse runtime maps it. Never
 * throws for a failed call: each is retried, then listed in `failures`, and the sweep goes
 * on with the rest. Throws only for an invalid userId or target, before any call.
 */
export async function forgetUser(
  userId: string,
  target: ForgetTarget,
  clients: ForgetClients,
  options: ForgetOptions = {},
): Promise<ForgetReport> {
  const actorId = actorIdForUser(userId);
  const targetErrors = forgetTargetErrors(target);
  if (targetErrors.length > 0) throw new Error(`Cannot forget ${userId}: ${targetErrors.join('; ')}`);
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const dryRun = options.dryRun ?? false;
  const delayMs = (options.secondSweepDelaySeconds ?? DEFAULT_SECOND_SWEEP_DELAY_SECONDS) * 1000;
  const maxSweeps = Math.max(2, options.maxSweeps ?? DEFAULT_MAX_SWEEPS);
  const sleep = options.sleep ?? DEFAULT_RETRY_POLICY.sleep;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const { memoryId, sessionTableName } = target;
  const { agentCore, dynamo } = clients;

  const calls = new ForgetCalls(retry);
  const tally = new RemovalTally();
  const namespacesTouched = new Set<string>();
  const eventsSeen = new Set<string>();
  const strategies = await readMemoryStrategies(clients.agentCoreControl, calls, memoryId);
  const roots = namespaceRootsFor(target, strategies, actorId);
  const templates = knownTemplatesFor(target, strategies);
  const runFailures = calls.takeFailures();

  const sweep = async (): Promise<SweepResult> => {
    const started = now().getTime();
    const before = tally.counts();
    // Events first, so nothing new is extracted from them; then records; then the history.
    const events = await sweepEvents({ memoryId, actorId, agentCore, calls, tally, dryRun });
    const newEvents = events.filter((eventId) => !eventsSeen.has(eventId)).length;
    for (const eventId of events) eventsSeen.add(eventId);
    const recordScope = { memoryId, agentCore, calls, tally, dryRun, roots, templates, actorId, retry };
    await sweepMemoryRecords({ ...recordScope, namespacesTouched });
    await sweepHistory({ userId, tableName: sessionTableName, dynamo, calls, tally, dryRun });
    const counts = countsBetween(before, tally.counts());
    return { counts, failures: calls.takeFailures(), newEvents, durationMs: now().getTime() - started };
  };
  const checkPending = async () => {
    const listing = await listPendingExtractions(agentCore, calls, memoryId, actorId);
    return { items: listing.items, failures: calls.takeFailures() };
  };

  const first = await sweep();
  let last = first;
  let sweeps = 1;
  let later: SweepCounts = NO_COUNTS;
  let pending: { items: PendingExtraction[]; failures: ForgetFailure[] } = { items: [], failures: [] };
  const stops: ForgetFailure[] = [];
  if (dryRun) {
    pending = await checkPending();
  } else {
    let longestSweepMs = first.durationMs;
    let settled = false;
    while (!settled && sweeps < maxSweeps) {
      const neededMs = delayMs + 2 * longestSweepMs + END_MARGIN_MS;
      const remainingMs = options.remainingTimeMs?.();
      if (remainingMs !== undefined && remainingMs < neededMs) {
        stops.push({
          operation: 'Sweep',
          target: `sweep ${sweeps + 1}`,
          error: `not started: ${Math.round(remainingMs / 1000)} s of the function's time left, the wait and a sweep need about ${Math.round(neededMs / 1000)} s; run forget again`,
        });
        break;
      }
      await sleep(delayMs);
      last = await sweep();
      sweeps += 1;
      longestSweepMs = Math.max(longestSweepMs, last.durationMs);
      later = addCounts(later, last.counts);
      pending = await checkPending();
      settled = pending.items.length === 0 && pending.failures.length === 0 && last.newEvents === 0;
    }
    if (stops.length === 0 && last.newEvents > 0) {
      stops.push({
        operation: 'ListEvents',
        target: `actor ${actorId}`,
        error: `${last.newEvents} new event(s) found by the last sweep: the user is still being written to, and extraction from those events may still write records; run forget again once the user has stopped`,
      });
    }
  }
  const failures = [...runFailures, ...last.failures, ...pending.failures, ...stops];
  return {
    userId,
    actorId,
    memoryId,
    sessionTableName,
    dryRun,
    startedAt: startedAt.toISOString(),
    durationMs: now().getTime() - startedAt.getTime(),
    namespacePrefixes: roots,
    namespacesTouched: [...namespacesTouched].sort(),
    firstSweep: first.counts,
    ...(!dryRun && { secondSweep: later }),
    secondSweepDelaySeconds: dryRun ? 0 : delayMs / 1000,
    sweeps,
    total: tally.counts(),
    alreadyGone: tally.alreadyGone(),
    pendingExtractions: pending.items,
    calls: Object.fromEntries([...calls.counts.entries()].sort(([a], [b]) => a.localeCompare(b))),
    failures,
    complete: failures.length === 0 && (dryRun || pending.items.length === 0),
  };
}
