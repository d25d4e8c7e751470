import type { Writable } from 'node:stream';
import { RETRY_AFTER_SECONDS, withoutAccountDetails } from '../failures.js';
import { SSE_HEADERS, SseWriter, endStream } from './sse.js';

/** Error types of the JSON error responses sent before streaming begins. */
export type ErrorResponseType =
  'BadRequest' | 'Forbidden' | 'NotFound' | 'Conflict' | 'ServiceUnavailable' | 'InternalError';

/** Time an error response is given to reach the client before it is cut off (a client may not read). */
export const ERROR_RESPONSE_END_MS = 2_000;

/** Answers with a status and `{"error":{"type","message"}}` (no ARN or account id in it), and ends the response. */
export function sendErrorResponse(
  responseStream: Writable,
  statusCode: number,
  type: ErrorResponseType,
  message: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
  return endStream(
    stream,
    Date.now() + ERROR_RESPONSE_END_MS,
    JSON.stringify({ error: { type, message: withoutAccountDetails(message) } }),
  );
}

/**
 * Answers 503 with `Retry-After`: a dependency was throttled, unavailable or too slow
 * before the turn could start, and the same request may succeed a little later.
 */
export function sendServiceUnavailableResponse(responseStream: Writable): Promise<void> {
  return sendErrorResponse(
    responseStream,
    503,
    'ServiceUnavailable',
    `The service is busy or a dependency is unavailable; retry after ${RETRY_AFTER_SECONDS} s.`,
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}

/** Starts the 200 `text/event-stream` response. */
export function openEventStream(responseStream: Writable): SseWriter {
  return new SseWriter(awslambda.HttpResponseStream.from(responseStream, { statusCode: 200, headers: SSE_HEADERS }));
}
