import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricName, countMetric, describeError } from '../observability.js';
import type { MemoryScope, SessionManagerFactory } from './tool.js';

/** Messages of one turn fit one CreateEvent: the manager sends them in a single flush. */
const TURN_BATCH_SIZE = 100;

/**
 * Writes a finished turn to AgentCore short-term memory, where the strategies extract
 * from it: the user's words as typed (never the nudge, never retrieved memories) and the
 * answer, as one CreateEvent whose clientToken the session manager derives from the event.
 * Never throws: a failure is logged and counted, and the turn's answer stands.
 */
export async function persistTurnToMemory(
  scope: MemoryScope,
  createSessionManager: SessionManagerFactory,
  userMessage: string,
  answer: string,
  logger: Logger,
): Promise<void> {
  try {
    const manager = createSessionManager({
      memoryId: scope.settings.memoryId,
      sessionId: scope.sessionId,
      actorId: scope.actorId,
      batchSize: TURN_BATCH_SIZE,
      // Incognito: the event stays in short-term memory, and no strategy extracts from it.
      ...(scope.incognito && { extractionMode: 'SKIP' as const }),
    });
    await manager.appendMessage({ role: 'user', content: [{ text: userMessage }] });
    if (answer.trim().length > 0) await manager.appendMessage({ role: 'assistant', content: [{ text: answer }] });
    await manager.flush();
  } catch (error) {
    logger.error('turn not persisted to AgentCore memory', { error: describeError(error) });
    countMetric(MetricName.memoryErrors);
  }
}
