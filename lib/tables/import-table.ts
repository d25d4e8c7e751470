import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** An existing table: its name or ARN (at least one), and its key when customer-managed. */
export interface ImportedTableAttributes {
  /**
   * The table's name.
   * @default - taken from `tableArn`
   */
  readonly tableName?: string;
  /**
   * The table's ARN.
   * @default - built from `tableName` in this stack's account and region
   */
  readonly tableArn?: string;
  /**
   * The table's customer-managed KMS key, so grants include its use.
   * @default - the table uses a key DynamoDB manages
   */
  readonly encryptionKey?: kms.IKey;
}

/** The existing table as a child `Resource` of `scope`; at least its name or ARN is required. */
export function importTable(scope: Construct, attributes: ImportedTableAttributes, caller: string): dynamodb.ITable {
  if (attributes.tableName === undefined && attributes.tableArn === undefined) {
    throw new Error(`${caller} at ${scope.node.path}: give tableName or tableArn of the existing table`);
  }
  return dynamodb.Table.fromTableAttributes(scope, 'Resource', {
    ...(attributes.tableName === undefined ? {} : { tableName: attributes.tableName }),
    ...(attributes.tableArn === undefined ? {} : { tableArn: attributes.tableArn }),
    ...(attributes.encryptionKey === undefined ? {} : { encryptionKey: attributes.encryptionKey }),
  });
}
