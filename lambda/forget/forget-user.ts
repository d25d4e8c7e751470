/**
 * Forgetting a user: every short-term event of every session of the user's actor, every
 * long-term record under the actor's namespace prefixes (session-scoped ones included),
 * and the user's session history in DynamoDB. AgentCore has no "delete actor" operation,
 * and DeleteEvent leaves the records already extracted from an event, so each kind is
 * listed and deleted on its own; extraction runs some time after events arrive, so a
 * second sweep follows once it has settled. Idempotent: a second run finds nothing.
 */
import {
  BatchDeleteMemoryRecordsCommand,
  type BedrockAgentCoreClient,
  DeleteEventCommand,
  ListEventsCommand,
  ListMemoryRecordsCommand,
  ListSessionsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  BATCH_DELETE_MEMORY_RECORDS_MAX,
  SessionTableKeys,
  actorIdForUser,
  actorPrefixFor,
  namespaceTemplateErrors,
} from '../contract/index.js';
import { namespaceToForget } from './record-ownership.js';
import { type ForgetFailure, type ForgetReport, NO_COUNTS, type SweepCounts, addCounts } from './report.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, describeFailure, withRetries } from './retry.js';

/** AgentCore extracts long-term records some 30-60 s after events arrive; the second sweep waits past that. */
export const DEFAULT_SECOND_SWEEP_DELAY_SECONDS = 90;
/** DeleteEvent calls in flight at once. */
const DELETE_CONCURRENCY = 4;
/** BatchWriteItem accepts at most 25 requests. */
const BATCH_WRITE_MAX = 25;
/** The session-history owner item's sort key (`~meta`), written by the converse runtime's session store. */
const OWNER_ITEM_SORT_KEY = '~meta';

/** Where the user's data lives. */
export interface ForgetTarget {
  readonly memoryId: string;
  readonly sessionTableName: string;
  /** Every namespace template the memory's strategies write records to. */
  readonly namespaceTemplates: readonly string[];
}

export interface ForgetClients {
  readonly agentCore: BedrockAgentCoreClient;
  readonly dynamo: DynamoDBDocumentClient;
}

export interface ForgetOptions {
  /** List and count everything, delete nothing. @default false */
  readonly dryRun?: boolean;
  /** @default 90 */
  readonly secondSweepDelaySeconds?: number;
  /** @default DEFAULT_RETRY_POLICY (6 attempts, 250 ms doubling) */
  readonly retry?: RetryPolicy;
  /** Waits between the sweeps. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
}

/** Problems with the target that would make a sweep miss data; checked before any call. */
export function forgetTargetErrors(target: ForgetTarget): string[] {
  const errors: string[] = [];
  if (!target.memoryId) errors.push('memoryId is required');
  if (!target.sessionTableName) errors.push('sessionTableName is required');
  if (target.namespaceTemplates.length === 0) {
    errors.push('namespaceTemplates must list every namespace template the memory writes records to');
  }
  for (const template of target.namespaceTemplates) {
    errors.push(...namespaceTemplateErrors(template).map((error) => `namespaceTemplates: ${error}`));
  }
  return errors;
}

/**
 * The actor's prefixes, one per template, without a prefix another one already covers.
 * Each ends with `/` after the actorId, so `bo`'s never covers `bob`'s records.
 */
export function actorPrefixes(templates: readonly string[], actorId: string): string[] {
  const prefixes = [...new Set(templates.map((template) => actorPrefixFor(template, actorId)))].sort();
  return prefixes.filter((prefix) => !prefixes.some((other) => other !== prefix && prefix.startsWith(other)));
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
  const delaySeconds = options.secondSweepDelaySeconds ?? DEFAULT_SECOND_SWEEP_DELAY_SECONDS;
  const sleep = options.sleep ?? DEFAULT_RETRY_POLICY.sleep;

  const sweeper = new Sweeper(
    userId,
    actorId,
    target,
    clients,
    dryRun,
    options.retry ?? DEFAULT_RETRY_POLICY,
    actorPrefixes(target.namespaceTemplates, actorId),
  );
  const firstSweep = await sweeper.sweep();
  let secondSweep: SweepCounts | undefined;
  if (!dryRun) {
    await sleep(delaySeconds * 1000);
    secondSweep = await sweeper.sweep();
  }
  return {
    userId,
    actorId,
    memoryId: target.memoryId,
    sessionTableName: target.sessionTableName,
    dryRun,
    startedAt: startedAt.toISOString(),
    durationMs: now().getTime() - startedAt.getTime(),
    namespacePrefixes: sweeper.prefixes,
    namespacesTouched: [...sweeper.namespacesTouched].sort(),
    firstSweep,
    ...(secondSweep !== undefined && { secondSweep }),
    secondSweepDelaySeconds: dryRun ? 0 : delaySeconds,
    total: secondSweep === undefined ? firstSweep : addCounts(firstSweep, secondSweep),
    calls: Object.fromEntries([...sweeper.calls.entries()].sort(([a], [b]) => a.localeCompare(b))),
    failures: sweeper.failures,
    complete: sweeper.failures.length === 0,
  };
}

type HistoryKey = Record<string, string>;

/** One pass over every kind of data; holds what the passes have in common. */
class Sweeper {
  readonly calls = new Map<string, number>();
  readonly failures: ForgetFailure[] = [];
  readonly namespacesTouched = new Set<string>();

