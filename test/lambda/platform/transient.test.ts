import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { isTransientError } from '../../../lambda/platform/transient.js';

/** An error as the AWS SDK throws it: a name, and the fields it sets. */
function awsError(name: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...fields });
}

describe('isTransientError', () => {
  describe('says "not now" for failures the same request may get past', () => {
    test.each([
      'ThrottlingException',
      'ThrottledException',
      'ProvisionedThroughputExceededException',
      'RequestLimitExceeded',
      'TooManyRequestsException',
      'ServiceUnavailableException',
      'InternalServerException',
      'InternalServerError',
      'ModelNotReadyException',
      'ModelTimeoutException',
      'TimeoutError',
      'RequestTimeoutException',
    ])('%s', (name) => {
      expect(isTransientError(awsError(name))).toBe(true);
    });

    test.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'])('a connection that broke (%s)', (code) => {
      expect(isTransientError(Object.assign(new Error('socket'), { code }))).toBe(true);
    });

    test.each([429, 500, 502, 503])('an unknown error with HTTP status %i in $metadata', (status) => {
      expect(isTransientError(awsError('SomethingNew', { $metadata: { httpStatusCode: status } }))).toBe(true);
    });

    test('an unknown error whose raw response ($response) says 503', () => {
      expect(isTransientError(awsError('UnknownError', { $response: { statusCode: 503 } }))).toBe(true);
    });

    test('an error the SDK marked retryable ($retryable)', () => {
      expect(isTransientError(awsError('SomethingNew', { $retryable: { throttling: true } }))).toBe(true);
    });
  });

  describe('says "no" for failures a retry cannot fix', () => {
    test.each(['AccessDeniedException', 'ValidationException', 'ResourceNotFoundException', 'TypeError'])(
      '%s',
      (name) => {
        expect(isTransientError(awsError(name, { $metadata: { httpStatusCode: 400 } }))).toBe(false);
      },
    );

    test('a failed DynamoDB condition', () => {
      const error = new ConditionalCheckFailedException({ message: 'no', $metadata: { httpStatusCode: 400 } });
      expect(isTransientError(error)).toBe(false);
    });

    test.each([404, 409])('an unknown error with HTTP status %i', (status) => {
      expect(isTransientError(awsError('SomethingNew', { $metadata: { httpStatusCode: status } }))).toBe(false);
    });

    test.each([undefined, null, 'throttled', 503])('a thrown value that is not an object (%p)', (value) => {
      expect(isTransientError(value)).toBe(false);
    });
  });

  describe('cases the converse function and forget used to classify differently', () => {
    test('an exhausted service quota does not pass by waiting seconds (forget retries it on its own)', () => {
      expect(isTransientError(awsError('ServiceQuotaExceededException'))).toBe(false);
    });

    test.each(['InternalFailure', 'ServiceUnavailable', 'ModelStreamErrorException', 'RequestTimeout', 'AbortError'])(
      '%s (converse retried it, forget did not)',
      (name) => {
        expect(isTransientError(awsError(name))).toBe(true);
      },
    );

    test.each(['ECONNABORTED', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_HTTP2_STREAM_ERROR'])(
      'network code %s (converse retried it, forget did not)',
      (code) => {
        expect(isTransientError(Object.assign(new Error('network'), { code }))).toBe(true);
      },
    );

    test('a server fault ($fault) without a status (converse retried it, forget did not)', () => {
      expect(isTransientError(awsError('SomethingNew', { $fault: 'server' }))).toBe(true);
    });

    test('a client fault is not a server fault', () => {
      expect(isTransientError(awsError('SomethingNew', { $fault: 'client' }))).toBe(false);
    });

    test('a thrown plain object with an error name (converse judged it, forget refused anything but an Error)', () => {
      expect(isTransientError({ name: 'ThrottlingException', message: 'slow down' })).toBe(true);
    });

    test('a call cut off at the runtime deadline', () => {
      expect(isTransientError(awsError('DeadlineExceededError'))).toBe(true);
    });

    test('a wrapped transient error, judged by its cause (forget did not look at causes)', () => {
      const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      const wrapper = new Error('stream broke', { cause: new Error('read failed', { cause: reset }) });
      expect(isTransientError(wrapper)).toBe(true);
    });

    test('a wrapped permanent error stays permanent', () => {
      expect(isTransientError(new Error('failed', { cause: awsError('AccessDeniedException') }))).toBe(false);
    });
  });

  test('a cause chain that loops ends with "no"', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    Object.assign(first, { cause: second });
    expect(isTransientError(first)).toBe(false);
  });

  test('a transient cause too deep in the chain is not followed', () => {
    let error: Error = awsError('ThrottlingException');
    for (let depth = 0; depth < 10; depth++) error = new Error(`wrapper ${depth}`, { cause: error });
    expect(isTransientError(error)).toBe(false);
  });
});
