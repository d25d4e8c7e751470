import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import {
  AGENT_ID_MAX_LENGTH,
  AGENT_ID_PATTERN,
  SESSION_ID_MAX_LENGTH,
  USER_ID_MAX_LENGTH,
  codePointLength,
  isValidSessionId,
  isValidUserId,
  isWellFormedUnicode,
  MEMORY_MODES,
  truncateToCodePoints,
} from '../../contract/index.js';
import type { Outcome } from '../../platform/outcome.js';

/**
 * Longest accepted `message`, in characters (Unicode code points: an emoji counts once). It keeps a turn well inside AgentCore's
 * 100,000-character event text and DynamoDB's 400 KB item.
 */
export const MESSAGE_MAX_LENGTH = 20_000;

/** Unknown fields a 400 names at most; it counts the rest, so the answer (and its log line) stays short. */
export const UNKNOWN_FIELDS_NAMED_MAX = 5;
/** Characters of an unknown field's name shown at most. */
const UNKNOWN_FIELD_NAME_SHOWN_MAX = 40;

function unknownFieldsMessage(keys: readonly string[]): string {
  const named = keys
    .slice(0, UNKNOWN_FIELDS_NAMED_MAX)
    .map((key) =>
      key.length > UNKNOWN_FIELD_NAME_SHOWN_MAX ? `${truncateToCodePoints(key, UNKNOWN_FIELD_NAME_SHOWN_MAX)}...` : key,
    );
  const more = keys.length - named.length;
  return `unknown field(s): ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function stringFieldError(field: string) {
  return (issue: { input: unknown }) =>
    issue.input === undefined ? `${field} is required` : `${field} must be a string`;
}

export const converseRequestSchema = z.strictObject(
  {
    agentId: z
      .string({ error: stringFieldError('agentId') })
      .check(
        z.minLength(1, 'agentId must not be empty'),
        z.maxLength(AGENT_ID_MAX_LENGTH, `agentId must be at most ${AGENT_ID_MAX_LENGTH} characters`),
        z.regex(
          AGENT_ID_PATTERN,
          'agentId must start with a letter or digit and contain only letters, digits, "-", "_" and "."',
        ),
      ),
    userId: z
      .string({ error: stringFieldError('userId') })
      .check(
        z.minLength(1, 'userId must not be empty'),
        z.refine(
          isValidUserId,
          `userId must be 1-${USER_ID_MAX_LENGTH} printable ASCII characters without spaces, starting with a letter or digit`,
        ),
      ),
    sessionId: z.optional(
      z
        .string({ error: stringFieldError('sessionId') })
        .check(
          z.refine(
            isValidSessionId,
            `sessionId must be 1-${SESSION_ID_MAX_LENGTH} characters, starting with a letter or digit and containing only letters, digits, "-" and "_"`,
          ),
        ),
    ),
    message: z.string({ error: stringFieldError('message') }).check(
      z.minLength(1, { error: 'message must not be empty', abort: true }),
      z.refine(
        (message) => codePointLength(message) <= MESSAGE_MAX_LENGTH,
        `message must be at most ${MESSAGE_MAX_LENGTH} characters`,
      ),
      z.refine((message) => message.trim().length > 0, 'message must contain more than whitespace'),
      // JSON can spell half an emoji (`"\ud83d"`); AgentCore rejects such text.
      z.refine(isWellFormedUnicode, 'message must be valid Unicode text (it contains an unpaired surrogate)'),
    ),
    memory: z.optional(
      z.enum(MEMORY_MODES, { error: `memory must be one of ${MEMORY_MODES.map((mode) => `"${mode}"`).join(', ')}` }),
    ),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? unknownFieldsMessage(issue.keys) : 'body must be a JSON object',
  },
);

export type ConverseRequest = z.infer<typeof converseRequestSchema>;

/** The request read from the body, or refused with the message the caller is sent; never "not found". */
export type RequestParseResult = Extract<Outcome<ConverseRequest, string>, { status: 'loaded' | 'refused' }>;

function badRequest(message: string): RequestParseResult {
  return { status: 'refused', reason: message };
}

/**
 * Reads and validates the Function URL event's body. Every problem is reported at once,
 * each naming its field, so a caller can fix a request in one round.
 */
export function parseConverseRequest(event: APIGatewayProxyEventV2): RequestParseResult {
  const method = event.requestContext?.http?.method;
  if (method !== undefined && method !== 'POST') {
    return badRequest(`method ${method} is not supported; send a POST with a JSON body`);
  }
  if (event.body === undefined || event.body === null || event.body === '') {
    return badRequest('body is required: a JSON object with agentId, userId, message and an optional sessionId');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return badRequest('body is not valid JSON');
  }
  const parsed = converseRequestSchema.safeParse(json);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    return badRequest(message);
  }
  return { status: 'loaded', value: parsed.data };
}
