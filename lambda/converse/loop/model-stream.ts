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
  type TokenUsage as CallTokenUsage,
  type ToolConfiguration,
  type ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { DeadlineExceededError, ModelStreamException, ModelStreamTruncatedError } from '../../platform/errors.js';
import type { TokenUsage } from '../http/sse.js';
import { withConversationCachePoints, type ConversationCachePlan } from './prompt-caching.js';

/** What every model call of a turn sends. */
export interface ModelCallRequest {
  readonly client: BedrockRuntimeClient;
  readonly modelId: string;
  readonly system: SystemContentBlock[];
  readonly toolConfig?: ToolConfiguration;
  readonly inferenceConfig?: InferenceConfiguration;
  /** The agent's Bedrock guardrail, applied to every model call; none when absent. */
  readonly guardrailConfig?: GuardrailStreamConfiguration;
  /** The conversation so far, ending with the user's message (or the latest tool results). */
  readonly messages: Message[];
  /** Cache points placed in the conversation of every model call; none when absent. */
  readonly conversationCache?: ConversationCachePlan;
}

/** The model's message, assembled from the stream, and why the model stopped. */
export interface ModelCallResult {
  readonly content: ContentBlock[];
  readonly stopReason: string;
}

interface BlockUnderConstruction {
  text?: string;
  toolUse?: { toolUseId: string; name: string; inputJson: string };
}

/**
 * One ConverseStream call, streamed: each piece of text goes to `onText` as it arrives, the
 * call's token counts are added to `usage`, and the message's content blocks are assembled.
 * Once `abortSignal` fires, the request is aborted and nothing more reaches `onText`.
 * @throws ModelStreamException or BedrockRuntimeServiceException for the service's own
 * errors; ModelStreamTruncatedError for a stream that ended or broke before `messageStop`
 */
export async function streamModelCall(
  request: ModelCallRequest,
  usage: TokenUsage,
  onText: (text: string) => void,
  abortSignal: AbortSignal,
): Promise<ModelCallResult> {
  const response = await request.client.send(
    new ConverseStreamCommand({
      modelId: request.modelId,
      system: request.system,
      messages: request.conversationCache
        ? withConversationCachePoints(request.messages, request.conversationCache)
        : request.messages,
      toolConfig: request.toolConfig,
      inferenceConfig: request.inferenceConfig,
      guardrailConfig: request.guardrailConfig,
    }),
    { abortSignal },
  );
  abortSignal.throwIfAborted();
  const blocks = new Map<number, BlockUnderConstruction>();
  let stopReason: string | undefined;
  const iterator = (response.stream ?? emptyStream())[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next().catch((error: unknown) => {
      throw brokenStreamError(error);
    });
    // Cut off by the deadline: a stream that ignores the abort forwards nothing more.
    abortSignal.throwIfAborted();
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
      addUsage(usage, event.metadata.usage);
    }
  }
  if (stopReason === undefined) throw new ModelStreamTruncatedError('the model stream ended without messageStop');
  return { content: assembleContent(blocks), stopReason };
}

function addUsage(usage: TokenUsage, callUsage: CallTokenUsage): void {
  usage.inputTokens += callUsage.inputTokens ?? 0;
  usage.outputTokens += callUsage.outputTokens ?? 0;
  usage.totalTokens += callUsage.totalTokens ?? 0;
  usage.cacheReadInputTokens += callUsage.cacheReadInputTokens ?? 0;
  usage.cacheWriteInputTokens += callUsage.cacheWriteInputTokens ?? 0;
}

/**
 * An error thrown while reading the stream. Bedrock's own exceptions (sent inside the
 * stream) and the deadline keep their meaning; anything else (a reset connection, a stream
 * idle past the client's timeout) means the answer was cut off.
 */
function brokenStreamError(error: unknown): unknown {
  if (
    error instanceof DeadlineExceededError ||
    error instanceof ModelStreamException ||
    error instanceof BedrockRuntimeServiceException
  ) {
    return error;
  }
  return new ModelStreamTruncatedError('the model stream broke before messageStop', { cause: error });
}

async function* emptyStream(): AsyncGenerator<ConverseStreamOutput> {}

function throwIfStreamException(event: ConverseStreamOutput): void {
  for (const [member, value] of Object.entries(event)) {
    if (!member.endsWith('Exception') || value === undefined) continue;
    const exceptionName = member.charAt(0).toUpperCase() + member.slice(1);
    throw new ModelStreamException(exceptionName, (value as { message?: string }).message ?? member);
  }
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

/** The tool input the model streamed as JSON text; anything but a JSON object is no input. */
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
