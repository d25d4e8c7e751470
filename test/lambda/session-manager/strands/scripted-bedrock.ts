/**
 * A real Strands `BedrockModel` whose Converse calls answer from a script (aws-sdk-client-mock
 * on the Bedrock Runtime client), so a test sees each request exactly as Bedrock would get
 * it, cache points and guardrail wrapping included; and a count of what a request reads
 * from the prompt cache.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  CountTokensCommand,
  type Message as BedrockMessage,
} from '@aws-sdk/client-bedrock-runtime';
import { BedrockModel, type BedrockModelConfig } from '@strands-agents/sdk';
import { mockClient } from 'aws-sdk-client-mock';

/** A model id the SDK's `cacheConfig: { strategy: 'auto' }` places cache points for. */
export const CACHING_MODEL_ID = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

export interface ScriptedBedrockReply {
  readonly text: string;
  /** Bedrock's stop reason; `guardrail_intervened` when a guardrail blocked the input. */
  readonly stopReason?: ConverseCommandOutput['stopReason'];
}

const bedrock = mockClient(BedrockRuntimeClient);

/** The model, and every Converse request it sent, in order. */
export function scriptedBedrock(
  replies: ScriptedBedrockReply[],
  config: Omit<BedrockModelConfig, 'modelId' | 'stream' | 'clientConfig'> = {},
): { model: BedrockModel; requests: ConverseCommandInput[] } {
  bedrock.reset();
  const script = [...replies];
  const requests: ConverseCommandInput[] = [];
  bedrock.on(CountTokensCommand).resolves({ inputTokens: 100 });
  bedrock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
    // The wire sees the request as it is now; later mutation by the SDK must not change the record.
    requests.push(structuredClone(input));
    const reply = script.shift();
    if (reply === undefined) throw new Error('the script has no reply left');
    return {
      output: { message: { role: 'assistant', content: [{ text: reply.text }] } },
      stopReason: reply.stopReason ?? 'end_turn',
      usage: { inputTokens: 100, outputTokens: 10, totalTokens: 110 },
      metrics: { latencyMs: 1 },
    } satisfies Partial<ConverseCommandOutput>;
  });
  const model = new BedrockModel({
    ...config,
    modelId: CACHING_MODEL_ID,
    stream: false,
    clientConfig: { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  });
  return { model, requests };
}

/**
 * How many of a request's messages lie wholly inside a prefix an earlier request wrote to
 * the prompt cache: a cache entry is everything before an earlier request's message cache
 * point (same system prompt and tools), and it is read only when this request starts with
 * exactly that content. The longest such entry counts.
 */
export function messagesReadFromCache(requests: readonly ConverseCommandInput[], index: number): number {
  const request = requests[index];
  let read = 0;
  for (const earlier of requests.slice(0, index)) {
    if (
      !isDeepStrictEqual(earlier.system, request.system) ||
      !isDeepStrictEqual(earlier.toolConfig, request.toolConfig)
    ) {
      continue;
    }
    const cached = cachedPrefix(earlier.messages ?? []);
    if (cached === undefined) continue;
    const sent = request.messages ?? [];
    const { fullMessages, partial } = cached;
    const fullMatch = fullMessages.every((message, position) =>
      isDeepStrictEqual(withoutCachePoints(sent[position]), message),
    );
    const boundary = sent[fullMessages.length];
    if (!fullMatch || boundary === undefined) continue;
    const boundaryContent = withoutCachePoints(boundary).content ?? [];
    if (!isDeepStrictEqual(boundaryContent.slice(0, partial.content.length), partial.content)) continue;
    if (boundary.role !== partial.role) continue;
    const boundaryWhollyCached = boundaryContent.length === partial.content.length;
    read = Math.max(read, fullMessages.length + (boundaryWhollyCached ? 1 : 0));
  }
  return read;
}

/** The messages before the last message cache point, and the blocks ahead of it in its message. */
function cachedPrefix(messages: readonly BedrockMessage[]):
  | {
      fullMessages: BedrockMessage[];
      partial: { role: BedrockMessage['role']; content: NonNullable<BedrockMessage['content']> };
    }
  | undefined {
  for (let position = messages.length - 1; position >= 0; position--) {
    const content = messages[position].content ?? [];
    const pointIndex = content.findIndex((block) => 'cachePoint' in block && block.cachePoint !== undefined);
    if (pointIndex === -1) continue;
    return {
      fullMessages: messages.slice(0, position).map(withoutCachePoints),
      partial: { role: messages[position].role, content: content.slice(0, pointIndex) },
    };
  }
  return undefined;
}

/** A missing message (the request is shorter) is an empty one, which matches nothing cached. */
function withoutCachePoints(message: BedrockMessage | undefined): BedrockMessage {
  return {
    role: message?.role,
    content: (message?.content ?? []).filter((block) => !('cachePoint' in block && block.cachePoint !== undefined)),
  };
}
