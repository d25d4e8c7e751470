import type { Message } from '@aws-sdk/client-bedrock-runtime';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import { SessionTableKeys } from '../../contract/index.js';
import { SessionBoundToAnotherAgentError, SessionOwnedByAnotherUserError } from '../../platform/errors.js';
import type { StoredTurn } from '../history/stored-turn.js';
import { HISTORY_MAX_TURNS } from '../history/window.js';
import { exchangeFromItem } from './stored-exchange.js';
import { turnItemWithin } from './turn-item.js';

export type { StoredTurn } from '../history/stored-turn.js';

/**
 * Turns read per request at most: a history window holds at most {@link HISTORY_MAX_TURNS}
 * turns, and one more turn may have been stored since the window was chosen.
 */
export const LOADED_TURNS_MAX = HISTORY_MAX_TURNS + 1;

/** Days a session is kept after its last turn (DynamoDB TTL). */
export const SESSION_TTL_DAYS = 30;

/**
 * Item layout, all under the session's partition key, every item carrying its owner (the
 * key and attribute names are the contract's `SessionTableKeys`):
 * - the owner item (`ownerItemSortKey`): the owner, the agent the session is bound to
 *   (`agent_id`), `created_at`. Its key sorts after every turn key, so a descending Query
 *   returns it first, then the newest turns.
 * - `turn#<ISO time>#<request id>`: one finished turn: the user's message as typed, the
 *   answer, the turn's tool exchanges when it had any (`exchange`, JSON), and where its
 *   history window started (`window_start`); the item stays under DynamoDB's item limit
 *   (see `turn-item.ts`). The key is unique per request, so two racing turns of one
 *   session are two items and neither overwrites the other.
 */
const TURN_SORT_KEY_PREFIX = 'turn#';

/**
 * What a session is to the caller: theirs (with its turns), another user's (`forbidden`), or
 * theirs but started with another agent (`otherAgent`). Only an owned session's turns are returned.
 */
export type SessionLookup =
  | { readonly status: 'owned'; readonly turns: StoredTurn[] }
  | { readonly status: 'forbidden' }
  | { readonly status: 'otherAgent' };

/** Who a request acts as: the session is bound to one user and one agent. */
export interface SessionParty {
  readonly userId: string;
  readonly agentId: string;
}

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

/** `abortSignal` cuts the DynamoDB call off; `requestTimeout` (ms) replaces the client's own wait for one attempt. */
export interface DynamoCallOptions {
  readonly abortSignal?: AbortSignal;
  readonly requestTimeout?: number;
}

export { SessionBoundToAnotherAgentError, SessionOwnedByAnotherUserError };

