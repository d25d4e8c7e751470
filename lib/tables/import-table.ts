import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** How an existing table is named: by name, by ARN, or both; and its key. */
export interface ImportedTableAttributes {
  readonly tableName?: string;
  readonly tableArn?: string;
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
