import type { Message } from '@aws-sdk/client-bedrock-runtime';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SessionTableKeys, truncateToCodePoints } from '../../contract/index.js';
import type { StoredTurn } from '../history/stored-turn.js';
import { HISTORY_MAX_TURNS } from '../history/window.js';
import { exchangeFromItem, exchangeToStore } from './stored-exchange.js';

export type { StoredTurn } from '../history/stored-turn.js';

/**
 * Turns read per request at most: a history window holds at most {@link HISTORY_MAX_TURNS}
 * turns, and one more turn may have been stored since the window was chosen.
 */
export const LOADED_TURNS_MAX = HISTORY_MAX_TURNS + 1;

/** Days a session is kept after its last turn (DynamoDB TTL). */
export const SESSION_TTL_DAYS = 30;

/** Longest assistant answer stored, in characters (code points); beyond it the stored answer is cut. */
export const STORED_ANSWER_MAX_LENGTH = 100_000;

/**
 * Item layout, all under partition key `session_id`:
 * - `~meta`: the owner (`user_id`), `agent_id`, `created_at`. `~` sorts after every turn
 *   key, so a descending Query returns it first, followed by the newest turns.
 * - `turn#<ISO time>#<request id>`: one finished turn: the user's message as typed, the
 *   answer, the turn's tool exchanges when it had any (`exchange`, JSON), and where its
 *   history window started (`window_start`). The key is unique per request, so two racing
 *   turns of one session are two items and neither overwrites the other.
 */
const METADATA_SORT_KEY = '~meta';
const TURN_SORT_KEY_PREFIX = 'turn#';

export type SessionLookup =
  { readonly status: 'owned'; readonly turns: StoredTurn[] } | { readonly status: 'forbidden' };

export interface TurnToSave {
  readonly sessionId: string;
  readonly userId: string;
  readonly agentId: string;
  readonly requestId: string;
  /** When the user's message arrived; orders the turns. */
  readonly receivedAt: Date;
  readonly userMessage: string;
  readonly assistantMessage: string;
  /** What followed the user's message (tool uses, tool results, the answer), in order. */
  readonly exchange: readonly Message[];
  /** The key of the first turn of the history window this turn's request held. */
  readonly windowStart: string | undefined;
  readonly stopReason: string;
  /** Set when the answer was cut off (the model stream broke, the turn timed out or failed); stored as `incomplete`. */
  readonly incomplete?: boolean;
}

/** `abortSignal` cuts the DynamoDB call off. */
export interface DynamoCallOptions {
  readonly abortSignal?: AbortSignal;
}

/** The session was started by another user; nothing was written. */
export class SessionOwnedByAnotherUserError extends Error {
  override readonly name = 'SessionOwnedByAnotherUserError';

  constructor(readonly sessionId: string) {
    super(`session ${sessionId} belongs to another user`);
  }
}

