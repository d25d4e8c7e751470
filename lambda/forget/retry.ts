/**
 * Retries for the forget sweeps. The clients are created with the SDK's own retries off
 * (`maxAttempts: 1`) so that every attempt is counted here and a call that still fails
 * after its last attempt is reported, never dropped.
 */

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; it doubles for each further attempt. */
  readonly baseDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 250,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const RETRYABLE_NAMES = new Set([
  'ThrottledException',
  'ThrottlingException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceQuotaExceededException',
  'InternalServerException',
  'InternalServerError',
  'ServiceUnavailableException',
  'TimeoutError',
]);

/** Throttling, server-side faults and dropped connections are worth another attempt; a denied or invalid call is not. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const status = metadata?.httpStatusCode;
  if ((error as { $retryable?: unknown }).$retryable !== undefined) return true;
  if (RETRYABLE_NAMES.has(error.name)) return true;
  if (status !== undefined && (status === 429 || status >= 500)) return true;
  return ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED'].includes((error as { code?: string }).code ?? '');
}

/** The pause before retry number `attempt` (1 for the first retry): exponential from the policy's base. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  return policy.baseDelayMs * 2 ** (attempt - 1);
}

/** Error name and message, for the report and logs; never a stack or payload. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
