/**
 * Logging a failure with the error itself, not a string made of it: Powertools' Logger
 * serializes an Error with its name, message, stack, `cause` chain and own fields (the AWS
 * SDK's `$metadata`, `$fault`), which is what a reader of the log needs to find the cause.
 */
import type { Logger } from '@aws-lambda-powertools/logger';

/** Keys of the log entry; `error` is always the failure. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Logs `message` at error level with the failure under `error`. A thrown value that is not
 * an Error (a string, a plain object) is logged as it is.
 */
export function logError(logger: Pick<Logger, 'error'>, message: string, error: unknown, extra: LogFields = {}): void {
  logger.error(message, { ...extra, error });
}
