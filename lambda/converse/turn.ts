import type { Context } from 'aws-lambda';
import type { Writable } from 'node:stream';
import { actorIdForUser } from '../contract/index.js';
import { TurnDeadlines } from '../platform/deadlines.js';
import { logError } from '../platform/logging.js';
import { MalformedAgentDefinitionError } from './agents/repository.js';
import { sessionOfAnotherAgentMessage } from './sessions/store.js';
import type { ConverseDependencies } from './dependencies.js';
import { isTransientError } from './failures.js';
import type { ConverseRequest } from './http/request.js';
import { openEventStream, sendErrorResponse, sendServiceUnavailableResponse } from './http/responses.js';
import { MetricName, countMetric, logger } from './observability.js';
import { toolsForAgent } from './tools/agent-tools.js';
import { completeTurn } from './turn/complete.js';
import { loadTurn, type LoadedTurn, type SessionRefusal } from './turn/load.js';
import { buildModelRequest } from './turn/request.js';
import { runTurn } from './turn/run.js';

/**
 * One turn, as a pipeline whose data flows one way: load (agent, session, new-session
 * retrieval) and answer 404/403/409/500 before streaming; build the model request; run the
 * agent loop, streaming its text; complete (save, terminal event, AgentCore) before the
 * response ends.
 */
export async function runConverseTurn(
  request: ConverseRequest,
  responseStream: Writable,
  context: Context,
  dependencies: ConverseDependencies,
): Promise<void> {
  const receivedAt = new Date();
  const deadlines = TurnDeadlines.start(receivedAt.getTime(), context.getRemainingTimeInMillis(), dependencies.limits);
  const sessionId = request.sessionId ?? dependencies.newSessionId();
  const actorId = actorIdForUser(request.userId);
  logger.appendKeys({ agentId: request.agentId, sessionId, actorId });

  let loaded: LoadedTurn;
  try {
    loaded = await loadTurn(request, { sessionId, actorId }, dependencies, deadlines);
  } catch (error) {
    await answerLoadFailure(responseStream, request, error);
    return;
  }
  if (loaded.status === 'notFound') {
    countMetric(MetricName.rejectedRequests);
    await sendErrorResponse(responseStream, 404, 'NotFound', `agent '${request.agentId}' does not exist`);
    return;
  }
  if (loaded.status === 'refused') {
    await answerSessionRefusal(responseStream, request, sessionId, loaded.reason);
    return;
  }

  const { agent, history, memory, newSession, prefetch } = loaded.value;
  const sse = openEventStream(responseStream);
  sse.send({ event: 'session', data: { sessionId, newSession } });

  const tools = toolsForAgent(agent, memory?.tool, dependencies.tools);
  const { result, firstTokenAt, exchange, historyStart } = await runTurn({
    bedrock: dependencies.bedrock,
    buildRequest: async () =>
      buildModelRequest({
        agent,
        memoryActive: memory !== undefined,
        history,
        newSession,
        userMessage: request.message,
        prefetched: await prefetch,
        toolSpecs: tools.map((tool) => tool.spec),
      }),
    tools,
    deadline: deadlines.answerBy,
    sse,
  });
  try {
    await completeTurn({
      request,
      sessionId,
      receivedAt,
      requestId: context.awsRequestId,
      outcome: result,
      exchange,
      historyStart,
      memory,
      dependencies,
      deadlines,
      sse,
    });
  } finally {
    logger.info('turn finished', {
      newSession,
      prefetchedMemory: newSession && memory !== undefined,
      incognito: memory?.scope.incognito,
      stopReason: result.stopReason,
      modelCalls: result.modelCalls,
      usage: result.usage,
      timeToFirstTokenMs: firstTokenAt === undefined ? undefined : firstTokenAt - receivedAt.getTime(),
      durationMs: Date.now() - receivedAt.getTime(),
      clientGone: sse.clientGone,
      clientTooSlow: sse.clientTooSlow,
    });
  }
}

/** A session the turn may not use answers before streaming: 403 for another user's, 409 for another agent's. */
async function answerSessionRefusal(
  responseStream: Writable,
  request: ConverseRequest,
  sessionId: string,
  refusal: SessionRefusal,
): Promise<void> {
  countMetric(MetricName.rejectedRequests);
  if (refusal === 'forbidden') {
    logger.warn('session belongs to another user', { statusCode: 403 });
    await sendErrorResponse(responseStream, 403, 'Forbidden', `session '${sessionId}' belongs to another user`);
  } else {
    logger.warn('session belongs to another agent', { statusCode: 409 });
    await sendErrorResponse(responseStream, 409, 'Conflict', sessionOfAnotherAgentMessage(sessionId, request.agentId));
  }
}

/**
 * A load that failed answers before streaming: 503 with `Retry-After` when a dependency was
 * throttled, unavailable or too slow (the same request may succeed shortly), else 500; a
 * malformed agent is named.
 */
async function answerLoadFailure(responseStream: Writable, request: ConverseRequest, error: unknown): Promise<void> {
  countMetric(MetricName.turnErrors);
  if (error instanceof MalformedAgentDefinitionError) {
    logger.error(error.message, { problems: error.problems });
    await sendErrorResponse(
      responseStream,
      500,
      'InternalError',
      `agent '${request.agentId}' cannot be used right now`,
    );
  } else if (isTransientError(error)) {
    logger.warn('turn could not start: a dependency is throttled, unavailable or too slow', { statusCode: 503, error });
    await sendServiceUnavailableResponse(responseStream);
  } else {
    logError(logger, 'turn could not start', error);
    await sendErrorResponse(responseStream, 500, 'InternalError', 'The request could not be processed.');
  }
}
