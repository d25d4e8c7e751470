import { DeadlineExceededError } from './deadlines.js';

/** What the caller is told about a failed turn: `retryable` says whether sending the request again may succeed. */
export interface TurnFailure {
  readonly type: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** Seconds a caller is asked to wait (`Retry-After`) when a dependency is throttled or unavailable. */
export const RETRY_AFTER_SECONDS = 2;

/** Error names of throttling and of services that are briefly unavailable, across DynamoDB, AgentCore and Bedrock. */
const TRANSIENT_ERROR_NAMES = new Set([
  'ThrottlingException',
  'ThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalServerException',
  'InternalServerError',
  'InternalFailure',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'ModelStreamErrorException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

/** Node.js network error codes: the connection failed or broke, the request may well succeed again. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_HTTP2_STREAM_ERROR',
]);

/**
 * True for a failure that says "not now" rather than "no": throttling, a 5xx or 429, a
 * timeout or a deadline we cut off, a broken connection. The same request may succeed on
 * a retry; any other failure (validation, access denied, a bug) will not.
 */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (error instanceof DeadlineExceededError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $fault, $retryable, $metadata, cause } = error as {
    name?: unknown;
    code?: unknown;
    $fault?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    cause?: unknown;
  };
  if (typeof name === 'string' && TRANSIENT_ERROR_NAMES.has(name)) return true;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  if ($fault === 'server' || $retryable !== undefined) return true;
  const status = $metadata?.httpStatusCode;
  if (typeof status === 'number' && (status === 429 || status >= 500)) return true;
  // A wrapped error (a stream broken by a reset) is judged by what it wraps.
  return cause !== undefined && depth < 5 && isTransientError(cause, depth + 1);
}
