import type { Logger } from '@aws-lambda-powertools/logger';

/**
 * Logs `error` at ERROR level as the object itself, under `error`: Powertools serializes an
 * Error with its name, message, stack and `cause` chain, and keeps an AWS SDK error's
 * `$metadata` (request id, HTTP status), which a string of the message would lose.
 */
export function logError(logger: Logger, message: string, error: unknown, extra?: Record<string, unknown>): void {
  logger.error(message, { ...extra, error });
}
