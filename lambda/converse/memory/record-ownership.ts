import type { Logger } from '@aws-lambda-powertools/logger';
import { actorNamespaceRoots } from '../../contract/index.js';
import { separateForeignRecords } from '../../session-manager/retrieval.js';
import type { ForeignMemoryRecord, RetrievedMemoryRecord } from '../../session-manager/types.js';
import { MetricName, countMetric } from '../observability.js';
import type { MemoryScope } from './tool.js';

/** A retrieval's records, and those the session manager already left out as another actor's. */
export interface RetrievedRecords {
  readonly records: readonly RetrievedMemoryRecord[];
  readonly foreignRecords?: readonly ForeignMemoryRecord[];
}

/**
 * The records that may reach the model: only those whose namespaces all lie under the
 * actor's own roots (the agent's retrieval templates resolved for this actor). Checked
 * here whatever the session manager did, since any factory can stand behind it; every
 * record left out, here or there, is logged (ids and namespaces, never its text) and counted.
 */
export function actorsOwnRecords(
  retrieved: RetrievedRecords,
  scope: MemoryScope,
  logger: Logger,
): RetrievedMemoryRecord[] {
  const roots = actorNamespaceRoots(Object.keys(scope.settings.retrievalConfig), scope.actorId);
  const { own, foreign: foundHere } = separateForeignRecords(retrieved.records, roots);
  const foreign = [...(retrieved.foreignRecords ?? []), ...foundHere];
  if (foreign.length > 0) {
    logger.warn("retrieved memory records not under the user's own namespaces were dropped", {
      actorId: scope.actorId,
      records: foreign,
    });
    countMetric(MetricName.foreignMemoryRecords, foreign.length);
  }
  return own;
}
