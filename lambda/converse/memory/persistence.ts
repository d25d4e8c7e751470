import type { Logger } from '@aws-lambda-powertools/logger';
import type { TurnDeadlines } from '../../platform/deadlines.js';
import { logError } from '../../platform/logging.js';
import { MetricName, countMetric } from '../observability.js';
import { writeUntilFinished } from '../finishing-writes.js';
import { EVENT_SOURCES, turnEventMetadata } from './event-metadata.js';
import type { MemoryScope, SessionManagerFactory } from './tool.js';

/** Messages of one turn fit one CreateEvent: the manager sends them in a single flush. */
const TURN_BATCH_SIZE = 100;

/** What a turn leaves for AgentCore short-term memory. */
export interface TurnForMemory {
  /** The user's words as typed (never the nudge, never retrieved memories). */
  readonly userMessage: string;
  readonly answer: string;
  /**
   * False when the answer was cut off (the model stream broke, the turn timed out or
   * failed): the user's message is still written, the partial answer is not, so the
   * strategies never learn from half an answer as if it were the assistant's reply.
   */
  readonly answerComplete: boolean;
}

/**
 * Writes a turn to AgentCore short-term memory, where the strategies extract from it, as
 * one CreateEvent whose clientToken the session manager derives from the event, with the
 * agent, memory mode and source as its metadata. The write is retried while it may pass,
 * until the turn's finish deadline. Never throws: a failure is logged and counted, and the
 * turn's answer stands.
 */
export async function persistTurnToMemory(
  scope: MemoryScope,
  createSessionManager: SessionManagerFactory,
  turn: TurnForMemory,
  deadlines: TurnDeadlines,
  logger: Logger,
): Promise<void> {
  try {
    const answered = turn.answerComplete && turn.answer.trim().length > 0;
    const manager = createSessionManager({
      memoryId: scope.settings.memoryId,
      sessionId: scope.sessionId,
      actorId: scope.actorId,
      batchSize: TURN_BATCH_SIZE,
      // Incognito: the event stays in short-term memory, and no strategy extracts from it.
      ...(scope.incognito && { extractionMode: 'SKIP' as const }),
      eventMetadata: turnEventMetadata(scope, answered ? EVENT_SOURCES.userAndModel : EVENT_SOURCES.user),
    });
    await manager.appendMessage({ role: 'user', content: [{ text: turn.userMessage }] });
    if (answered) {
      await manager.appendMessage({ role: 'assistant', content: [{ text: turn.answer }] });
    }
    // A failed flush keeps what was not stored and resends it under the same client tokens.
    await writeUntilFinished(deadlines, 'turn persistence', ({ abortSignal }) => manager.flush({ abortSignal }));
  } catch (error) {
    logError(logger, 'turn not persisted to AgentCore memory', error);
    countMetric(MetricName.memoryErrors);
  }
}
