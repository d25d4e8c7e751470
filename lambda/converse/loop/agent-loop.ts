import type { Logger } from '@aws-lambda-powertools/logger';
import {
  BedrockRuntimeServiceException,
  ConverseStreamCommand,
  type BedrockRuntimeClient,
  type ContentBlock,
  type ConverseStreamOutput,
  type GuardrailStreamConfiguration,
  type InferenceConfiguration,
  type Message,
  type SystemContentBlock,
  type ToolConfiguration,
  type ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { DEFAULT_TOOL_LIMITS, type ToolLimits } from '../../contract/index.js';
import { isTransientError, modelCallFailure, type TurnFailure } from '../failures.js';
import type { TokenUsage } from '../http/sse.js';
import { describeError } from '../observability.js';
import type { AgentTool } from '../tools/tool.js';
import { appendContent } from './messages.js';
import { withConversationCachePoints, type ConversationCachePlan } from './prompt-caching.js';
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

/** The error type of a model stream that ended or broke before the model finished its message. */
export const MODEL_STREAM_TRUNCATED = 'ModelStreamTruncated';

export interface AgentLoopInput {
  readonly client: BedrockRuntimeClient;
  readonly modelId: string;
  readonly system: SystemContentBlock[];
  readonly toolConfig?: ToolConfiguration;
  readonly inferenceConfig?: InferenceConfiguration;
  /** The agent's Bedrock guardrail, applied to every model call; none when absent. */
  readonly guardrailConfig?: GuardrailStreamConfiguration;
  /** How many tool uses the turn executes. @default DEFAULT_TOOL_LIMITS */
  readonly toolLimits?: ToolLimits;
  /** The conversation so far, ending with the user's message; the loop appends to it. */
  readonly messages: Message[];
  /** Cache points placed in the conversation of every model call; none when absent. */
  readonly conversationCache?: ConversationCachePlan;
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
   * Set when the turn ended early (`Timeout`, {@link MODEL_STREAM_TRUNCATED}, the Bedrock
   * error's name): `answer` is then incomplete.
   */
  readonly failure?: TurnFailure;
}

class TurnDeadlineReached extends Error {
  override readonly name = 'TurnDeadlineReached';
}

/**
 * The model's stream ended without `messageStop`, or broke (a reset connection, a stalled
 * stream), after the model had begun answering: what arrived is not the whole message.
 */
class ModelStreamTruncatedError extends Error {
  override readonly name = 'ModelStreamTruncatedError';
}

interface ModelCallResult {
  readonly content: ContentBlock[];
  readonly stopReason: string;
}

/**
 * The agent loop on ConverseStream: stream a model call, forward its text, run the tools
 * it calls, send their results back, until the model ends its turn. Never throws: Bedrock
 * errors and the deadline end the loop with the answer so far and a `failure`.
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
      if (Date.now() >= input.deadline) throw new TurnDeadlineReached();
      modelCalls++;
      // Text of a later call continues the answer; keep it from running into the earlier text.
      const separateFromEarlierText = answer.length > 0 && !/\s$/.test(answer);
      let firstTextOfCall = true;
      const call = await streamModelCall(input, usage, (text) => {
        if (firstTextOfCall && separateFromEarlierText) emit('\n\n');
        firstTextOfCall = false;
        emit(text);
      });
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
      const toolRuns = runToolUses(toolUses, {
        toolsByName,
        budget,
        deadline: input.deadline,
        toolResultStatus: input.toolResultStatus,
        logger: input.logger,
      });
      // Tools are told to stop at the deadline; this also bounds one that does not listen.
      const results = await raceDeadline(toolRuns, input.deadline);
      appendContent(input.messages, 'user', results);
    }
  } catch (error) {
    if (callText.trim().length > 0) appendContent(input.messages, 'assistant', [{ text: callText }]);
    if (error instanceof TurnDeadlineReached) {
      input.logger.warn('turn stopped before the function timeout', { modelCalls });
      return {
        answer,
        stopReason: TIMEOUT_STOP_REASON,
        usage,
        modelCalls,
        toolUses: toolUseCounts(),
        failure: {
          type: 'Timeout',
          message: 'The turn ran out of time; the answer may be incomplete.',
          retryable: true,
        },
      };
    }
    input.logger.error('model call failed', {
      error: describeError(error),
      modelCalls,
      answerCharacters: answer.length,
    });
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

/** Resolves as `work` does, or rejects with `TurnDeadlineReached` at `deadline`. */
async function raceDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadlineReached = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TurnDeadlineReached()), Math.max(0, deadline - Date.now()));
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadlineReached]);
  } finally {
    clearTimeout(timer);
  }
}

interface BlockUnderConstruction {
  text?: string;
  toolUse?: { toolUseId: string; name: string; inputJson: string };
}

