/**
 * The one answer to "may the same request succeed if sent again?", for every AWS call the
 * runtime makes (DynamoDB, AgentCore, Bedrock): the converse function retries and tells its
 * caller `retryable` by it, and forget retries its deletes by it.
 */

/**
 * Error names of throttling, of services that are briefly unavailable, and of
 * calls cut off by a timeout or an abort, across DynamoDB, AgentCore and Bedrock.
 */
const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
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
  // A call the runtime cut off at its own deadline.
  'DeadlineExceededError',
]);

/** Node.js network error codes: the connection failed or broke, the request may well succeed again. */
const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_HTTP2_STREAM_ERROR',
]);

/** Wrapped errors followed at most: a cause chain is short, and a cycle must not loop. */
const CAUSE_DEPTH_MAX = 5;

interface ErrorFields {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $response?: { readonly statusCode?: unknown };
  readonly cause?: unknown;
}

/**
 * True for a failure that says "not now" rather than "no": throttling, an exhausted quota,
 * a 5xx or 429, a timeout or a deadline cut off, a broken connection, or an error the SDK
 * marked retryable. The same request may succeed on a retry; any other failure (validation,
 * access denied, not found, a bug) will not. A wrapped error is judged by what it wraps.
 */
export function isTransientError(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth <= CAUSE_DEPTH_MAX; depth++) {
    if (typeof current !== 'object' || current === null) return false;
    if (isTransientItself(current)) return true;
    current = (current as ErrorFields).cause;
  }
  return false;
}

function isTransientItself({ name, code, $fault, $retryable, $metadata, $response }: ErrorFields): boolean {
  if (typeof name === 'string' && TRANSIENT_ERROR_NAMES.has(name)) return true;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  if ($fault === 'server' || $retryable !== undefined) return true;
  return isTransientStatus($metadata?.httpStatusCode) || isTransientStatus($response?.statusCode);
}

function isTransientStatus(status: unknown): boolean {
  return typeof status === 'number' && (status === 429 || status >= 500);
}
