import type { Logger } from '@aws-lambda-powertools/logger';
import { DEFAULT_TOOL_LIMITS, type ToolLimits } from '../../contract/index.js';
import { callWithDeadline } from '../../platform/deadlines.js';
import { DeadlineExceededError } from '../../platform/errors.js';
import { logError } from '../../platform/logging.js';
import type { TurnFailure } from '../failures.js';
import type { TokenUsage } from '../http/sse.js';
import type { AgentTool } from '../tools/tool.js';
import { appendContent } from './messages.js';
import { TURN_TIMEOUT_FAILURE, clientFacingFailure } from './model-failure.js';
import { streamModelCall, type ModelCallRequest } from './model-stream.js';
import { ToolUseBudget } from './tool-budget.js';
import { runToolUses } from './tool-runs.js';

/**
 * Model calls per turn at most. Each call after the first answers tool results; an agent
 * that still calls tools in its last allowed call is stopped with `max_iterations`, and
 * those tools are not run (the model could never read their results).
 */
export const MAX_MODEL_CALLS_PER_TURN = 8;

export const TIMEOUT_STOP_REASON = 'timeout';
export const MAX_ITERATIONS_STOP_REASON = 'max_iterations';
export const ERROR_STOP_REASON = 'error';

/** What the loop sends each model call; the loop appends each reply and tool result to `messages`. */
export interface AgentLoopInput extends ModelCallRequest {
  /** How many tool uses the turn executes. @default DEFAULT_TOOL_LIMITS */
  readonly toolLimits?: ToolLimits;
  readonly tools: readonly AgentTool[];
  /** Whether tool results may carry `status` (see `toolResultStatusSupported`). */
  readonly toolResultStatus: boolean;
  /** Called with each piece of answer text as it arrives. */
  readonly onText: (text: string) => void;
  /** Epoch milliseconds at which the turn must stop, leaving time to save it. */
  readonly deadline: number;
  readonly logger: Logger;
}

export interface AgentLoopResult {
  /** Every piece of text streamed to the caller, in order. */
  readonly answer: string;
  readonly stopReason: string;
  readonly usage: TokenUsage;
  readonly modelCalls: number;
  /** Tool uses executed, and refused by the agent's tool limits. */
  readonly toolUses?: { readonly executed: number; readonly refused: number };
  /**
   * Set when the turn ended early (`Timeout`, `ModelStreamTruncated`, the Bedrock error's
   * name): `answer` is then incomplete.
   */
  readonly failure?: TurnFailure;
}

/**
 * The agent loop on ConverseStream: stream a model call, forward its text, run the tools
 * it calls, send their results back, until the model ends its turn. Never throws: Bedrock
 * errors and the deadline end the loop with the answer so far and a `failure`. Each model
 * call and each round of tools is cut off at the deadline (see `callWithDeadline`).
 */
export async function runAgentLoop(input: AgentLoopInput): Promise<AgentLoopResult> {
  const usage: TokenUsage = {
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
  };
  const toolsByName = new Map(input.tools.map((tool) => [tool.spec.name ?? '', tool]));
  const budget = new ToolUseBudget(input.toolLimits ?? DEFAULT_TOOL_LIMITS);
  const toolUseCounts = () => ({ executed: budget.executedCount, refused: budget.refusedCount });
  let answer = '';
  // Text of the model call under way: kept in the conversation even when the call fails.
  let callText = '';
  const emit = (text: string): void => {
    answer += text;
    callText += text;
    input.onText(text);
  };

  let modelCalls = 0;
  try {
    for (;;) {
      // A call that would start after the deadline is never sent.
      if (Date.now() >= input.deadline) throw new DeadlineExceededError('model call');
      modelCalls++;
      // Text of a later call continues the answer; keep it from running into the earlier text.
      const separateFromEarlierText = answer.length > 0 && !/\s$/.test(answer);
      let firstTextOfCall = true;
      const forward = (text: string): void => {
        if (firstTextOfCall && separateFromEarlierText) emit('\n\n');
        firstTextOfCall = false;
        emit(text);
      };
      const call = await callWithDeadline('model call', input.deadline, (abortSignal) =>
        streamModelCall(input, usage, forward, abortSignal),
      );
      appendContent(input.messages, 'assistant', call.content);
      callText = '';
      const toolUses = call.content.flatMap((block) => (block.toolUse ? [block.toolUse] : []));
      if (call.stopReason !== 'tool_use' || toolUses.length === 0) {
        return { answer, stopReason: call.stopReason, usage, modelCalls, toolUses: toolUseCounts() };
      }
      if (modelCalls === MAX_MODEL_CALLS_PER_TURN) {
        input.logger.warn('agent loop stopped at its maximum of model calls', {
          maxModelCalls: MAX_MODEL_CALLS_PER_TURN,
        });
        return { answer, stopReason: MAX_ITERATIONS_STOP_REASON, usage, modelCalls, toolUses: toolUseCounts() };
      }
      // Tools are told to stop at the deadline (the signal); the turn goes on without one that does not listen.
      const results = await callWithDeadline('tool runs', input.deadline, (abortSignal) =>
        runToolUses(toolUses, {
          toolsByName,
          budget,
          abortSignal,
          deadline: input.deadline,
          toolResultStatus: input.toolResultStatus,
          logger: input.logger,
        }),
      );
      appendContent(input.messages, 'user', results);
    }
  } catch (error) {
    if (callText.trim().length > 0) appendContent(input.messages, 'assistant', [{ text: callText }]);
    if (error instanceof DeadlineExceededError) {
      input.logger.warn('turn stopped before the function timeout', { modelCalls });
      return {
        answer,
        stopReason: TIMEOUT_STOP_REASON,
        usage,
        modelCalls,
        toolUses: toolUseCounts(),
        failure: TURN_TIMEOUT_FAILURE,
      };
    }
    logError(input.logger, 'model call failed', error, { modelCalls, answerCharacters: answer.length });
    return {
      answer,
      stopReason: ERROR_STOP_REASON,
      usage,
      modelCalls,
      toolUses: toolUseCounts(),
      failure: clientFacingFailure(error),
    };
  }
}