/** One ConverseStream call, streamed; stops at the deadline by aborting the request. */
async function streamModelCall(
  input: AgentLoopInput,
  usage: TokenUsage,
  onText: (text: string) => void,
): Promise<ModelCallResult> {
  const abort = new AbortController();
  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadlineReached = new Promise<never>((_resolve, reject) => {
    deadlineTimer = setTimeout(
      () => {
        abort.abort();
        reject(new TurnDeadlineReached());
      },
      Math.max(0, input.deadline - Date.now()),
    );
  });
  // Only ever raced; keeps an unraced rejection from being reported as unhandled.
  deadlineReached.catch(() => undefined);

  try {
    const response = await Promise.race([
      input.client.send(
        new ConverseStreamCommand({
          modelId: input.modelId,
          system: input.system,
          messages: input.conversationCache
            ? withConversationCachePoints(input.messages, input.conversationCache)
            : input.messages,
          toolConfig: input.toolConfig,
          inferenceConfig: input.inferenceConfig,
          guardrailConfig: input.guardrailConfig,
        }),
        { abortSignal: abort.signal },
      ),
      deadlineReached,
    ]);
    const blocks = new Map<number, BlockUnderConstruction>();
    let stopReason: string | undefined;
    const iterator = (response.stream ?? emptyStream())[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([iterator.next(), deadlineReached]).catch((error: unknown) => {
        throw brokenStreamError(error);
      });
      if (next.done) break;
      const event = next.value;
      throwIfStreamException(event);
      if (event.contentBlockStart?.start?.toolUse) {
        const { toolUseId = '', name = '' } = event.contentBlockStart.start.toolUse;
        blocks.set(event.contentBlockStart.contentBlockIndex ?? 0, { toolUse: { toolUseId, name, inputJson: '' } });
      } else if (event.contentBlockDelta?.delta) {
        const index = event.contentBlockDelta.contentBlockIndex ?? 0;
        const block = blocks.get(index) ?? {};
        blocks.set(index, block);
        const { delta } = event.contentBlockDelta;
        if (delta.text !== undefined && delta.text.length > 0) {
          block.text = (block.text ?? '') + delta.text;
          onText(delta.text);
        } else if (delta.toolUse?.input !== undefined && block.toolUse) {
          block.toolUse.inputJson += delta.toolUse.input;
        }
      } else if (event.messageStop) {
        stopReason = event.messageStop.stopReason ?? 'end_turn';
      } else if (event.metadata?.usage) {
        const callUsage = event.metadata.usage;
        usage.inputTokens += callUsage.inputTokens ?? 0;
        usage.outputTokens += callUsage.outputTokens ?? 0;
        usage.totalTokens += callUsage.totalTokens ?? 0;
        usage.cacheReadInputTokens += callUsage.cacheReadInputTokens ?? 0;
        usage.cacheWriteInputTokens += callUsage.cacheWriteInputTokens ?? 0;
      }
    }
    if (stopReason === undefined) throw new ModelStreamTruncatedError('the model stream ended without messageStop');
    return { content: assembleContent(blocks), stopReason };
  } finally {
    clearTimeout(deadlineTimer);
  }
}

/**
 * An error thrown while reading the stream. Bedrock's own exceptions (sent inside the
 * stream) and the deadline keep their meaning; anything else (a reset connection, a stream
 * idle past the client's timeout) means the answer was cut off.
 */
function brokenStreamError(error: unknown): unknown {
  if (
    error instanceof TurnDeadlineReached ||
    error instanceof ModelStreamException ||
    error instanceof BedrockRuntimeServiceException
  ) {
    return error;
  }
  return new ModelStreamTruncatedError('the model stream broke before messageStop', { cause: error });
}

async function* emptyStream(): AsyncGenerator<ConverseStreamOutput> {}

/** An exception Bedrock reported inside the stream, named like the service's. */
class ModelStreamException extends Error {}

function throwIfStreamException(event: ConverseStreamOutput): void {
  for (const [member, value] of Object.entries(event)) {
    if (!member.endsWith('Exception') || value === undefined) continue;
    const error = new ModelStreamException((value as { message?: string }).message ?? member);
    error.name = member.charAt(0).toUpperCase() + member.slice(1);
    throw error;
  }
}

/**
 * What the caller sees of a failed model call: Bedrock's own error type (throttling,
 * validation, access...) with a fixed message (never the error's own, which may name the
 * account or a role); {@link MODEL_STREAM_TRUNCATED}
 * for a stream cut off mid-answer; for anything else (a network fault, a bug) a generic
 * type, so no internals reach the caller. The log has the details.
 */
function clientFacingFailure(error: unknown): TurnFailure {
  const retryable = isTransientError(error);
  if (error instanceof ModelStreamTruncatedError) {
    return {
      type: MODEL_STREAM_TRUNCATED,
      message: 'The model stream was cut off before the answer was complete; the text so far is incomplete.',
      // A stream cut off mid-answer (a reset, a stall, a missing end) is a passing fault.
      retryable: true,
    };
  }
  if (error instanceof BedrockRuntimeServiceException || error instanceof ModelStreamException) {
    return modelCallFailure(error.name, retryable);
  }
  return modelCallFailure('ModelCallFailed', retryable);
}

function assembleContent(blocks: Map<number, BlockUnderConstruction>): ContentBlock[] {
  const content: ContentBlock[] = [];
  for (const index of [...blocks.keys()].sort((a, b) => a - b)) {
    const block = blocks.get(index)!;
    if (block.toolUse) {
      content.push({
        toolUse: {
          toolUseId: block.toolUse.toolUseId,
          name: block.toolUse.name,
          input: parseToolInput(block.toolUse.inputJson) as ToolUseBlock['input'],
        },
      });
    } else if (block.text !== undefined && block.text.trim().length > 0) {
      content.push({ text: block.text });
    }
  }
  return content;
}

function parseToolInput(json: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
