import { DeadlineExceededError } from '../platform/deadlines.js';

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

/**
 * What the caller is told of each Bedrock error, in fixed words: a dependency's own
 * message can name the account, a role or a resource ARN, so it only ever goes to the log.
 */
const MODEL_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  AccessDeniedException:
    'The function is not allowed to use this model. An operator must check the model access and the function’s permissions.',
  ResourceNotFoundException: 'The model this agent names was not found. An operator must check the agent’s model.',
  ValidationException: 'The model rejected the request as invalid for it.',
  ThrottlingException: 'The model is receiving too many requests; retry shortly.',
  ServiceQuotaExceededException: 'A model quota is used up; retry later.',
  ServiceUnavailableException: 'The model service is unavailable; retry shortly.',
  InternalServerException: 'The model service failed; retry.',
  ModelTimeoutException: 'The model took too long to answer; retry.',
  ModelNotReadyException: 'The model is not ready yet; retry shortly.',
  ModelErrorException: 'The model failed to process the request; retry.',
  ModelStreamErrorException: 'The model stream failed; retry.',
};

/** The fixed message for any other model error. */
export const MODEL_CALL_FAILED_MESSAGE = 'The model could not be reached or answered unexpectedly; try again.';

/**
 * A failed model call as the caller sees it: the error's type (an exception name says
 * nothing about the account) and a fixed message for it, never the error's own message.
 */
export function modelCallFailure(errorName: string, retryable: boolean): TurnFailure {
  const message = MODEL_ERROR_MESSAGES[errorName];
  if (message !== undefined) return { type: errorName, message, retryable };
  return {
    type: /^[A-Za-z]{1,64}$/.test(errorName) ? errorName : 'ModelCallFailed',
    message: MODEL_CALL_FAILED_MESSAGE,
    retryable,
  };
}

/** AWS resource ARNs and 12-digit account ids, wherever they appear in a text. */
const ACCOUNT_DETAILS = /arn:aws[a-z-]*:[^\s"'`,;]*|(?<![0-9])[0-9]{12}(?![0-9])/g;

/**
 * Text for the caller with any ARN or account id replaced: a last guard on every error
 * the caller is sent, whatever produced it.
 */
export function withoutAccountDetails(text: string): string {
  return text.replace(ACCOUNT_DETAILS, '[redacted]');
}
