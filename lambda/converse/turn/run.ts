import type { BedrockRuntimeClient, Message } from '@aws-sdk/client-bedrock-runtime';
import { logError } from '../../platform/logging.js';
import type { SseWriter, TokenUsage } from '../http/sse.js';
import { ERROR_STOP_REASON, runAgentLoop, type AgentLoopResult } from '../loop/agent-loop.js';
import { logger } from '../observability.js';
import type { AgentTool } from '../tools/tool.js';
import type { ModelRequest } from './request.js';

export interface RunInput {
  /** The Bedrock client, created when the request is built (a failure fails the turn). */
  readonly bedrock: () => BedrockRuntimeClient;
  /** Builds the turn's model request; a failure there fails the turn like one in the loop. */
  readonly buildRequest: () => Promise<ModelRequest>;
  readonly tools: readonly AgentTool[];
  /** Epoch milliseconds at which the turn must stop, leaving time to complete it. */
  readonly deadline: number;
  readonly sse: SseWriter;
}

export interface RunOutcome {
  readonly result: AgentLoopResult;
  /** Epoch milliseconds of the first answer text, when there was any. */
  readonly firstTokenAt: number | undefined;
  /** The turn's own messages after the user's: tool uses, tool results and the answer, in order. */
  readonly exchange: readonly Message[];
  /** Where the turn's history window started; unknown when the request could not be built. */
  readonly historyStart: string | undefined;
}

/**
 * Builds the model request and runs the agent loop, streaming its text as `delta` events.
 * Never throws: an unexpected failure is logged here, once, and ends the turn as
 * `InternalError` with the text streamed so far.
 */
export async function runTurn(input: RunInput): Promise<RunOutcome> {
  let streamedAnswer = '';
  let firstTokenAt: number | undefined;
  let historyStart: string | undefined;
  try {
    const request = await input.buildRequest();
    historyStart = request.historyStart;
    const result = await runAgentLoop({
      client: input.bedrock(),
      modelId: request.modelId,
      system: request.system,
      toolConfig: request.toolConfig,
      inferenceConfig: request.inferenceConfig,
      guardrailConfig: request.guardrailConfig,
      toolLimits: request.toolLimits,
      messages: request.messages,
      conversationCache: request.conversationCache,
      toolResultStatus: request.toolResultStatus,
      tools: input.tools,
      deadline: input.deadline,
      logger,
      onText: (text) => {
        firstTokenAt ??= Date.now();
        streamedAnswer += text;
        input.sse.send({ event: 'delta', data: { text } });
      },
    });
    return { result, firstTokenAt, exchange: request.messages.slice(request.turnStart), historyStart };
  } catch (error) {
    logError(logger, 'turn failed', error);
    return { result: unexpectedFailure(streamedAnswer), firstTokenAt, exchange: [], historyStart };
  }
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
    failure: { type: 'InternalError', message: 'The turn failed unexpectedly.', retryable: false },
  };
}
