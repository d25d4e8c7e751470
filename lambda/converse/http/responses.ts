import type { Writable } from 'node:stream';
import { SSE_HEADERS, SseWriter, endStream } from './sse.js';

/** Error types of the JSON error responses sent before streaming begins. */
export type ErrorResponseType = 'BadRequest' | 'Forbidden' | 'NotFound' | 'InternalError';

/** Answers with a status and `{"error":{"type","message"}}`, and ends the response. */
export function sendErrorResponse(
  responseStream: Writable,
  statusCode: number,
  type: ErrorResponseType,
  message: string,
): Promise<void> {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode,
    headers: { 'Content-Type': 'application/json' },
  });
  return endStream(stream, JSON.stringify({ error: { type, message } }));
}

/** Starts the 200 `text/event-stream` response. */
export function openEventStream(responseStream: Writable): SseWriter {
  return new SseWriter(awslambda.HttpResponseStream.from(responseStream, { statusCode: 200, headers: SSE_HEADERS }));
}
