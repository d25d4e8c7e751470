import type { Message } from '@aws-sdk/client-bedrock-runtime';
import { DYNAMODB_ITEM_MAX_BYTES, dynamoItemBytes, truncateToUtf8Bytes } from './item-size.js';
import { exchangeToStore } from './stored-exchange.js';

/**
 * A turn item never exceeds this, as DynamoDB counts it (a little under its 400 KB limit,
 * so a valid request never loses its turn to that limit).
 */
export const TURN_ITEM_MAX_BYTES = DYNAMODB_ITEM_MAX_BYTES - 4 * 1024;

/** Set on a turn item whose stored answer was cut to fit (the caller saw it whole). */
export const ANSWER_TRUNCATED_ATTRIBUTE = 'answer_truncated';
/** Set on a turn item whose stored exchange had some of its text cut to fit (each cut is marked in the text). */
export const EXCHANGE_TRUNCATED_ATTRIBUTE = 'exchange_truncated';
/** Set on a turn item whose exchange did not fit even cut: the turn is stored as its answer alone. */
export const EXCHANGE_DROPPED_ATTRIBUTE = 'exchange_dropped';

/**
 * The turn item: `fixed` (keys, the user's message, the other small attributes) with the
 * answer and the exchange, each given the room left, in that order: the answer the user
 * read first, cut at a character boundary only if it does not fit; then the exchange,
 * its texts cut or itself dropped. Every cut is marked on the item.
 */
export function turnItemWithin(
  fixed: Readonly<Record<string, unknown>>,
  answer: string,
  exchange: readonly Message[],
  maxBytes = TURN_ITEM_MAX_BYTES,
): Record<string, unknown> {
  // Room is kept for every marker the item may end up with (the exchange's longer one).
  const withoutAnswer = {
    ...fixed,
    assistant_message: '',
    [ANSWER_TRUNCATED_ATTRIBUTE]: true,
    exchange: '',
    [EXCHANGE_TRUNCATED_ATTRIBUTE]: true,
  };
  const storedAnswer = truncateToUtf8Bytes(answer, maxBytes - dynamoItemBytes(withoutAnswer));
  const answerTruncated = storedAnswer.length < answer.length;
  const withAnswer = {
    ...fixed,
    assistant_message: storedAnswer,
    ...(answerTruncated && { [ANSWER_TRUNCATED_ATTRIBUTE]: true }),
  };
  // The room the exchange's JSON may take, with the longer of its two markers counted.
  const exchangeRoom =
    maxBytes - dynamoItemBytes({ ...withAnswer, exchange: '', [EXCHANGE_TRUNCATED_ATTRIBUTE]: true });
  const stored = exchangeToStore(exchange, exchangeRoom);
  return {
    ...withAnswer,
    ...(stored.json !== undefined && { exchange: stored.json }),
    ...(stored.cut && { [EXCHANGE_TRUNCATED_ATTRIBUTE]: true }),
    ...(stored.dropped && { [EXCHANGE_DROPPED_ATTRIBUTE]: true }),
  };
}