/** Session history on the session table (keys from the shared contract). */
export class SessionHistoryStore {
  constructor(
    private readonly tableName: string,
    private readonly documentClient: () => DynamoDBDocumentClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The session's owner check and its recent turns, oldest first: back to where the newest
   * turn's history window started, at most {@link LOADED_TURNS_MAX}. Usually one Query; more
   * pages only when DynamoDB's 1 MB page cuts the read short. A session with no live items
   * belongs to nobody yet: the caller may start it, and its history is empty.
   */
  async load(sessionId: string, userId: string, options: DynamoCallOptions = {}): Promise<SessionLookup> {
    // DynamoDB deletes expired items lazily; an expired item is already gone for us.
    const nowSeconds = this.epochSeconds(this.now());
    const isLive = (item: Record<string, unknown>) =>
      typeof item.expires_at !== 'number' || item.expires_at > nowSeconds;
    let metadata: Record<string, unknown> | undefined;
    const newestFirst: Record<string, unknown>[] = [];
    let windowStart: unknown;
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documentClient().send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :sessionId',
          ExpressionAttributeNames: { '#pk': SessionTableKeys.partitionKey },
          ExpressionAttributeValues: { ':sessionId': sessionId },
          ScanIndexForward: false,
          Limit: LOADED_TURNS_MAX + 1,
          ConsistentRead: true,
          ExclusiveStartKey: exclusiveStartKey,
        }),
        options,
      );
      exclusiveStartKey = page.LastEvaluatedKey;
      for (const item of (page.Items ?? []).filter(isLive)) {
        const sortKey = String(item[SessionTableKeys.sortKey]);
        if (sortKey === METADATA_SORT_KEY) {
          metadata = item;
        } else if (sortKey.startsWith(TURN_SORT_KEY_PREFIX) && newestFirst.length < LOADED_TURNS_MAX) {
          if (newestFirst.length === 0) windowStart = item.window_start;
          newestFirst.push(item);
        }
      }
      if (metadata !== undefined && metadata.user_id !== userId) return { status: 'forbidden' };
    } while (
      exclusiveStartKey !== undefined &&
      newestFirst.length < LOADED_TURNS_MAX &&
      !newestFirst.some((item) => item[SessionTableKeys.sortKey] === windowStart)
    );

    const turns = newestFirst.reverse().flatMap((item) => storedTurnFrom(item) ?? []);
    return { status: 'owned', turns };
  }

  /**
   * Stores a finished turn. The metadata item is written first, on condition that the
   * session is new, expired, or already this user's; only then is the turn written, so a
   * session's turns always belong to its owner. Racing turns of the owner both pass the
   * condition and write distinct items.
   * @throws SessionOwnedByAnotherUserError when another user owns the session
   */
  async saveTurn(turn: TurnToSave, options: DynamoCallOptions = {}): Promise<void> {
    const now = this.now();
    const expiresAt = this.epochSeconds(now) + SESSION_TTL_DAYS * 24 * 3600;
    try {
      await this.documentClient().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [SessionTableKeys.partitionKey]: turn.sessionId, [SessionTableKeys.sortKey]: METADATA_SORT_KEY },
          ConditionExpression: 'attribute_not_exists(#sk) OR user_id = :userId OR #expiresAt <= :nowSeconds',
          UpdateExpression:
            'SET user_id = :userId, agent_id = if_not_exists(agent_id, :agentId), created_at = if_not_exists(created_at, :now), updated_at = :now, #expiresAt = :expiresAt',
          ExpressionAttributeNames: {
            '#sk': SessionTableKeys.sortKey,
            '#expiresAt': SessionTableKeys.timeToLiveAttribute,
          },
          ExpressionAttributeValues: {
            ':userId': turn.userId,
            ':agentId': turn.agentId,
            ':now': now.toISOString(),
            ':nowSeconds': this.epochSeconds(now),
            ':expiresAt': expiresAt,
          },
        }),
        options,
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new SessionOwnedByAnotherUserError(turn.sessionId);
      throw error;
    }
    const answer = truncateToCodePoints(turn.assistantMessage, STORED_ANSWER_MAX_LENGTH);
    try {
      await this.documentClient().send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [SessionTableKeys.partitionKey]: turn.sessionId,
            [SessionTableKeys.sortKey]: `${TURN_SORT_KEY_PREFIX}${turn.receivedAt.toISOString()}#${turn.requestId}`,
            user_message: turn.userMessage,
            assistant_message: answer,
            exchange: exchangeToStore(turn.exchange, turn.userMessage, answer),
            window_start: turn.windowStart,
            stop_reason: turn.stopReason,
            ...(turn.incomplete === true && { incomplete: true }),
            created_at: turn.receivedAt.toISOString(),
            [SessionTableKeys.timeToLiveAttribute]: expiresAt,
          },
          // The key is unique per request, so an existing item is this very turn, written by
          // an earlier attempt of the same request: keep it rather than overwrite it.
          ConditionExpression: 'attribute_not_exists(#sk)',
          ExpressionAttributeNames: { '#sk': SessionTableKeys.sortKey },
        }),
        options,
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private epochSeconds(date: Date): number {
    return Math.floor(date.getTime() / 1000);
  }
}

/**
 * A turn item as the model may be sent it. An item without a user message (edited by hand,
 * or written by another tool) is skipped: Bedrock rejects an empty text block, and sending
 * "undefined" would put words in the user's mouth. Without a readable exchange, the turn is
 * its answer alone (a missing or non-text answer counts as none).
 */
function storedTurnFrom(item: Record<string, unknown>): StoredTurn | undefined {
  const { user_message: userMessage, assistant_message: assistantMessage, window_start: windowStart } = item;
  if (typeof userMessage !== 'string' || userMessage.trim() === '') return undefined;
  const answer = typeof assistantMessage === 'string' ? assistantMessage : '';
  return {
    key: String(item[SessionTableKeys.sortKey]),
    userMessage,
    exchange:
      exchangeFromItem(item.exchange) ??
      (answer.trim() === '' ? [] : [{ role: 'assistant', content: [{ text: answer }] }]),
    ...(typeof windowStart === 'string' && { windowStart }),
  };
}
