/**
 * Identifier rules shared by the constructs and the runtime, taken from the AgentCore
 * Memory API (CreateEvent / ListEvents / RetrieveMemoryRecords).
 */

/** AgentCore actorId: 1-255 characters. */
export const ACTOR_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_/]*(?::[a-zA-Z0-9\-_/]+)*$/;
export const ACTOR_ID_MAX_LENGTH = 255;

/** AgentCore sessionId: 1-100 characters. */
export const SESSION_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;
export const SESSION_ID_MAX_LENGTH = 100;

/**
 * The userIds a caller may name: 1-64 printable ASCII characters without spaces, starting
 * with a letter or digit (for example `u-123`, `alice@example.com`, `tenant/alice`).
 */
export const USER_ID_PATTERN = /^[a-zA-Z0-9][\x21-\x7e]*$/;
export const USER_ID_MAX_LENGTH = 64;

/**
 * AgentCore memory ids: the memory name, `-` and ten letters or digits
 * (`agent_memory_prod-AbCdEf1234`), at least 12 characters; or the memory's ARN ending so.
 */
export const MEMORY_ID_PATTERN =
  /^(?:arn:aws[a-z-]*:bedrock-agentcore:[a-z0-9-]+:\d{12}:memory\/)?[a-zA-Z][a-zA-Z0-9\-_]{0,99}-[a-zA-Z0-9]{10}$/;
export const MEMORY_ID_MIN_LENGTH = 12;

/** AgentCore memory strategy ids: 1-100 characters. */
export const STRATEGY_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;
export const STRATEGY_ID_MAX_LENGTH = 100;

/** Agent ids, as stored in the agent-definition table's partition key. */
export const AGENT_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_.]*$/;
export const AGENT_ID_MAX_LENGTH = 64;

export function isValidActorId(actorId: string): boolean {
  return actorId.length >= 1 && actorId.length <= ACTOR_ID_MAX_LENGTH && ACTOR_ID_PATTERN.test(actorId);
}

export function isValidSessionId(sessionId: string): boolean {
  return sessionId.length >= 1 && sessionId.length <= SESSION_ID_MAX_LENGTH && SESSION_ID_PATTERN.test(sessionId);
}

export function isValidMemoryId(memoryId: string): boolean {
  return memoryId.length >= MEMORY_ID_MIN_LENGTH && MEMORY_ID_PATTERN.test(memoryId);
}

export function isValidStrategyId(strategyId: string): boolean {
  return strategyId.length >= 1 && strategyId.length <= STRATEGY_ID_MAX_LENGTH && STRATEGY_ID_PATTERN.test(strategyId);
}

/** What to change about a memory id, naming `field`; empty when the id is valid. */
export function memoryIdErrors(memoryId: unknown, field = 'memoryId'): string[] {
  if (typeof memoryId === 'string' && isValidMemoryId(memoryId)) return [];
  return [
    `${field} must be an AgentCore memory id such as 'agent_memory_prod-AbCdEf1234' (the memory name, '-' and 10 letters or digits, at least ${MEMORY_ID_MIN_LENGTH} characters) or its memory ARN (got ${JSON.stringify(memoryId)})`,
  ];
}

/** What to change about a memory strategy id, naming `field`; empty when the id is valid. */
export function strategyIdErrors(strategyId: unknown, field = 'strategyId'): string[] {
  if (typeof strategyId === 'string' && isValidStrategyId(strategyId)) return [];
  return [
    `${field} must be 1-${STRATEGY_ID_MAX_LENGTH} letters, digits, '-' and '_', starting with a letter or digit, as AgentCore names a strategy (got ${JSON.stringify(strategyId)})`,
  ];
}

export function isValidUserId(userId: string): boolean {
  return userId.length >= 1 && userId.length <= USER_ID_MAX_LENGTH && USER_ID_PATTERN.test(userId);
}

const KEPT_AS_IS = /[a-zA-Z0-9-]/;

/**
 * Maps an accepted userId to its AgentCore actorId.
 *
 * Letters, digits and `-` are kept; every other character becomes `_` and its two hex
 * digits (`@` -> `_40`, `_` -> `_5f`, `/` -> `_2f`). Because `_` only ever starts a
 * three-character escape, the mapping is injective; because the result has no `/`, an
 * actor's resolved namespace (`/preferences/<actor>/`) is never a prefix of another's.
 * A 64-character userId maps to at most 190 characters, inside the 255 limit.
 */
export function actorIdForUser(userId: string): string {
  if (!isValidUserId(userId)) {
    throw new Error(
      `userId must be 1-${USER_ID_MAX_LENGTH} printable ASCII characters without spaces, starting with a letter or digit`,
    );
  }
  let actorId = '';
  for (const character of userId) {
    actorId += KEPT_AS_IS.test(character) ? character : `_${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
  }
  return actorId;
}
