/**
 * The session-history table for forget tests: created as SessionHistoryTable defines it
 * (owner index included) in dynalite, and filled with items in the layout the converse
 * runtime writes: an owner item `~meta` and turn items, each carrying its owner `user_id`
 * (or, for items written before turn items carried it, without).
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SessionTableKeys } from '../../../lambda/contract/index.js';

export async function createSessionTable(dynamo: DynamoDBDocumentClient, TableName: string): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: SessionTableKeys.partitionKey, AttributeType: 'S' },
        { AttributeName: SessionTableKeys.sortKey, AttributeType: 'S' },
        { AttributeName: SessionTableKeys.ownerAttribute, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: SessionTableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: SessionTableKeys.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: SessionTableKeys.ownerIndexName,
          KeySchema: [{ AttributeName: SessionTableKeys.ownerAttribute, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
}

export interface HistoryLayout {
  /** Write the owner item `~meta`. @default true */
  readonly ownerItem?: boolean;
  /** Turn items carry `user_id`, as the runtime now writes them. @default true */
  readonly ownerOnTurns?: boolean;
}

/** Writes a session of `userId` with `turns` turn items; resolves the number of items written. */
export async function putSession(
  dynamo: DynamoDBDocumentClient,
  TableName: string,
  sessionId: string,
  userId: string,
  turns: number,
  { ownerItem = true, ownerOnTurns = true }: HistoryLayout = {},
): Promise<number> {
  const items: Record<string, unknown>[] = [];
  if (ownerItem) {
    items.push({ session_id: sessionId, sk: '~meta', user_id: userId, agent_id: 'default', expires_at: 4_000_000_000 });
  }
  for (let turn = 0; turn < turns; turn++) {
    items.push({
      session_id: sessionId,
      sk: `turn#2026-01-01T00:00:${String(turn).padStart(2, '0')}.000Z#request-${turn}`,
      user_message: 'hello',
      assistant_message: 'hi',
      expires_at: 4_000_000_000,
      ...(ownerOnTurns && { user_id: userId }),
    });
  }
  for (let start = 0; start < items.length; start += 25) {
    await dynamo.send(
      new BatchWriteCommand({
        RequestItems: { [TableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
  return items.length;
}

/** Every item of the table, as `session_id/sk`. */
export async function allItems(dynamo: DynamoDBDocumentClient, TableName: string): Promise<string[]> {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName }));
  return Items.map((item) => `${item.session_id}/${item.sk}`).sort();
}
