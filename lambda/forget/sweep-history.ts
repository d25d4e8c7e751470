/**
 * Session history in DynamoDB. Every item carries its owner, so the owner index
 * lists all of the user's items, turn items whose owner item is gone included. Each session
 * found is read again with a consistent Query, which also finds turn items written before
 * items carried their owner, in sessions whose owner item is the user's. Each item is
 * deleted on the condition that it is still the user's, so a stale index entry never
 * deletes another user's item and a miss is counted as already gone.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { SessionTableKeys } from '../contract/index.js';
import { type ForgetCalls, forEachConcurrently } from './calls.js';
import type { RemovalTally } from './tally.js';

/** DeleteItem calls in flight at once. */
const DELETE_CONCURRENCY = 8;

export interface HistorySweepScope {
  readonly userId: string;
  readonly tableName: string;
  readonly dynamo: DynamoDBDocumentClient;
  readonly calls: ForgetCalls;
  readonly tally: RemovalTally;
  readonly dryRun: boolean;
}

/** An item to delete: its sort key, and whether it carries the owner (items written before it did do not). */
interface HistoryItem {
  readonly sortKey: string;
  readonly hasOwner: boolean;
}

const { partitionKey, sortKey, ownerAttribute, ownerIndexName, ownerItemSortKey } = SessionTableKeys;

export async function sweepHistory(scope: HistorySweepScope): Promise<void> {
  const { userId, tableName: TableName, dynamo, calls } = scope;
  // The index projects the table's keys: one Query lists every item of the user, never a scan.
  const indexed = await calls.listAll(
    'Query',
    `index ${ownerIndexName}`,
    ({ startingToken, withCommand }) =>
      paginateQuery(
        { client: dynamo, startingToken, withCommand },
        {
          TableName,
          IndexName: ownerIndexName,
          KeyConditionExpression: '#owner = :userId',
          ExpressionAttributeNames: { '#owner': ownerAttribute },
          ExpressionAttributeValues: { ':userId': userId },
        },
      ),
    (page) => ({ items: (page.Items ?? []).map((item) => String(item[partitionKey])), next: page.LastEvaluatedKey }),
  );
  for (const sessionId of new Set(indexed.items)) await sweepSession(scope, sessionId);
}

/** Reads the session consistently, picks the user's items, deletes them (turn items first, the owner item last). */
async function sweepSession(scope: HistorySweepScope, sessionId: string): Promise<void> {
  const { userId, tableName: TableName, dynamo, calls, tally } = scope;
  const read = await calls.listAll(
    'Query',
    `session ${sessionId}`,
    ({ startingToken, withCommand }) =>
      paginateQuery(
        { client: dynamo, startingToken, withCommand },
        {
          TableName,
          KeyConditionExpression: '#pk = :sessionId',
          ProjectionExpression: '#pk, #sk, #owner',
          ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey, '#owner': ownerAttribute },
          ExpressionAttributeValues: { ':sessionId': sessionId },
          ConsistentRead: true,
        },
      ),
    (page) => ({ items: page.Items ?? [], next: page.LastEvaluatedKey }),
  );
  const ownerItem = read.items.find((item) => item[sortKey] === ownerItemSortKey);
  const ownedSession = ownerItem?.[ownerAttribute] === userId;
  const items = read.items.flatMap((item): HistoryItem[] => {
    const owner: unknown = item[ownerAttribute];
    if (owner === userId) return [{ sortKey: String(item[sortKey]), hasOwner: true }];
    // An item without an owner predates owners on every item: it is the owner item's user's.
    if (owner === undefined && ownedSession) return [{ sortKey: String(item[sortKey]), hasOwner: false }];
    return [];
  });
  const turns = items.filter((item) => item.sortKey !== ownerItemSortKey);
  const owner = items.filter((item) => item.sortKey === ownerItemSortKey);
  let cleared = read.complete;
  // The owner item last, and only once every turn item is gone: while any turn item
  // remains, the owner item keeps the session the user's, so nobody else can claim it.
  for (const group of [turns, owner]) {
    if (!cleared && group === owner) break;
    await forEachConcurrently(group, DELETE_CONCURRENCY, async (item) => {
      if (!(await deleteItem(scope, sessionId, item))) cleared = false;
    });
  }
  if (cleared && items.length > 0) tally.sessionCleared('historySessions', sessionId);
}

/** Resolves false when the item may still be there. */
async function deleteItem(scope: HistorySweepScope, sessionId: string, item: HistoryItem): Promise<boolean> {
  const { userId, tableName, dynamo, calls, tally } = scope;
  const id = `${sessionId}\u0000${item.sortKey}`;
  if (scope.dryRun) {
    tally.removedOne('historyItems', id, sessionId);
    return true;
  }
  const outcome = await calls.send(
    'DeleteItem',
    `item ${item.sortKey} of session ${sessionId}`,
    () =>
      dynamo.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { [partitionKey]: sessionId, [sortKey]: item.sortKey },
          ConditionExpression: item.hasOwner
            ? '#owner = :userId'
            : 'attribute_exists(#sk) AND attribute_not_exists(#owner)',
          ExpressionAttributeNames: item.hasOwner
            ? { '#owner': ownerAttribute }
            : { '#sk': sortKey, '#owner': ownerAttribute },
          ...(item.hasOwner && { ExpressionAttributeValues: { ':userId': userId } }),
        }),
      ),
    (error) =>
      error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException',
  );
  if (outcome.status === 'done') tally.removedOne('historyItems', id, sessionId);
  else if (outcome.status === 'gone') tally.goneOne('historyItems', id);
  return outcome.status !== 'failed';
}
