/**
 * Long-term retrieval over several namespaces. Each namespace is searched in parallel with
 * its own topK and strategy; the service has no score threshold, so `relevanceScore` is
 * applied here. A namespace that fails is reported, never allowed to hide the others. A
 * record is returned only when every namespace it carries lies under the actor's own
 * roots, whatever the service matched.
 */
import { type BedrockAgentCoreClient, RetrieveMemoryRecordsCommand } from '@aws-sdk/client-bedrock-agentcore';
import { recordBelongsToActor } from '../contract/index.js';
import type { ResolvedNamespaceRetrieval } from './config.js';
import type {
  CallOptions,
  ForeignMemoryRecord,
  NamespaceRetrievalFailure,
  RetrievalResult,
  RetrievedMemoryRecord,
} from './types.js';

export async function retrieveFromNamespaces(
  client: BedrockAgentCoreClient,
  memoryId: string,
  namespaces: readonly ResolvedNamespaceRetrieval[],
  actorRoots: readonly string[],
  query: string,
  options: CallOptions = {},
): Promise<RetrievalResult> {
  const outcomes = await Promise.allSettled(
    namespaces.map((namespace) => retrieveFromNamespace(client, memoryId, namespace, query, options)),
  );

  const records: RetrievedMemoryRecord[] = [];
  const foreignRecords: ForeignMemoryRecord[] = [];
  const failures: NamespaceRetrievalFailure[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'rejected') {
      failures.push({ namespace: namespaces[index].namespace, error: asError(outcome.reason) });
      return;
    }
    const separated = separateForeignRecords(outcome.value, actorRoots);
    records.push(...separated.own);
    foreignRecords.push(...separated.foreign);
  });

  // Overlapping prefixes can return one record twice: keep its best-scored copy.
  records.sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  const unique = records.filter((record) => !seen.has(record.memoryRecordId) && seen.add(record.memoryRecordId));
  return { records: unique, failures, foreignRecords };
}

async function retrieveFromNamespace(
  client: BedrockAgentCoreClient,
  memoryId: string,
  { namespace, searchesSubtree, topK, relevanceScore, strategyId, metadataFilters }: ResolvedNamespaceRetrieval,
  query: string,
  { abortSignal }: CallOptions,
): Promise<RetrievedMemoryRecord[]> {
  const output = await client.send(
    new RetrieveMemoryRecordsCommand({
      memoryId,
      // A subtree (the actor's level, holding every session below it) by path; one namespace exactly.
      ...(searchesSubtree ? { namespacePath: namespace } : { namespace }),
      searchCriteria: {
        searchQuery: query,
        topK,
        ...(strategyId !== undefined && { memoryStrategyId: strategyId }),
        ...(metadataFilters !== undefined && { metadataFilters: [...metadataFilters] }),
      },
      maxResults: topK,
    }),
    { abortSignal },
  );
  const records: RetrievedMemoryRecord[] = [];
  for (const summary of output.memoryRecordSummaries ?? []) {
    const text = summary.content?.text;
    const score = summary.score;
    // A record without a score cannot be shown to pass the threshold.
    if (text === undefined || summary.memoryRecordId === undefined || score === undefined || score < relevanceScore) {
      continue;
    }
    records.push({
      namespace,
      namespaces: summary.namespaces ?? [],
      memoryRecordId: summary.memoryRecordId,
      text,
      score,
      ...(summary.createdAt !== undefined && { createdAt: summary.createdAt }),
    });
  }
  return records.slice(0, topK);
}

/** The records whose namespaces all lie under the actor's roots, and the others, described. */
export function separateForeignRecords(
  records: readonly RetrievedMemoryRecord[],
  actorRoots: readonly string[],
): { own: RetrievedMemoryRecord[]; foreign: ForeignMemoryRecord[] } {
  const own: RetrievedMemoryRecord[] = [];
  const foreign: ForeignMemoryRecord[] = [];
  for (const record of records) {
    if (recordBelongsToActor(record.namespaces, actorRoots)) own.push(record);
    else
      foreign.push({
        memoryRecordId: record.memoryRecordId,
        namespaces: record.namespaces ?? [],
        retrievedFrom: record.namespace,
      });
  }
  return { own, foreign };
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason), { cause: reason });
}
