/**
 * The stand-in's long-term memory: ListMemoryRecords, GetMemoryRecord, RetrieveMemoryRecords
 * and the three batch writes, with the service's limits (at most 100 records a batch, a
 * record's text 1-16,000 characters) answered per record in `failedRecords`.
 */
import {
  BatchCreateMemoryRecordsCommand,
  type BatchCreateMemoryRecordsCommandInput,
  BatchDeleteMemoryRecordsCommand,
  type BatchDeleteMemoryRecordsCommandInput,
  BatchUpdateMemoryRecordsCommand,
  type BatchUpdateMemoryRecordsCommandInput,
  type BedrockAgentCoreClient,
  GetMemoryRecordCommand,
  type GetMemoryRecordCommandInput,
  ListMemoryRecordsCommand,
  type ListMemoryRecordsCommandInput,
  RetrieveMemoryRecordsCommand,
  type RetrieveMemoryRecordsCommandInput,
} from '@aws-sdk/client-bedrock-agentcore';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { StandInState, StoredRecord } from './agentcore-stand-in.js';
import { serviceError } from './stand-in-errors.js';

const BATCH_MAX = 100;
const TEXT_MAX = 16_000;

const namespacesOf = (record: StoredRecord) => record.namespaces ?? [record.namespace];

function summaryOf(record: StoredRecord, score?: number) {
  return {
    memoryRecordId: record.memoryRecordId,
    namespaces: namespacesOf(record),
    content: { text: record.text ?? 'a memory' },
    memoryStrategyId: record.strategyId ?? 'strategy-1',
    createdAt: record.createdAt ?? new Date(0),
    ...(score !== undefined && { score }),
  };
}

/** `namespacePath` as a string prefix of any of the record's namespaces, `namespace` exactly; one of the two. */
function inScope(input: { namespace?: string; namespacePath?: string }): (record: StoredRecord) => boolean {
  const { namespace, namespacePath } = input;
  if ((namespace === undefined) === (namespacePath === undefined)) throw serviceError('ValidationException');
  if (/[{}]/.test(namespace ?? namespacePath ?? '')) throw serviceError('ValidationException');
  return (record) =>
    namespacesOf(record).some((candidate) =>
      namespacePath !== undefined ? candidate.startsWith(namespacePath) : candidate === namespace,
    );
}

/** The share of the query's words the text holds: enough to rank a search. */
function relevance(query: string, text: string): number {
  const words = query.toLowerCase().split(/\W+/).filter(Boolean);
  const haystack = text.toLowerCase();
  return words.length === 0 ? 0 : words.filter((word) => haystack.includes(word)).length / words.length;
}

const failed = (memoryRecordId: string | undefined, errorCode: number, errorMessage: string) => ({
  memoryRecordId,
  status: 'FAILED' as const,
  errorCode,
  errorMessage,
});

