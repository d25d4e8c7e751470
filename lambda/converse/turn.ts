import type { InferenceConfiguration, Tool } from '@aws-sdk/client-bedrock-runtime';
import type { Context } from 'aws-lambda';
import type { Writable } from 'node:stream';
import { actorIdForUser, type AgentDefinition, type InferenceSettings } from '../contract/index.js';
import { MalformedAgentDefinitionError } from './agents/repository.js';
import type { ConverseDependencies } from './dependencies.js';
import type { ConverseRequest } from './http/request.js';
import { openEventStream, sendErrorResponse } from './http/responses.js';
import type { SseWriter, TokenUsage } from './http/sse.js';
import { ERROR_STOP_REASON, runAgentLoop, type AgentLoopResult } from './loop/agent-loop.js';
import { appendContent, historyMessages } from './loop/messages.js';
import { promptCachingSupport, systemBlocks, toolList } from './loop/prompt-caching.js';
import { toolResultStatusSupported } from './loop/tool-results.js';
import { memorySettingsFor } from './memory/activation.js';
import { persistTurnToMemory } from './memory/persistence.js';
import { buildSystemPrompt, messageForModel } from './memory/prompts.js';
import { appendPrefetchedRetrieval, prefetchNewSessionMemories } from './memory/first-turn-retrieval.js';
import { AgentCoreMemoryTool, type MemoryScope } from './memory/tool.js';
import { MetricName, countMetric, describeError, logger } from './observability.js';
import { SessionOwnedByAnotherUserError, type SessionLookup } from './sessions/store.js';
import { builtInTools } from './tools/built-in.js';

interface TurnMemory {
  readonly scope: MemoryScope;
  readonly tool: AgentCoreMemoryTool;
}

/**
 * One turn: load the agent and the session's history in parallel with the new-session
 * memory retrieval, answer 404/403/500 before streaming, then stream the agent loop and
 * save the turn before the response ends.
 */
export async function runConverseTurn(
  request: ConverseRequest,
  responseStream: Writable,
  context: Context,
  dependencies: ConverseDependencies,
): Promise<void> {
  const receivedAt = new Date();
  const deadline = receivedAt.getTime() + context.getRemainingTimeInMillis() - dependencies.timeoutBufferMs;
  const sessionId = request.sessionId ?? dependencies.newSessionId();
  const actorId = actorIdForUser(request.userId);
  logger.appendKeys({ agentId: request.agentId, sessionId, actorId });

  // Started together: none waits for another unless it needs its result.
  const agentLoad = dependencies.agents.get(request.agentId);
  const sessionLoad: Promise<SessionLookup> = request.sessionId
    ? dependencies.sessions.load(sessionId, request.userId)
    : Promise.resolve({ status: 'owned', turns: [] });
  const memoryLoad = agentLoad.then((agent) =>
    agent ? memoryFor(agent, sessionId, actorId, dependencies) : undefined,
  );
  const prefetch = prefetchNewSessionMemories(request.message, memoryLoad, sessionLoad);
  // The awaits below may return before these settle; their failures surface there or not at all.
  for (const pending of [sessionLoad, memoryLoad]) pending.catch(() => undefined);

  let agent: AgentDefinition | undefined;
  let session: SessionLookup;
  let memory: TurnMemory | undefined;
  try {
    agent = await agentLoad;
    if (agent === undefined) {
      countMetric(MetricName.rejectedRequests);
      await sendErrorResponse(responseStream, 404, 'NotFound', `agent '${request.agentId}' does not exist`);
      return;
    }
    session = await sessionLoad;
    if (session.status === 'forbidden') {
      logger.warn('session belongs to another user', { statusCode: 403 });
      countMetric(MetricName.rejectedRequests);
      await sendErrorResponse(responseStream, 403, 'Forbidden', `session '${sessionId}' belongs to another user`);
      return;
    }
    memory = await memoryLoad;
  } catch (error) {
    countMetric(MetricName.turnErrors);
    if (error instanceof MalformedAgentDefinitionError) {
      logger.error(error.message, { problems: error.problems });
      await sendErrorResponse(
        responseStream,
        500,
        'InternalError',
        `agent '${request.agentId}' cannot be used right now`,
      );
    } else {
      logger.error('turn could not start', { error: describeError(error) });
      await sendErrorResponse(responseStream, 500, 'InternalError', 'The request could not be processed.');
    }
    return;
  }

  const newSession = session.turns.length === 0;
  const sse = openEventStream(responseStream);
  sse.send({ event: 'session', data: { sessionId, newSession } });

  let streamedAnswer = '';
  let result: AgentLoopResult | undefined;
  let firstTokenAt: number | undefined;
  try {
    const messages = historyMessages(session.turns);
    appendContent(messages, 'user', [{ text: messageForModel(request.message, newSession, memory !== undefined) }]);
    const toolResultStatus = toolResultStatusSupported(agent.foundation_model);
    const prefetched = newSession && memory ? await prefetch : undefined;
    if (prefetched) appendPrefetchedRetrieval(messages, prefetched, toolResultStatus);

    const caching = promptCachingSupport(agent.foundation_model);
    const tools = [...(memory ? [memory.tool] : []), ...builtInTools(agent.tools)];
    const toolSpecs: Tool[] = tools.map((tool) => ({ toolSpec: tool.spec }));
    result = await runAgentLoop({
      client: dependencies.bedrock(),
      modelId: agent.foundation_model,
      system: systemBlocks(buildSystemPrompt(agent.base_prompt, memory !== undefined), caching),
      toolConfig: toolSpecs.length > 0 ? { tools: toolList(toolSpecs, caching) } : undefined,
      inferenceConfig: inferenceConfigFor(agent.inference),
      messages,
      tools,
      toolResultStatus,
      deadline,
      logger,
      onText: (text) => {
        firstTokenAt ??= Date.now();
        streamedAnswer += text;
        sse.send({ event: 'delta', data: { text } });
      },
    });
  } catch (error) {
    logger.error('turn failed', { error: describeError(error) });
  } finally {
    await finishTurn({
      request,
      sessionId,
      receivedAt,
      requestId: context.awsRequestId,
      outcome: result ?? unexpectedFailure(streamedAnswer),
      memory,
      dependencies,
      sse,
    });
    logger.info('turn finished', {
      newSession,
      prefetchedMemory: newSession && memory !== undefined,
      stopReason: result?.stopReason ?? ERROR_STOP_REASON,
      modelCalls: result?.modelCalls ?? 0,
      usage: result?.usage,
      timeToFirstTokenMs: firstTokenAt === undefined ? undefined : firstTokenAt - receivedAt.getTime(),
      durationMs: Date.now() - receivedAt.getTime(),
      clientGone: sse.clientGone,
    });
  }
}

