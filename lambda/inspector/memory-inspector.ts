/**
 * Opens one user's memory for an operator: resolves the user's actor and namespaces once
 * (reading the memory's strategies with GetMemory unless given), then lists, searches and
 * changes only what lies there.
 */
import { LIST_PAGE_SIZE_MAX } from '../contract/index.js';
import { InspectorInputError } from '../platform/errors.js';
import { addRecord, correctRecord, deleteRecords, type RecordWriter } from './changes.js';
import { listRecords, loadRecord, searchRecordText, searchRecordsSemantically } from './records.js';
import { listEvents, listHistory, listSessions, type SessionReader } from './sessions.js';
import type { MemoryInspector, MemoryInspectorOptions } from './types.js';
import { readStrategies, userScope } from './user-scope.js';

/** Opens the user's memory: no call but GetMemory (when `strategies` are not given) is made. */
export async function openMemoryInspector(options: MemoryInspectorOptions): Promise<MemoryInspector> {
  const pageSize = options.pageSize ?? LIST_PAGE_SIZE_MAX;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > LIST_PAGE_SIZE_MAX) {
    throw new InspectorInputError(`pageSize must be a whole number from 1 to ${LIST_PAGE_SIZE_MAX} (got ${pageSize})`);
  }
  if (options.operator.trim() === '') throw new InspectorInputError('operator must name who is inspecting');
  let strategies = options.strategies;
  if (strategies === undefined) {
    if (options.control === undefined) {
      throw new InspectorInputError("give the memory's strategies, or a control-plane client to read them with");
    }
    strategies = await readStrategies(options.control, options.memoryId);
  }
  const scope = userScope(options.memoryId, options.userId, strategies);
  const writer: RecordWriter & SessionReader = {
    scope,
    agentCore: options.agentCore,
    pageSize,
    operator: options.operator,
    now: options.now ?? (() => new Date()),
    ...(options.auditLog !== undefined && { auditLog: options.auditLog }),
    ...(options.sessionTable !== undefined && { sessionTable: options.sessionTable }),
  };
  return {
    memoryId: scope.memoryId,
    userId: scope.userId,
    actorId: scope.actorId,
    strategies: scope.strategies,
    namespaces: scope.roots,
    records: (filter) => listRecords(writer, filter),
    record: (memoryRecordId) => loadRecord(writer, memoryRecordId),
    searchText: (query, searchOptions) => searchRecordText(writer, query, searchOptions),
    searchSemantic: (query, searchOptions) => searchRecordsSemantically(writer, query, searchOptions),
    sessions: () => listSessions(writer),
    events: (sessionId) => listEvents(writer, sessionId),
    history: () => listHistory(writer),
    deleteRecord: async (memoryRecordId) => (await deleteRecords(writer, [memoryRecordId]))[0],
    deleteRecords: (memoryRecordIds) => deleteRecords(writer, memoryRecordIds),
    correctRecord: (memoryRecordId, text) => correctRecord(writer, memoryRecordId, text),
    addRecord: (input) => addRecord(writer, input),
  };
}
