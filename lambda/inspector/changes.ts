/**
 * Changes to the user's records: delete, correct, add. Each first establishes that what it
 * changes is the user's alone (the record loaded with GetMemoryRecord, or the namespace to
 * add to), and sends nothing that writes otherwise; AgentCore's limits are checked before
 * sending; every change, made or refused, is appended to the audit log.
 */
import {
  BatchCreateMemoryRecordsCommand,
  BatchDeleteMemoryRecordsCommand,
  BatchUpdateMemoryRecordsCommand,
  type MemoryRecordOutput,
} from '@aws-sdk/client-bedrock-agentcore';
import { randomUUID } from 'node:crypto';
import {
  BATCH_DELETE_MEMORY_RECORDS_MAX,
  MEMORY_RECORD_TEXT_MAX_LENGTH,
  RESOLVED_NAMESPACE_MAX_LENGTH,
  codePointLength,
  namespaceBelongsToActor,
  namespaceSegments,
  strategyActorRoot,
} from '../contract/index.js';
import { InspectorInputError, InspectorWriteError } from '../platform/errors.js';
import { type Outcome, loaded, refused } from '../platform/outcome.js';
import { type RecordReader, loadRecord } from './records.js';
import type {
  AddRecordInput,
  AuditAction,
  AuditEntry,
  AuditLog,
  ChangeOutcome,
  ChangeRefusal,
  InspectedRecord,
  RecordChange,
} from './types.js';
import { isUsersNamespace } from './user-scope.js';

export interface RecordWriter extends RecordReader {
  readonly operator: string;
  readonly auditLog?: AuditLog;
  readonly now: () => Date;
}

/** An audit entry for this user: who, when, what. */
function entryFor(writer: RecordWriter, action: AuditAction, fields: Partial<AuditEntry>): AuditEntry {
  const { scope } = writer;
  return {
    at: writer.now().toISOString(),
    operator: writer.operator,
    action,
    result: 'done',
    memoryId: scope.memoryId,
    userId: scope.userId,
    actorId: scope.actorId,
    ...fields,
  };
}

async function refuse(
  writer: RecordWriter,
  action: AuditAction,
  reason: ChangeRefusal,
  fields: Partial<AuditEntry>,
): Promise<ChangeOutcome> {
  await writer.auditLog?.append(entryFor(writer, action, { ...fields, result: 'refused', reason }));
  return refused(reason);
}

async function done(writer: RecordWriter, change: RecordChange): Promise<ChangeOutcome> {
  await writer.auditLog!.append(entryFor(writer, change.action, { ...change }));
  return loaded(change);
}

/** The one failure AgentCore reported for a record, as an error naming it. */
function failureOf(operation: string, memoryRecordId: string, output: { failedRecords?: MemoryRecordOutput[] }) {
  const failed = output.failedRecords?.find((record) => record.memoryRecordId === memoryRecordId);
  if (failed === undefined) return undefined;
  return new InspectorWriteError(
    `${operation} did not change record ${memoryRecordId}: ${failed.errorCode ?? ''} ${failed.errorMessage ?? failed.status ?? 'failed'}`.trim(),
  );
}

function checkText(text: string): void {
  const length = codePointLength(text);
  if (text.trim() === '') throw new InspectorInputError("a record's text must not be empty");
  if (length > MEMORY_RECORD_TEXT_MAX_LENGTH) {
    throw new InspectorInputError(
      `the text is ${length} characters; a memory record holds at most ${MEMORY_RECORD_TEXT_MAX_LENGTH}`,
    );
  }
}

/**
 * The record, when it exists and is the user's alone; otherwise the outcome to return
 * (refusals audited). Nothing is sent that writes before this resolves a record.
 */
async function ownRecord(
  writer: RecordWriter,
  action: AuditAction,
  memoryRecordId: string,
): Promise<{ record: InspectedRecord } | { outcome: ChangeOutcome }> {
  if (writer.auditLog === undefined) return { outcome: refused('noAuditLog') };
  const found: Outcome<InspectedRecord, 'notTheUsersRecord'> = await loadRecord(writer, memoryRecordId);
  if (found.status === 'notFound') return { outcome: found };
  if (found.status === 'refused') return { outcome: await refuse(writer, action, found.reason, { memoryRecordId }) };
  return { record: found.value };
}

/**
 * Deletes the user's records by id, at most 100: each is loaded and checked first, and only
 * the user's own are sent, in one BatchDeleteMemoryRecords, each with its own namespace.
 */
