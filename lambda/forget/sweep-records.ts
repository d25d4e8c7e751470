/**
 * Long-term memory: every record under the actor's roots. Each root stands for a subtree
 * (session-scoped namespaces included), so it is listed with `namespacePath`; each record
 * is deleted with its own exact `namespace`.
 */
import {
  BatchDeleteMemoryRecordsCommand,
  type BedrockAgentCoreClient,
  paginateListMemoryRecords,
} from '@aws-sdk/client-bedrock-agentcore';
import { BATCH_DELETE_MEMORY_RECORDS_MAX, LIST_PAGE_SIZE_MAX } from '../contract/index.js';
import { type RetryPolicy, retryUnprocessed } from '../platform/retry.js';
import type { ForgetCalls } from './calls.js';
import { namespaceToForget } from './record-ownership.js';
import type { RemovalTally } from './tally.js';

/** The largest page ListMemoryRecords returns. */
const PAGE_SIZE = LIST_PAGE_SIZE_MAX;
/** BatchDeleteMemoryRecords answers a record that no longer exists with this code. */
const NOT_FOUND = 404;

export interface RecordSweepScope {
  readonly memoryId: string;
  readonly agentCore: BedrockAgentCoreClient;
  readonly calls: ForgetCalls;
  readonly tally: RemovalTally;
  readonly dryRun: boolean;
  /** The actor-level roots to list. */
  readonly roots: readonly string[];
  /** Every template known to file records (as deployed, configured, and as the memory says now): a record another actor's namespace could hold is never deleted. */
  readonly templates: readonly string[];
  readonly actorId: string;
  /** Every namespace a record was found in, across sweeps. */
  readonly namespacesTouched: Set<string>;
  readonly retry: RetryPolicy;
}

/** A listed record: its id and every namespace the service says it is in. */
export interface ListedRecord {
  readonly memoryRecordId: string;
  readonly namespaces: readonly string[];
}

/** A record chosen for deletion, with the one namespace it is deleted from. */
export interface RecordToDelete {
  readonly memoryRecordId: string;
  readonly namespace: string;
}

/** Whose records a sweep may delete: the actor, its roots, and every template known to file records. */
export interface RecordOwnership {
  readonly actorId: string;
  readonly roots: readonly string[];
  readonly templates: readonly string[];
}

/**
 * The one place that decides which listed records are deleted: only a record whose every
 * namespace lies under one of the actor's own roots and is no other actor's under any known
 * template, whatever the service returned.
 */
export function recordsToDelete(listed: readonly ListedRecord[], ownership: RecordOwnership): RecordToDelete[] {
  const chosen = new Map<string, string>();
  for (const record of listed) {
    const namespace = namespaceToForget(record.namespaces, ownership.templates, ownership.actorId, ownership.roots);
    if (namespace !== undefined && !chosen.has(record.memoryRecordId)) chosen.set(record.memoryRecordId, namespace);
  }
  return [...chosen].map(([memoryRecordId, namespace]) => ({ memoryRecordId, namespace }));
}

export async function sweepMemoryRecords(scope: RecordSweepScope): Promise<void> {
  const { memoryId, agentCore, calls } = scope;
  const listed: ListedRecord[] = [];
  for (const root of scope.roots) {
    const listing = await calls.listAll(
      'ListMemoryRecords',
      `namespacePath ${root}`,
      ({ startingToken, withCommand }) =>
        paginateListMemoryRecords(
          { client: agentCore, startingToken, withCommand },
          { memoryId, namespacePath: root, maxResults: PAGE_SIZE },
        ),
      (page) => ({
        items: (page.memoryRecordSummaries ?? []).flatMap((record) =>
          record.memoryRecordId === undefined
            ? []
            : [{ memoryRecordId: record.memoryRecordId, namespaces: record.namespaces ?? [] }],
        ),
        next: page.nextToken,
      }),
    );
    listed.push(...listing.items);
  }
  const records = recordsToDelete(listed, scope);
  for (const record of records) scope.namespacesTouched.add(record.namespace);
  if (scope.dryRun) {
    for (const record of records) scope.tally.removedOne('memoryRecords', record.memoryRecordId);
    return;
  }
  for (let start = 0; start < records.length; start += BATCH_DELETE_MEMORY_RECORDS_MAX) {
    await deleteBatch(scope, records.slice(start, start + BATCH_DELETE_MEMORY_RECORDS_MAX));
  }
}

/** One batch of at most 100; records the service did not confirm are sent again, then reported. */
async function deleteBatch(scope: RecordSweepScope, batch: RecordToDelete[]): Promise<void> {
  const { calls, tally } = scope;
  /** Why the service did not delete a record, as its last answer says. */
  const errors = new Map<string, string>();
  const unconfirmed = await retryUnprocessed(
    batch,
    async (sent) => {
      errors.clear();
      const outcome = await calls.send('BatchDeleteMemoryRecords', `${sent.length} records`, () =>
        scope.agentCore.send(new BatchDeleteMemoryRecordsCommand({ memoryId: scope.memoryId, records: [...sent] })),
      );
      // A call that failed after its retries is recorded as a failure of the whole batch.
      if (outcome.status !== 'done') return [];
      const answered = new Set<string | undefined>();
      for (const record of outcome.output.successfulRecords ?? []) {
        tally.removedOne('memoryRecords', record.memoryRecordId!);
        answered.add(record.memoryRecordId);
      }
      for (const record of outcome.output.failedRecords ?? []) {
        if (record.errorCode === NOT_FOUND) {
          tally.goneOne('memoryRecords', record.memoryRecordId!);
          answered.add(record.memoryRecordId);
        } else {
          errors.set(
            record.memoryRecordId!,
            `${record.errorCode ?? ''} ${record.errorMessage ?? 'not deleted'}`.trim(),
          );
        }
      }
      return sent.filter((record) => !answered.has(record.memoryRecordId));
    },
    scope.retry,
  );
  for (const record of unconfirmed) {
    calls.fail(
      'BatchDeleteMemoryRecords',
      `record ${record.memoryRecordId}`,
      errors.get(record.memoryRecordId) ?? 'the service confirmed neither its deletion nor a failure',
    );
  }
}
