import * as z from 'zod/mini';

/**
 * A Bedrock guardrail identifier as ConverseStream accepts it: the guardrail's id
 * (lowercase letters and digits) or its ARN.
 */
export const GUARDRAIL_IDENTIFIER_PATTERN =
  /^(?:[a-z0-9]+|arn:aws(?:-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/[a-z0-9]+)$/;
export const GUARDRAIL_IDENTIFIER_MAX_LENGTH = 2048;
/** A guardrail version: a published version number (1-99999999) or `DRAFT`. */
export const GUARDRAIL_VERSION_PATTERN = /^(?:[1-9][0-9]{0,7}|DRAFT)$/;

/**
 * The Bedrock guardrail an agent's model calls go through: every input and answer is
 * checked, and a blocked one ends the turn with the stop reason `guardrail_intervened`.
 */
export const guardrailSchema = z.object({
  /** The guardrail's id (`abc123xyz`) or ARN. */
  id: z.string().check(
    z.minLength(1),
    z.maxLength(GUARDRAIL_IDENTIFIER_MAX_LENGTH),
    z.regex(GUARDRAIL_IDENTIFIER_PATTERN, {
      message: 'must be a guardrail id (lowercase letters and digits) or a guardrail ARN',
    }),
  ),
  /** A published version (`"1"`) or `"DRAFT"` (the working copy, for testing). */
  version: z
    .string()
    .check(z.regex(GUARDRAIL_VERSION_PATTERN, { message: 'must be a version number from 1 to 99999999, or "DRAFT"' })),
});
export type GuardrailSettings = z.infer<typeof guardrailSchema>;

/** The stop reason Bedrock reports when the guardrail blocked the input or the answer. */
export const GUARDRAIL_INTERVENED_STOP_REASON = 'guardrail_intervened';