export async function deleteRecords(
  writer: RecordWriter,
  memoryRecordIds: readonly string[],
): Promise<ChangeOutcome[]> {
  if (memoryRecordIds.length > BATCH_DELETE_MEMORY_RECORDS_MAX) {
    throw new InspectorInputError(
      `${memoryRecordIds.length} records to delete; AgentCore deletes at most ${BATCH_DELETE_MEMORY_RECORDS_MAX} in one call`,
    );
  }
  const outcomes: ChangeOutcome[] = [];
  const toDelete = new Map<number, InspectedRecord>();
  for (const [index, memoryRecordId] of memoryRecordIds.entries()) {
    const owned = await ownRecord(writer, 'delete', memoryRecordId);
    if ('outcome' in owned) outcomes[index] = owned.outcome;
    else toDelete.set(index, owned.record);
  }
  if (toDelete.size === 0) return outcomes;
  const output = await writer.agentCore.send(
    new BatchDeleteMemoryRecordsCommand({
      memoryId: writer.scope.memoryId,
      records: [...toDelete.values()].map(({ memoryRecordId, namespace }) => ({ memoryRecordId, namespace })),
    }),
  );
  const failures: InspectorWriteError[] = [];
  for (const [index, record] of toDelete) {
    const failure = failureOf('BatchDeleteMemoryRecords', record.memoryRecordId, output);
    if (failure !== undefined) {
      failures.push(failure);
      continue;
    }
    outcomes[index] = await done(writer, {
      action: 'delete',
      memoryRecordId: record.memoryRecordId,
      namespace: record.namespace,
      before: record.text,
    });
  }
  // The records that were deleted are audited above; the failures are raised after them, together.
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new InspectorWriteError(failures.map((failure) => failure.message).join('; '), { cause: failures });
  }
  return outcomes;
}

/** Replaces the text of one of the user's records (BatchUpdateMemoryRecords), keeping its namespaces and strategy. */
export async function correctRecord(
  writer: RecordWriter,
  memoryRecordId: string,
  text: string,
): Promise<ChangeOutcome> {
  checkText(text);
  const owned = await ownRecord(writer, 'correct', memoryRecordId);
  if ('outcome' in owned) return owned.outcome;
  const { record } = owned;
  const output = await writer.agentCore.send(
    new BatchUpdateMemoryRecordsCommand({
      memoryId: writer.scope.memoryId,
      records: [{ memoryRecordId, timestamp: writer.now(), content: { text } }],
    }),
  );
  const failure = failureOf('BatchUpdateMemoryRecords', memoryRecordId, output);
  if (failure !== undefined) throw failure;
  return done(writer, {
    action: 'correct',
    memoryRecordId,
    namespace: record.namespace,
    before: record.text,
    after: text,
  });
}

/** The strategy that files records in `namespace` for this user, when exactly one does. */
function strategyFor(writer: RecordWriter, namespace: string): string | undefined {
  const { strategies, actorId } = writer.scope;
  const matching = strategies.filter(({ strategyId, namespaceTemplates }) =>
    namespaceBelongsToActor(
      namespace,
      namespaceTemplates.flatMap((template) => strategyActorRoot(template, strategyId, actorId) ?? []),
    ),
  );
  return matching.length === 1 ? matching[0].strategyId : undefined;
}

/** Adds a record to one of the user's own namespaces (BatchCreateMemoryRecords). */
export async function addRecord(writer: RecordWriter, input: AddRecordInput): Promise<ChangeOutcome> {
  checkText(input.text);
  const { namespace } = input;
  if (codePointLength(namespace) > RESOLVED_NAMESPACE_MAX_LENGTH || namespaceSegments(namespace) === undefined) {
    throw new InspectorInputError(
      `'${namespace.slice(0, 80)}' is not a namespace AgentCore accepts (it starts with '/', has no empty segment and at most ${RESOLVED_NAMESPACE_MAX_LENGTH} characters)`,
    );
  }
  if (writer.auditLog === undefined) return refused('noAuditLog');
  if (!isUsersNamespace(writer.scope, namespace)) {
    return refuse(writer, 'add', 'notTheUsersNamespace', { namespace, after: input.text });
  }
  const requestIdentifier = randomUUID();
  const strategyId = input.strategyId ?? strategyFor(writer, namespace);
  const output = await writer.agentCore.send(
    new BatchCreateMemoryRecordsCommand({
      memoryId: writer.scope.memoryId,
      clientToken: requestIdentifier,
      records: [
        {
          requestIdentifier,
          namespaces: [namespace],
          content: { text: input.text },
          timestamp: writer.now(),
          ...(strategyId !== undefined && { memoryStrategyId: strategyId }),
        },
      ],
    }),
  );
  const created = output.successfulRecords?.find((record) => record.requestIdentifier === requestIdentifier);
  if (created?.memoryRecordId === undefined) {
    const failed = output.failedRecords?.[0];
    throw new InspectorWriteError(
      `BatchCreateMemoryRecords did not create the record: ${failed?.errorCode ?? ''} ${failed?.errorMessage ?? 'no record id returned'}`.trim(),
    );
  }
  return done(writer, { action: 'add', memoryRecordId: created.memoryRecordId, namespace, after: input.text });
}
