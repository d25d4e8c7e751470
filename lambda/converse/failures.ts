/**
 * Failures as the converse function's caller sees them. Whether a failure may pass is the
 * runtime's one classification, re-exported for this module's importers.
 */
export { isTransientError } from '../platform/transient.js';

/** What the caller is told about a failed turn: `retryable` says whether sending the request again may succeed. */
export interface TurnFailure {
  readonly type: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** Seconds a caller is asked to wait (`Retry-After`) when a dependency is throttled or unavailable. */
export const RETRY_AFTER_SECONDS = 2;

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
