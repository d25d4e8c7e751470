import type { Message } from '@aws-sdk/client-bedrock-runtime';
import type { TurnDeadlines } from '../../platform/deadlines.js';
import { logError } from '../../platform/logging.js';
import type { ConverseDependencies } from '../dependencies.js';
import { isTransientError, type TurnFailure } from '../failures.js';
import type { ConverseRequest } from '../http/request.js';
import type { SseWriter } from '../http/sse.js';
import type { AgentLoopResult } from '../loop/agent-loop.js';
import { keptOfTurn } from '../loop/guardrail.js';
import { persistTurnToMemory } from '../memory/persistence.js';
import { MetricName, countMetric, logger, tokenUsageMetrics } from '../observability.js';
import {
  SessionBoundToAnotherAgentError,
  SessionOwnedByAnotherUserError,
  sessionOfAnotherAgentMessage,
} from '../sessions/store.js';
import { writeUntilFinished } from '../finishing-writes.js';
import type { TurnMemory } from './load.js';

export interface CompleteInput {
  readonly request: ConverseRequest;
  readonly sessionId: string;
  readonly receivedAt: Date;
  readonly requestId: string;
  readonly outcome: AgentLoopResult;
  /** The turn's messages after the user's, stored so later turns see its tool exchanges. */
  readonly exchange: readonly Message[];
  /** Where the turn's history window started. */
  readonly historyStart: string | undefined;
  readonly memory: TurnMemory | undefined;
  readonly dependencies: ConverseDependencies;
  readonly deadlines: TurnDeadlines;
  readonly sse: SseWriter;
}

/**
 * Saves the turn, then ends the stream with `done` (or `error`), then writes the turn to
 * AgentCore, and only then ends the response: Lambda freezes a function once its response
 * ends, so no write is left half-done. Every turn is saved, even with an empty answer,
 * except one that failed (other than by running out of time) before any text: a retry then
 * starts from the same history. A turn that failed after some text is saved marked
 * incomplete, and AgentCore gets only its user message. Each write is retried while it
 * fails in a way that may pass, until the turn's finish deadline (see `finishing-writes.ts`).
 */
export async function completeTurn(input: CompleteInput): Promise<void> {
  const { request, outcome, memory, dependencies, deadlines, sse } = input;
  const failedBeforeAnyText =
    outcome.failure !== undefined && outcome.failure.type !== 'Timeout' && outcome.answer.length === 0;
  const shouldSave = !failedBeforeAnyText;
  // Any failure leaves the answer cut off: it is saved marked so, never as a finished answer.
  const incomplete = outcome.failure !== undefined;
  const kept = keptOfTurn(outcome.stopReason, request.message, input.exchange);
  let historyFailure: TurnFailure | undefined;
  if (shouldSave) {
    try {
      const turn = {
        sessionId: input.sessionId,
        userId: request.userId,
        agentId: request.agentId,
        requestId: input.requestId,
        receivedAt: input.receivedAt,
        userMessage: kept.userMessage,
        assistantMessage: outcome.answer,
        exchange: kept.exchange,
        windowStart: input.historyStart,
        stopReason: outcome.stopReason,
        incomplete,
      };
      await writeUntilFinished(deadlines, 'session history write', (options) =>
        dependencies.sessions.saveTurn(turn, options),
      );
    } catch (error) {
      countMetric(MetricName.historyWriteErrors);
      logError(logger, 'turn not saved to session history', error);
      historyFailure = saveFailure(error, input);
    }
  }

  const failure = outcome.failure ?? historyFailure;
  if (failure) {
    countMetric(MetricName.turnErrors);
    sse.send({ event: 'error', data: failure });
  } else {
    sse.send({ event: 'done', data: { stopReason: outcome.stopReason, usage: outcome.usage } });
  }
  countMetric(MetricName.turns);
  // A turn the model never answered has no tokens to count.
  if (outcome.usage.totalTokens > 0) tokenUsageMetrics(outcome.usage);

  const sessionTakenByAnother = historyFailure?.type === 'Forbidden' || historyFailure?.type === 'Conflict';
  if (shouldSave && !sessionTakenByAnother && kept.toMemory && memory?.scope.settings.persistConversation) {
    await persistTurnToMemory(
      memory.scope,
      dependencies.createSessionManager,
      { userMessage: request.message, answer: outcome.answer, answerComplete: !incomplete },
      deadlines,
      logger,
    );
  }
  await sse.end(deadlines.responseEndBy());
}

/** What the caller is told when the turn could not be saved. */
function saveFailure(error: unknown, input: CompleteInput): TurnFailure {
  if (error instanceof SessionOwnedByAnotherUserError) {
    return {
      type: 'Forbidden',
      message: `session '${input.sessionId}' belongs to another user; this turn was not saved`,
      retryable: false,
    };
  }
  if (error instanceof SessionBoundToAnotherAgentError) {
    return {
      type: 'Conflict',
      message: `${sessionOfAnotherAgentMessage(input.sessionId, input.request.agentId)}; this turn was not saved`,
      retryable: false,
    };
  }
  return {
    type: 'HistoryNotSaved',
    message: 'The answer could not be saved to the session history.',
    retryable: isTransientError(error),
  };
}