export function installRecordCommands(mock: AwsClientStub<BedrockAgentCoreClient>, state: StandInState): void {
  const { records } = state;
  const find = (memoryRecordId: string | undefined) =>
    records.findIndex((record) => record.memoryRecordId === memoryRecordId);

  mock.on(ListMemoryRecordsCommand).callsFake((input: ListMemoryRecordsCommandInput) => {
    state.receive('ListMemoryRecords', input);
    const matching = records.filter(inScope(input));
    const ofStrategy = matching.filter(
      (record) => input.memoryStrategyId === undefined || summaryOf(record).memoryStrategyId === input.memoryStrategyId,
    );
    const { items, nextToken } = state.page(ofStrategy, input.nextToken, input.maxResults);
    return { memoryRecordSummaries: items.map((record) => summaryOf(record)), nextToken };
  });
  mock.on(GetMemoryRecordCommand).callsFake((input: GetMemoryRecordCommandInput) => {
    state.receive('GetMemoryRecord', input);
    const index = find(input.memoryRecordId);
    if (index === -1) throw serviceError('ResourceNotFoundException');
    return { memoryRecord: summaryOf(records[index]) };
  });
  mock.on(RetrieveMemoryRecordsCommand).callsFake((input: RetrieveMemoryRecordsCommandInput) => {
    state.receive('RetrieveMemoryRecords', input);
    const query = input.searchCriteria?.searchQuery ?? '';
    const topK = input.searchCriteria?.topK ?? 10;
    if (query.length === 0 || query.length > 10_000 || topK < 1 || topK > 100) {
      throw serviceError('ValidationException');
    }
    const ranked = records
      .filter(inScope(input))
      .map((record) => ({ record, score: relevance(query, record.text ?? 'a memory') }))
      .filter(({ score }) => score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, topK);
    const { items, nextToken } = state.page(ranked, input.nextToken, input.maxResults);
    return { memoryRecordSummaries: items.map(({ record, score }) => summaryOf(record, score)), nextToken };
  });
  mock.on(BatchCreateMemoryRecordsCommand).callsFake((input: BatchCreateMemoryRecordsCommandInput) => {
    state.receive('BatchCreateMemoryRecords', input);
    if ((input.records ?? []).length > BATCH_MAX) throw serviceError('ValidationException');
    const successfulRecords = [];
    const failedRecords = [];
    for (const { requestIdentifier, namespaces = [], content, memoryStrategyId, timestamp } of input.records ?? []) {
      const text = content?.text ?? '';
      if (text.length === 0 || text.length > TEXT_MAX || namespaces.length === 0) {
        failedRecords.push({ ...failed(undefined, 400, 'invalid record'), requestIdentifier });
        continue;
      }
      const memoryRecordId = state.nextId('record');
      records.push({
        memoryRecordId,
        namespace: namespaces[0],
        namespaces: [...namespaces],
        text,
        ...(memoryStrategyId !== undefined && { strategyId: memoryStrategyId }),
        ...(timestamp !== undefined && { createdAt: timestamp }),
      });
      successfulRecords.push({ memoryRecordId, requestIdentifier, status: 'SUCCEEDED' as const });
    }
    return { successfulRecords, failedRecords };
  });
  mock.on(BatchUpdateMemoryRecordsCommand).callsFake((input: BatchUpdateMemoryRecordsCommandInput) => {
    state.receive('BatchUpdateMemoryRecords', input);
    if ((input.records ?? []).length > BATCH_MAX) throw serviceError('ValidationException');
    const successfulRecords = [];
    const failedRecords = [];
    for (const { memoryRecordId, content, namespaces } of input.records ?? []) {
      const index = find(memoryRecordId);
      const text = content?.text;
      if (index === -1) failedRecords.push(failed(memoryRecordId, 404, 'not found'));
      else if (text !== undefined && (text.length === 0 || text.length > TEXT_MAX)) {
        failedRecords.push(failed(memoryRecordId, 400, 'invalid text'));
      } else {
        if (text !== undefined) records[index].text = text;
        if (namespaces !== undefined) records[index].namespaces = [...namespaces];
        successfulRecords.push({ memoryRecordId, status: 'SUCCEEDED' as const });
      }
    }
    return { successfulRecords, failedRecords };
  });
  mock.on(BatchDeleteMemoryRecordsCommand).callsFake((input: BatchDeleteMemoryRecordsCommandInput) => {
    state.receive('BatchDeleteMemoryRecords', input);
    const requested = input.records ?? [];
    if (requested.length > BATCH_MAX) throw serviceError('ValidationException');
    state.batchSizes.push(requested.length);
    const successfulRecords = [];
    const failedRecords = [];
    for (const { memoryRecordId, namespace } of requested) {
      const index = find(memoryRecordId);
      const wrongNamespace =
        index !== -1 && namespace !== undefined && !namespacesOf(records[index]).includes(namespace);
      if (state.itemFails(memoryRecordId!)) {
        failedRecords.push(failed(memoryRecordId, 500, 'internal'));
      } else if (index === -1 || state.vanished.has(memoryRecordId!) || wrongNamespace) {
        if (index !== -1 && state.vanished.has(memoryRecordId!)) records.splice(index, 1);
        failedRecords.push(failed(memoryRecordId, 404, 'not found'));
      } else {
        records.splice(index, 1);
        state.deleted.records.push(memoryRecordId!);
        successfulRecords.push({ memoryRecordId, status: 'SUCCEEDED' as const });
      }
    }
    return { successfulRecords, failedRecords };
  });
}
