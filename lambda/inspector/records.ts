/**
 * The user's long-term records: listed root by root with `namespacePath` (each root stands
 * for the subtree of the user's namespaces under it), searched with RetrieveMemoryRecords the
 * same way, and each returned record kept only when every namespace it is filed under is the
 * user's, whatever the service returned.
 */
import {
  type BedrockAgentCoreClient,
  GetMemoryRecordCommand,
  type MemoryRecordSummary,
  paginateListMemoryRecords,
  paginateRetrieveMemoryRecords,
} from '@aws-sdk/client-bedrock-agentcore';
import { SEARCH_QUERY_MAX_LENGTH, SEARCH_TOP_K_MAX, codePointLength } from '../contract/index.js';
import { type Outcome, NOT_FOUND, loaded, refused } from '../platform/outcome.js';
import { InspectorInputError } from '../platform/errors.js';
import type { InspectedRecord, ScoredRecord, SemanticSearchOptions, TextSearchOptions } from './types.js';
import { type UserScope, isUsersRecord } from './user-scope.js';

export interface RecordReader {
  readonly scope: UserScope;
  readonly agentCore: BedrockAgentCoreClient;
  readonly pageSize: number;
}

const DEFAULT_TOP_K = 10;

/** A record as the inspector shows it, or `undefined` when it is not the user's alone. */
export function inspectedRecord(scope: UserScope, record: MemoryRecordSummary): InspectedRecord | undefined {
  const { memoryRecordId, namespaces } = record;
  if (memoryRecordId === undefined || !isUsersRecord(scope, namespaces)) return undefined;
  const strategy = scope.strategies.find((candidate) => candidate.strategyId === record.memoryStrategyId);
  return {
    memoryRecordId,
    text: record.content?.text ?? '',
    ...(record.memoryStrategyId !== undefined && { strategyId: record.memoryStrategyId }),
    ...(strategy?.kind !== undefined && { strategyKind: strategy.kind }),
    namespace: namespaces![0],
    namespaces: [...namespaces!],
    ...(record.createdAt !== undefined && { createdAt: record.createdAt.toISOString() }),
  };
}

/** Every record of the user, each once, page by page. */
export async function* listRecords(
  reader: RecordReader,
  filter: { readonly strategyId?: string } = {},
): AsyncGenerator<InspectedRecord> {
  const { scope, agentCore, pageSize } = reader;
  const seen = new Set<string>();
  for (const root of scope.roots) {
    const pages = paginateListMemoryRecords(
      { client: agentCore, pageSize },
      {
        memoryId: scope.memoryId,
        namespacePath: root,
        ...(filter.strategyId !== undefined && { memoryStrategyId: filter.strategyId }),
      },
    );
    for await (const page of pages) {
      for (const summary of page.memoryRecordSummaries ?? []) {
        const record = inspectedRecord(scope, summary);
        if (record === undefined || seen.has(record.memoryRecordId)) continue;
        if (filter.strategyId !== undefined && record.strategyId !== filter.strategyId) continue;
        seen.add(record.memoryRecordId);
        yield record;
      }
    }
  }
}

/** One record by id; refused when it is not the user's alone, not found when AgentCore has none. */
export async function loadRecord(
  reader: RecordReader,
  memoryRecordId: string,
): Promise<Outcome<InspectedRecord, 'notTheUsersRecord'>> {
  if (memoryRecordId.trim() === '') throw new InspectorInputError('memoryRecordId must not be empty');
  try {
    const { memoryRecord } = await reader.agentCore.send(
      new GetMemoryRecordCommand({ memoryId: reader.scope.memoryId, memoryRecordId }),
    );
    if (memoryRecord === undefined) return NOT_FOUND;
    const record = inspectedRecord(reader.scope, memoryRecord);
    return record === undefined ? refused('notTheUsersRecord') : loaded(record);
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return NOT_FOUND;
    throw error;
  }
}

/** Records whose text holds `query`, ignoring case; reads the listing until `limit` are found. */
export async function searchRecordText(
  reader: RecordReader,
  query: string,
  options: TextSearchOptions = {},
): Promise<InspectedRecord[]> {
  const needle = query.trim().toLocaleLowerCase();
  if (needle === '') throw new InspectorInputError('a text search needs a non-empty query');
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const found: InspectedRecord[] = [];
  for await (const record of listRecords(reader)) {
    if (found.length >= limit) break;
    if (record.text.toLocaleLowerCase().includes(needle)) found.push(record);
  }
  return found;
}

/**
 * RetrieveMemoryRecords over each of the user's roots, the best `topK` of all of them, most
 * relevant first. The query and `topK` are checked against AgentCore's limits before sending.
 */
export async function searchRecordsSemantically(
  reader: RecordReader,
  query: string,
  options: SemanticSearchOptions = {},
): Promise<ScoredRecord[]> {
  const topK = options.topK ?? DEFAULT_TOP_K;
  const length = codePointLength(query);
  if (query.trim() === '') throw new InspectorInputError('a semantic search needs a non-empty query');
  if (length > SEARCH_QUERY_MAX_LENGTH) {
    throw new InspectorInputError(
      `the search query is ${length} characters; AgentCore searches with at most ${SEARCH_QUERY_MAX_LENGTH}`,
    );
  }
  if (!Number.isInteger(topK) || topK < 1 || topK > SEARCH_TOP_K_MAX) {
    throw new InspectorInputError(`topK must be a whole number from 1 to ${SEARCH_TOP_K_MAX} (got ${topK})`);
  }
  const { scope, agentCore } = reader;
  const best = new Map<string, ScoredRecord>();
  for (const root of scope.roots) {
    const pages = paginateRetrieveMemoryRecords(
      { client: agentCore, pageSize: Math.min(reader.pageSize, topK) },
      { memoryId: scope.memoryId, namespacePath: root, searchCriteria: { searchQuery: query, topK } },
    );
    let fromRoot = 0;
    for await (const page of pages) {
      for (const summary of page.memoryRecordSummaries ?? []) {
        fromRoot++;
        const record = inspectedRecord(scope, summary);
        if (record === undefined) continue;
        const score = summary.score ?? 0;
        if ((best.get(record.memoryRecordId)?.score ?? -Infinity) < score) {
          best.set(record.memoryRecordId, { ...record, score });
        }
      }
      // The service ranks within a root: pages past topK hold nothing better.
      if (fromRoot >= topK) break;
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, topK);
}