  constructor(
    private readonly userId: string,
    private readonly actorId: string,
    private readonly target: ForgetTarget,
    private readonly clients: ForgetClients,
    private readonly dryRun: boolean,
    private readonly retry: RetryPolicy,
    readonly prefixes: string[],
  ) {}

  /** Events first, so nothing new is extracted from them; then records; then the history. */
  async sweep(): Promise<SweepCounts> {
    const events = await this.sweepEvents();
    const memoryRecords = await this.sweepMemoryRecords();
    const history = await this.sweepHistory();
    return { ...NO_COUNTS, ...events, memoryRecords, ...history };
  }

  /** Sends one request with retries; `undefined` (and a reported failure) when it still fails. */
  private async call<T>(operation: string, target: string, send: () => Promise<T>): Promise<T | undefined> {
    try {
      return await withRetries(send, this.retry, () => this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1));
    } catch (error) {
      if (operation === 'DeleteEvent' && (error as Error).name === 'ResourceNotFoundException') {
        return undefined; // Already gone: forgetting again is not a failure.
      }
      this.failures.push({ operation, target, error: describeFailure(error) });
      return undefined;
    }
  }

  private async sweepEvents(): Promise<Pick<SweepCounts, 'agentCoreSessions' | 'events'>> {
    const { memoryId } = this.target;
    const { agentCore } = this.clients;
    const sessionIds: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call('ListSessions', `actor ${this.actorId}`, () =>
        agentCore.send(new ListSessionsCommand({ memoryId, actorId: this.actorId, maxResults: 100, nextToken })),
      );
      if (page === undefined) break;
      for (const session of page.sessionSummaries ?? []) {
        // ListSessions filters by actor; a summary of another actor is never ours to touch.
        if (session.sessionId !== undefined && (session.actorId ?? this.actorId) === this.actorId) {
          sessionIds.push(session.sessionId);
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);

    let events = 0;
    for (const sessionId of sessionIds) {
      // List every page before deleting, so deletions cannot shift the pages still to read.
      const eventIds: string[] = [];
      let eventsToken: string | undefined;
      do {
        const page = await this.call('ListEvents', `session ${sessionId}`, () =>
          agentCore.send(
            new ListEventsCommand({
              memoryId,
              sessionId,
              actorId: this.actorId,
              includePayloads: false,
              maxResults: 100,
              nextToken: eventsToken,
            }),
          ),
        );
        if (page === undefined) break;
        for (const event of page.events ?? []) if (event.eventId !== undefined) eventIds.push(event.eventId);
        eventsToken = page.nextToken;
      } while (eventsToken);
      events += eventIds.length;
      if (this.dryRun) continue;
      await forEachConcurrently(eventIds, DELETE_CONCURRENCY, (eventId) =>
        this.call('DeleteEvent', `event ${eventId} of session ${sessionId}`, () =>
          agentCore.send(new DeleteEventCommand({ memoryId, sessionId, eventId, actorId: this.actorId })),
        ),
      );
    }
    return { agentCoreSessions: sessionIds.length, events };
  }

  private async sweepMemoryRecords(): Promise<number> {
    const { memoryId } = this.target;
    const { agentCore } = this.clients;
    const records = new Map<string, string>();
    for (const prefix of this.prefixes) {
      let nextToken: string | undefined;
      do {
        const page = await this.call('ListMemoryRecords', `namespace ${prefix}`, () =>
          agentCore.send(new ListMemoryRecordsCommand({ memoryId, namespace: prefix, maxResults: 100, nextToken })),
        );
        if (page === undefined) break;
        for (const record of page.memoryRecordSummaries ?? []) {
          // A record not the actor's alone is never deleted, whatever the service returned.
          const namespace = namespaceToForget(record.namespaces, this.target.namespaceTemplates, this.actorId);
          if (record.memoryRecordId === undefined || namespace === undefined) continue;
          records.set(record.memoryRecordId, namespace);
          this.namespacesTouched.add(namespace);
        }
        nextToken = page.nextToken;
      } while (nextToken);
    }
    if (!this.dryRun) await this.deleteMemoryRecords([...records.entries()]);
    return records.size;
  }

  /** BatchDeleteMemoryRecords in batches of at most 100; records it reports failed are retried, then reported. */
  private async deleteMemoryRecords(records: [string, string][]): Promise<void> {
    const { memoryId } = this.target;
    for (let start = 0; start < records.length; start += BATCH_DELETE_MEMORY_RECORDS_MAX) {
      let pending = records.slice(start, start + BATCH_DELETE_MEMORY_RECORDS_MAX);
      for (let attempt = 1; pending.length > 0; attempt++) {
        const batch = pending;
        const output = await this.call('BatchDeleteMemoryRecords', `${batch.length} records`, () =>
          this.clients.agentCore.send(
            new BatchDeleteMemoryRecordsCommand({
              memoryId,
              records: batch.map(([memoryRecordId, namespace]) => ({ memoryRecordId, namespace })),
            }),
          ),
        );
        if (output === undefined) break;
        // A record that is already gone (404) needs nothing more.
        const failed = (output.failedRecords ?? []).filter((record) => record.errorCode !== 404);
        const failedIds = new Set(failed.map((record) => record.memoryRecordId));
        pending = batch.filter(([memoryRecordId]) => failedIds.has(memoryRecordId));
        if (pending.length > 0 && attempt >= this.retry.attempts) {
          for (const record of failed) {
            this.failures.push({
              operation: 'BatchDeleteMemoryRecords',
              target: `record ${record.memoryRecordId}`,
              error: `${record.errorCode ?? ''} ${record.errorMessage ?? record.status ?? 'not deleted'}`.trim(),
            });
          }
          break;
        }
        if (pending.length > 0) await this.retry.sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async sweepHistory(): Promise<Pick<SweepCounts, 'historySessions' | 'historyItems'>> {
    const { sessionTableName: TableName } = this.target;
    const { partitionKey, sortKey, ownerAttribute, ownerIndexName } = SessionTableKeys;
    const { dynamo } = this.clients;

    // The owner index holds one entry per session, its owner item: a Query, never a scan.
    const sessionIds = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call('Query', `index ${ownerIndexName}`, () =>
        dynamo.send(
          new QueryCommand({
            TableName,
            IndexName: ownerIndexName,
            KeyConditionExpression: '#owner = :userId',
            ExpressionAttributeNames: { '#owner': ownerAttribute },
            ExpressionAttributeValues: { ':userId': this.userId },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      if (page === undefined) break;
      for (const item of page.Items ?? []) sessionIds.add(String(item[partitionKey]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);

    let historySessions = 0;
    let historyItems = 0;
    for (const sessionId of sessionIds) {
      const keys: HistoryKey[] = [];
      let owner: unknown;
      let itemsKey: Record<string, unknown> | undefined;
      let readAll = true;
      do {
        const page = await this.call('Query', `session ${sessionId}`, () =>
          dynamo.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: '#pk = :sessionId',
              ProjectionExpression: '#pk, #sk, #owner',
              ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey, '#owner': ownerAttribute },
              ExpressionAttributeValues: { ':sessionId': sessionId },
              ConsistentRead: true,
              ExclusiveStartKey: itemsKey,
            }),
          ),
        );
        if (page === undefined) {
          readAll = false;
          break;
        }
        for (const item of page.Items ?? []) {
          keys.push({ [partitionKey]: String(item[partitionKey]), [sortKey]: String(item[sortKey]) });
          if (item[sortKey] === OWNER_ITEM_SORT_KEY) owner = item[ownerAttribute];
        }
        itemsKey = page.LastEvaluatedKey;
      } while (itemsKey);
      // The index is eventually consistent: the owner item read just now decides whose session it is.
      if (!readAll || owner !== this.userId) continue;
      historySessions += 1;
      historyItems += keys.length;
      if (!this.dryRun) await this.deleteHistoryItems(sessionId, keys);
    }
    return { historySessions, historyItems };
  }

  /** BatchWriteItem deletes in batches of 25; unprocessed items are sent again, then reported. */
  private async deleteHistoryItems(sessionId: string, keys: HistoryKey[]): Promise<void> {
    const table = this.target.sessionTableName;
    // Turn items first, the owner item last: an interrupted run still finds the session by its owner.
    const ordered = [...keys].sort(
      (a, b) =>
        Number(a[SessionTableKeys.sortKey] === OWNER_ITEM_SORT_KEY) -
        Number(b[SessionTableKeys.sortKey] === OWNER_ITEM_SORT_KEY),
    );
    for (let start = 0; start < ordered.length; start += BATCH_WRITE_MAX) {
      let requests = ordered.slice(start, start + BATCH_WRITE_MAX).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        const batch = requests;
        const output = await this.call('BatchWriteItem', `session ${sessionId}`, () =>
          this.clients.dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: batch } })),
        );
        if (output === undefined) break;
        requests = (output.UnprocessedItems?.[table] ?? []).flatMap((request) =>
          request.DeleteRequest?.Key ? [{ DeleteRequest: { Key: request.DeleteRequest.Key as HistoryKey } }] : [],
        );
        if (requests.length > 0 && attempt >= this.retry.attempts) {
          this.failures.push({
            operation: 'BatchWriteItem',
            target: `session ${sessionId}`,
            error: `${requests.length} items left unprocessed after ${attempt} attempts`,
          });
          break;
        }
        if (requests.length > 0) await this.retry.sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }
}

async function forEachConcurrently<T>(items: readonly T[], limit: number, run: (item: T) => Promise<unknown>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++]);
  });
  await Promise.all(workers);
}
