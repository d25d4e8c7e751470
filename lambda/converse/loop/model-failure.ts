import { BedrockRuntimeServiceException } from '@aws-sdk/client-bedrock-runtime';
import { ModelStreamException, ModelStreamTruncatedError } from '../../platform/errors.js';
import { isTransientError, modelCallFailure, type TurnFailure } from '../failures.js';

/** The error type of a model stream that ended or broke before the model finished its message. */
export const MODEL_STREAM_TRUNCATED = 'ModelStreamTruncated';

/** What the caller is told of a turn that reached its answer deadline. */
export const TURN_TIMEOUT_FAILURE: TurnFailure = {
  type: 'Timeout',
  message: 'The turn ran out of time; the answer may be incomplete.',
  retryable: true,
};

/**
 * What the caller sees of a failed model call: Bedrock's own error type (throttling,
 * validation, access...) with a fixed message (never the error's own, which may name the
 * account or a role); {@link MODEL_STREAM_TRUNCATED} for a stream cut off mid-answer; for
 * anything else (a network fault, a bug) a generic type, so no internals reach the caller.
 * The log has the details.
 */
export function clientFacingFailure(error: unknown): TurnFailure {
  const retryable = isTransientError(error);
  if (error instanceof ModelStreamTruncatedError) {
    return {
      type: MODEL_STREAM_TRUNCATED,
      message: 'The model stream was cut off before the answer was complete; the text so far is incomplete.',
      // A stream cut off mid-answer (a reset, a stall, a missing end) is a passing fault.
      retryable: true,
    };
  }
  if (error instanceof BedrockRuntimeServiceException || error instanceof ModelStreamException) {
    return modelCallFailure(error.name, retryable);
  }
  return modelCallFailure('ModelCallFailed', retryable);
}
