import type { BedrockRuntimeClient, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { TokenUsage } from '../../../lambda/converse/http/sse.js';
import { streamModelCall, type ModelCallRequest } from '../../../lambda/converse/loop/model-stream.js';
import { DeadlineExceededError, ModelStreamTruncatedError } from '../../../lambda/platform/errors.js';

/** A client whose stream sends these events and pays no attention to the abort signal. */
function clientStreaming(events: ConverseStreamOutput[]): BedrockRuntimeClient {
  return {
    send: () =>
      Promise.resolve({
        stream: (async function* () {
          for (const event of events) {
            await new Promise((resolve) => setImmediate(resolve));
            yield event;
          }
        })(),
      }),
  } as unknown as BedrockRuntimeClient;
}

function requestTo(client: BedrockRuntimeClient): ModelCallRequest {
  return { client, modelId: 'model', system: [{ text: 'Be brief.' }], messages: [] };
}

function noUsage(): TokenUsage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
}

const textDelta = (text: string): ConverseStreamOutput => ({
  contentBlockDelta: { contentBlockIndex: 0, delta: { text } },
});

describe('streamModelCall', () => {
  it('assembles text and tool uses in block order, with the input the model streamed as JSON', async () => {
    const client = clientStreaming([
      textDelta('Let me look.'),
      { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 't-1', name: 'lookup' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"id":' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '7}' } } } },
      { messageStop: { stopReason: 'tool_use' } },
      { metadata: { usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 }, metrics: { latencyMs: 1 } } },
    ]);
    const usage = noUsage();

    const result = await streamModelCall(requestTo(client), usage, () => undefined, new AbortController().signal);

    expect(result).toEqual({
      content: [{ text: 'Let me look.' }, { toolUse: { toolUseId: 't-1', name: 'lookup', input: { id: 7 } } }],
      stopReason: 'tool_use',
    });
    expect(usage).toEqual({ ...noUsage(), inputTokens: 5, outputTokens: 2, totalTokens: 7 });
  });

  it('forwards nothing more once its signal fires, even from a stream that ignores the abort', async () => {
    const client = clientStreaming([
      textDelta('before'),
      textDelta('after'),
      { messageStop: { stopReason: 'end_turn' } },
    ]);
    const abort = new AbortController();
    const forwarded: string[] = [];

    const call = streamModelCall(
      requestTo(client),
      noUsage(),
      (text) => {
        forwarded.push(text);
        abort.abort(new DeadlineExceededError('model call'));
      },
      abort.signal,
    );

    await expect(call).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(forwarded).toEqual(['before']);
  });

  it('rejects a stream that ends without messageStop as truncated', async () => {
    const client = clientStreaming([textDelta('Half an')]);

    await expect(
      streamModelCall(requestTo(client), noUsage(), () => undefined, new AbortController().signal),
    ).rejects.toBeInstanceOf(ModelStreamTruncatedError);
  });

  it('rejects a stream that breaks as truncated, with the network error as its cause', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const client = {
      send: () =>
        Promise.resolve({
          stream: (async function* () {
            yield textDelta('Half an');
            throw reset;
          })(),
        }),
    } as unknown as BedrockRuntimeClient;

    const failure = await streamModelCall(requestTo(client), noUsage(), () => undefined, new AbortController().signal)
      .then(() => undefined)
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ModelStreamTruncatedError);
    expect((failure as Error).cause).toBe(reset);
  });
});
