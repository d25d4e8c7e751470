/**
 * The forget request: `{ "userId": "...", "dryRun": true|false }` and nothing else. A field
 * the function does not know is refused before anything is listed or deleted: a misspelt
 * `dryRun` (`dry_run`) must never fall back to a real erasure.
 */
import { USER_ID_MAX_LENGTH, isValidUserId } from '../contract/index.js';
import { ForgetRequestError } from '../platform/errors.js';

export interface ForgetRequest {
  readonly userId: string;
  /** @default false */
  readonly dryRun?: boolean;
}

const FIELDS: readonly string[] = ['userId', 'dryRun'];
/** Unknown field names named in an error at most; the rest are counted. */
const NAMED_UNKNOWN_FIELDS_MAX = 5;
/** Characters of one unknown field name shown at most. */
const FIELD_NAME_SHOWN_MAX = 40;

export { ForgetRequestError };

/** `dry_run`, `dryrun`, `DRY-RUN` all mean `dryRun` to a human: say so. */
const canonical = (field: string) => field.replace(/[-_\s]/g, '').toLowerCase();

function unknownFieldsError(unknown: readonly string[]): string {
  const shown = unknown
    .slice(0, NAMED_UNKNOWN_FIELDS_MAX)
    .map((field) =>
      JSON.stringify(field.length > FIELD_NAME_SHOWN_MAX ? `${field.slice(0, FIELD_NAME_SHOWN_MAX)}...` : field),
    );
  const more = unknown.length - shown.length;
  const meant = unknown
    .slice(0, NAMED_UNKNOWN_FIELDS_MAX)
    .flatMap((field) =>
      FIELDS.filter((known) => canonical(known) === canonical(field)).map((known) => `${field} -> ${known}`),
    );
  return `unknown field(s): ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}; a forget request has only ${FIELDS.join(' and ')}${meant.length > 0 ? ` (did you mean ${meant.join(', ')}?)` : ''}`;
}

/** Validates the request; throws a ForgetRequestError naming every problem, before any call is made. */
export function parseForgetRequest(event: unknown): ForgetRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new ForgetRequestError('the forget request must be a JSON object: { "userId": "...", "dryRun": true|false }');
  }
  const fields = event as Record<string, unknown>;
  const errors: string[] = [];
  const unknown = Object.keys(fields).filter((field) => !FIELDS.includes(field));
  if (unknown.length > 0) errors.push(unknownFieldsError(unknown));
  const { userId, dryRun } = fields;
  if (typeof userId !== 'string' || !isValidUserId(userId)) {
    const got =
      typeof userId === 'string'
        ? JSON.stringify(userId.slice(0, 80))
        : String(userId === undefined ? 'nothing' : typeof userId);
    errors.push(
      `userId must be the userId the converse API was called with: 1-${USER_ID_MAX_LENGTH} printable ASCII characters without spaces, starting with a letter or digit (got ${got})`,
    );
  }
  if (dryRun !== undefined && typeof dryRun !== 'boolean') {
    errors.push(`dryRun must be true or false (got ${JSON.stringify(dryRun)?.slice(0, 80) ?? typeof dryRun})`);
  }
  if (errors.length > 0) throw new ForgetRequestError(`Invalid forget request: ${errors.join('; ')}`);
  return { userId: userId as string, dryRun: (dryRun as boolean | undefined) ?? false };
}
