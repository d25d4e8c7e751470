import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AgentTableKeys, SessionTableKeys } from '../../../../lambda/contract/index.js';

/** Creates the agent-definition and session tables with the contract's keys (on dynalite). */
export async function createConverseTables(
  client: Pick<DynamoDBClient, 'send'>,
  names: { readonly agentTable: string; readonly sessionTable: string },
): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: names.agentTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: AgentTableKeys.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: AgentTableKeys.partitionKey, KeyType: 'HASH' }],
    }),
  );
  await client.send(
    new CreateTableCommand({
      TableName: names.sessionTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: SessionTableKeys.partitionKey, AttributeType: 'S' },
        { AttributeName: SessionTableKeys.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: SessionTableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: SessionTableKeys.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
}