function memoryFor(
  agent: AgentDefinition,
  sessionId: string,
  actorId: string,
  dependencies: ConverseDependencies,
): TurnMemory | undefined {
  const settings = memorySettingsFor(agent, logger);
  if (!settings.active) return undefined;
  if (dependencies.settings.memoryId !== undefined && dependencies.settings.memoryId !== settings.memoryId) {
    logger.warn(
      'agent memory_id differs from MEMORY_ID, the memory this function is granted; AgentCore may deny the calls',
    );
  }
  const scope: MemoryScope = { settings, sessionId, actorId };
  return {
    scope,
    tool: new AgentCoreMemoryTool(
      scope,
      dependencies.createSessionManager,
      logger,
      dependencies.memoryRetrieveTimeoutMs,
    ),
  };
}

function inferenceConfigFor(inference: InferenceSettings | undefined): InferenceConfiguration | undefined {
  if (inference === undefined) return undefined;
  return { maxTokens: inference.max_tokens, temperature: inference.temperature, topP: inference.top_p };
}

const NO_USAGE: TokenUsage = {
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
};

function unexpectedFailure(streamedAnswer: string): AgentLoopResult {
  return {
    answer: streamedAnswer,
    stopReason: ERROR_STOP_REASON,
    usage: NO_USAGE,
    modelCalls: 0,
    failure: { type: 'InternalError', message: 'The turn failed unexpectedly.' },
  };
}

interface FinishTurnInput {
  readonly request: ConverseRequest;
  readonly sessionId: string;
  readonly receivedAt: Date;
  readonly requestId: string;
  readonly outcome: AgentLoopResult;
  readonly memory: TurnMemory | undefined;
  readonly dependencies: ConverseDependencies;
  readonly sse: SseWriter;
}

/**
 * Saves the turn, then ends the stream with `done` (or `error`), then writes the turn to
 * AgentCore, and only then ends the response: Lambda freezes a function once its response
 * ends, so no write is left half-done. Every turn is saved, even with an empty answer,
 * except one that failed (other than by running out of time) before any text: a retry then
 * starts from the same history.
 */
async function finishTurn(input: FinishTurnInput): Promise<void> {
  const { request, outcome, memory, dependencies, sse } = input;
  const failedBeforeAnyText =
    outcome.failure !== undefined && outcome.failure.type !== 'Timeout' && outcome.answer.length === 0;
  const shouldSave = !failedBeforeAnyText;
  let historyFailure: { type: string; message: string } | undefined;
  if (shouldSave) {
    try {
      await dependencies.sessions.saveTurn({
        sessionId: input.sessionId,
        userId: request.userId,
        agentId: request.agentId,
        requestId: input.requestId,
        receivedAt: input.receivedAt,
        userMessage: request.message,
        assistantMessage: outcome.answer,
        stopReason: outcome.stopReason,
      });
    } catch (error) {
      countMetric(MetricName.historyWriteErrors);
      logger.error('turn not saved to session history', { error: describeError(error) });
      historyFailure =
        error instanceof SessionOwnedByAnotherUserError
          ? {
              type: 'Forbidden',
              message: `session '${input.sessionId}' belongs to another user; this turn was not saved`,
            }
          : { type: 'HistoryNotSaved', message: 'The answer could not be saved to the session history.' };
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

  const sessionTakenByAnotherUser = historyFailure?.type === 'Forbidden';
  if (shouldSave && !sessionTakenByAnotherUser && memory?.scope.settings.persistConversation) {
    await persistTurnToMemory(memory.scope, dependencies.createSessionManager, request.message, outcome.answer, logger);
  }
  await sse.end();
}