/** What a caller is told when it continues a session with another agent than the one that started it. */
export function sessionOfAnotherAgentMessage(sessionId: string, agentId: string): string {
  return `session '${sessionId}' was started with another agent and cannot be continued with agent '${agentId}'; start a new session`;
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
  async load(sessionId: string, party: SessionParty, options: DynamoCallOptions = {}): Promise<SessionLookup> {
    // DynamoDB deletes expired items lazily; an expired item is already gone for us.
    const nowSeconds = this.epochSeconds(this.now());
    const isLive = (item: Record<string, unknown>) => {
      const expiresAt = item[SessionTableKeys.timeToLiveAttribute];
      return typeof expiresAt !== 'number' || expiresAt > nowSeconds;
    };
    let metadata: Record<string, unknown> | undefined;
    const newestFirst: Record<string, unknown>[] = [];
    let windowStart: unknown;
    const pages = paginateQuery(
      { client: this.documentClient(), pageSize: LOADED_TURNS_MAX + 1 },
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :sessionId',
        ExpressionAttributeNames: { '#pk': SessionTableKeys.partitionKey },
        ExpressionAttributeValues: { ':sessionId': sessionId },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      options,
    );
    for await (const page of pages) {
      for (const item of (page.Items ?? []).filter(isLive)) {
        const sortKey = String(item[SessionTableKeys.sortKey]);
        const owner: unknown = item[SessionTableKeys.ownerAttribute];
        // A turn item names its owner too: without the owner item (removed while a turn item
        // stayed) the session is still that user's, never another's to read or claim.
        if (owner !== undefined && owner !== party.userId) return { status: 'forbidden' };
        if (sortKey === SessionTableKeys.ownerItemSortKey) {
          metadata = item;
        } else if (sortKey.startsWith(TURN_SORT_KEY_PREFIX) && newestFirst.length < LOADED_TURNS_MAX) {
          if (newestFirst.length === 0) windowStart = item.window_start;
          newestFirst.push(item);
        }
      }
      if (metadata !== undefined) {
        if (metadata[SessionTableKeys.ownerAttribute] !== party.userId) return { status: 'forbidden' };
        if (!isBoundTo(metadata, party.agentId)) return { status: 'otherAgent' };
      }
      // Enough read: the turns fill the window, or reach back to where the newest one's started.
      if (
        newestFirst.length >= LOADED_TURNS_MAX ||
        newestFirst.some((item) => item[SessionTableKeys.sortKey] === windowStart)
      ) {
        break;
      }
    }

    const turns = newestFirst.reverse().flatMap((item) => storedTurnFrom(item) ?? []);
    return { status: 'owned', turns };
  }

  /**
   * Stores a finished turn. The metadata item is written first, on condition that the
   * session is new, expired, or already this user's with this agent; only then is the turn
   * written, so a session's turns always belong to its owner and its agent. Racing turns of
   * the owner both pass the condition and write distinct items.
   * @throws SessionOwnedByAnotherUserError when another user owns the session
   * @throws SessionBoundToAnotherAgentError when the session was started with another agent
   */
  async saveTurn(turn: TurnToSave, options: DynamoCallOptions = {}): Promise<void> {
    const now = this.now();
    const expiresAt = this.epochSeconds(now) + SESSION_TTL_DAYS * 24 * 3600;
    await this.claimSession(turn, now, expiresAt, options);
    const fixed = {
      [SessionTableKeys.partitionKey]: turn.sessionId,
      [SessionTableKeys.sortKey]: `${TURN_SORT_KEY_PREFIX}${turn.receivedAt.toISOString()}#${turn.requestId}`,
      [SessionTableKeys.ownerAttribute]: turn.userId,
      agent_id: turn.agentId,
      user_message: turn.userMessage,
      window_start: turn.windowStart,
      stop_reason: turn.stopReason,
      ...(turn.incomplete === true && { incomplete: true }),
      created_at: turn.receivedAt.toISOString(),
      [SessionTableKeys.timeToLiveAttribute]: expiresAt,
    };
    try {
      await this.documentClient().send(
        new PutCommand({
          TableName: this.tableName,
          Item: turnItemWithin(fixed, turn.assistantMessage, turn.exchange),
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

  /**
   * Writes the owner item on condition that the session is new, expired, or already this
   * user's with this agent; a racing request that created it first with another user or
   * agent makes this one fail, naming which.
   */
  private async claimSession(turn: TurnToSave, now: Date, expiresAt: number, options: DynamoCallOptions) {
    const key = {
      [SessionTableKeys.partitionKey]: turn.sessionId,
      [SessionTableKeys.sortKey]: SessionTableKeys.ownerItemSortKey,
    };
    try {
      await this.documentClient().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression:
            'attribute_not_exists(#sk) OR #expiresAt <= :nowSeconds OR (#owner = :userId AND (#agent = :agentId OR attribute_not_exists(#agent)))',
          UpdateExpression:
            'SET #owner = :userId, #agent = :agentId, created_at = if_not_exists(created_at, :now), updated_at = :now, #expiresAt = :expiresAt',
          ExpressionAttributeNames: {
            '#sk': SessionTableKeys.sortKey,
            '#owner': SessionTableKeys.ownerAttribute,
            '#agent': 'agent_id',
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
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item: owner } = await this.documentClient().send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
        options,
      );
      if (owner?.[SessionTableKeys.ownerAttribute] === turn.userId) {
        throw new SessionBoundToAnotherAgentError(turn.sessionId, { cause: error });
      }
      throw new SessionOwnedByAnotherUserError(turn.sessionId, { cause: error });
    }
  }

  private epochSeconds(date: Date): number {
    return Math.floor(date.getTime() / 1000);
  }
}

/** True when the owner item names `agentId`, or no agent (an item written before sessions were bound to one). */
function isBoundTo(metadata: Record<string, unknown>, agentId: string): boolean {
  return metadata.agent_id === undefined || metadata.agent_id === agentId;
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
