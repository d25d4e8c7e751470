/**
 * The memory tool's `forget`: when the user explicitly asks to forget something, the model
 * names records by the ids a `retrieve` showed it in this session. Only those are deleted,
 * and only when AgentCore files them under the user's own namespaces; every other id is
 * refused without a call, and the tool result says which were removed and why the others
 * were not. A turn deletes at most `forgets_per_turn` records, in one AgentCore delete.
 */
import {
  BatchDeleteMemoryRecordsCommand,
  type BedrockAgentCoreClient,
  GetMemoryRecordCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod/mini';
import { BATCH_DELETE_MEMORY_RECORDS_MAX, actorNamespaceRoots, recordBelongsToActor } from '../../contract/index.js';
import type { TurnDeadlines } from '../../platform/deadlines.js';
import { logError } from '../../platform/logging.js';
import { MetricName, countMetric } from '../observability.js';
import { type ToolOutcome, textOutcome } from '../tools/tool.js';
import type { SessionRetrievals } from './session-retrievals.js';

export const forgetInputSchema = z.object({
  action: z.literal('forget'),
  record_ids: z
    .array(z.string().check(z.trim(), z.minLength(1)))
    .check(z.minLength(1), z.maxLength(BATCH_DELETE_MEMORY_RECORDS_MAX)),
});
export type ForgetInput = z.infer<typeof forgetInputSchema>;

export const FORGET_DISABLED_TEXT =
  'Not forgotten: this agent removes nothing from long-term memory. Tell the user it was not forgotten.';
export const FORGET_FAILED_TEXT =
  'Memory is unavailable right now; nothing was forgotten. Tell the user it was not forgotten.';

/** Why one id was not deleted, as the model is told. */
const NOT_RETRIEVED = 'not returned by a retrieve in this conversation';
const NOT_FOUND = 'no such memory (already gone)';
const NOT_THE_USERS = "not one of this user's memories";

/** Whose memory is forgotten, and how much a turn may forget. */
export interface ForgetScope {
  readonly memoryId: string;
  readonly actorId: string;
  /** The agent's retrieval templates: a record is the user's when every namespace of it lies under their roots. */
  readonly retrievalTemplates: readonly string[];
  /** Records the turn may delete. */
  readonly forgetsPerTurn: number;
}

export class ForgetAction {
  private forgotten = 0;
  private deleted = false;

  constructor(
    private readonly scope: ForgetScope,
    private readonly retrievals: SessionRetrievals,
    private readonly agentCore: () => BedrockAgentCoreClient,
    private readonly deadlines: TurnDeadlines,
    private readonly logger: Logger,
  ) {}

  async run(recordIds: readonly string[]): Promise<ToolOutcome> {
    if (this.scope.forgetsPerTurn === 0) return textOutcome(FORGET_DISABLED_TEXT, 'error');
    const overBound = `over this turn's limit: at most ${this.scope.forgetsPerTurn} memories are forgotten per turn, in one forget`;
    const refusals = new Map<string, string>();
    const candidates: string[] = [];
    for (const id of new Set(recordIds)) {
      if (!this.retrievals.has(id)) refusals.set(id, NOT_RETRIEVED);
      else if (this.deleted || this.forgotten + candidates.length >= this.scope.forgetsPerTurn) {
        refusals.set(id, overBound);
      } else candidates.push(id);
    }
    let removed: string[] = [];
    if (candidates.length > 0) {
      // Taken before the first wait: forget calls of one reply run at the same time, and
      // each would otherwise pass the check above before any of them had deleted.
      this.deleted = true;
      try {
        removed = await this.deleteOwn(candidates, refusals);
      } catch (error) {
        logError(this.logger, 'memory forget failed', error);
        countMetric(MetricName.memoryErrors);
        return textOutcome(FORGET_FAILED_TEXT, 'error');
      }
    }
    // Ids only, never a memory's text: enough to trace what the user had removed.
    this.logger.info('memory forget', { removed, refused: Object.fromEntries(refusals) });
    return forgetOutcome(removed, refusals);
  }

  /** Loads each record, deletes those filed only under the user's namespaces in one call; resolves the ids removed. */
  private async deleteOwn(ids: readonly string[], refusals: Map<string, string>): Promise<string[]> {
    const { memoryId, actorId, retrievalTemplates } = this.scope;
    const roots = actorNamespaceRoots(retrievalTemplates, actorId);
    const { memoryWriteMs } = this.deadlines.limits;
    const owned: { memoryRecordId: string; namespace: string }[] = [];
    for (const memoryRecordId of ids) {
      const record = await this.deadlines
        .whileAnswering('memory forget read', memoryWriteMs, (abortSignal) =>
          this.agentCore().send(new GetMemoryRecordCommand({ memoryId, memoryRecordId }), { abortSignal }),
        )
        .then(
          (output) => output.memoryRecord,
          (error: unknown) => {
            if ((error as Error).name === 'ResourceNotFoundException') return undefined;
            throw error;
          },
        );
      if (record === undefined) refusals.set(memoryRecordId, NOT_FOUND);
      else if (!recordBelongsToActor(record.namespaces, roots)) refusals.set(memoryRecordId, NOT_THE_USERS);
      else owned.push({ memoryRecordId, namespace: record.namespaces![0] });
    }
    if (owned.length === 0) return [];
    const output = await this.deadlines.whileAnswering('memory forget', memoryWriteMs, (abortSignal) =>
      this.agentCore().send(new BatchDeleteMemoryRecordsCommand({ memoryId, records: owned }), { abortSignal }),
    );
    const removed = new Set((output.successfulRecords ?? []).flatMap((record) => record.memoryRecordId ?? []));
    for (const failed of output.failedRecords ?? []) {
      if (failed.memoryRecordId === undefined) continue;
      if (failed.errorCode === 404) removed.add(failed.memoryRecordId);
      else refusals.set(failed.memoryRecordId, 'memory could not delete it right now');
    }
    this.forgotten += removed.size;
    return owned.map((record) => record.memoryRecordId).filter((id) => removed.has(id));
  }
}

/** The tool result: what was removed, and why each other id was not. */
function forgetOutcome(removed: readonly string[], refusals: ReadonlyMap<string, string>): ToolOutcome {
  const lines = [
    removed.length === 0 ? 'Nothing was forgotten.' : `Forgotten: ${removed.join(', ')}.`,
    ...[...refusals].map(([id, reason]) => `Not forgotten: ${id} (${reason}).`),
  ];
  if (removed.length > 0) lines.push('Tell the user what was forgotten.');
  else lines.push('Tell the user it was not forgotten, and why.');
  return textOutcome(lines.join('\n'), removed.length === 0 ? 'error' : 'success');
}
