import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { SSE_HEADERS, SseWriter } from './http/sse';

let bedrock: BedrockRuntimeClient | undefined;

async function converse(event: APIGatewayProxyEventV2, responseStream: awslambda.HttpResponseStream, _context: Context) {
  const rawBody = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const request = JSON.parse(rawBody ?? '{}') as { message: string; sessionId?: string };
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200, headers: SSE_HEADERS });
  const sse = new SseWriter(stream);
  sse.send({ event: 'session', data: { sessionId: request.sessionId ?? crypto.randomUUID(), newSession: !request.sessionId } });
  bedrock ??= new BedrockRuntimeClient({});
  const response = await bedrock.send(
    new ConverseStreamCommand({
      modelId: process.env.MODEL_ID ?? 'anthropic.claude-3-5-haiku-20241022-v1:0',
      messages: [{ role: 'user', content: [{ text: request.message }] }],
    }),
  );
  let stopReason = 'end_turn';
  for await (const chunk of response.stream ?? []) {
    if (chunk.contentBlockDelta?.delta?.text) sse.send({ event: 'delta', data: { text: chunk.contentBlockDelta.delta.text } });
    if (chunk.messageStop?.stopReason) stopReason = chunk.messageStop.stopReason;
  }
  sse.send({ event: 'done', data: { stopReason, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 } } });
  await sse.end();
}

export const handler = awslambda.streamifyResponse(converse);
