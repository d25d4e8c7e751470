import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

/** DynamoDB actions that only read items: with a customer-managed key they need decrypt alone. */
const READ_ONLY_ACTIONS = new Set([
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:TransactGetItems',
  'dynamodb:ConditionCheckItem',
]);

/**
 * Grants exactly `actions` on the table, and the use of its customer-managed key when it
 * has one: decrypt when every action only reads, encrypt and decrypt otherwise.
 */
export function grantTableActions(
  table: dynamodb.ITable,
  grantee: iam.IGrantable,
  actions: readonly string[],
): iam.Grant {
  grantKeyFor(table, grantee, actions);
  return table.grant(grantee, ...actions);
}

/**
 * Grants exactly `actions` on exactly `resourceArns` (the table's, an index's), and the use
 * of its key as above. Unlike `table.grant`, which adds every index of a table that has
 * one, this never reaches an index the grantee does not query.
 */
export function grantTableActionsOn(
  table: dynamodb.ITable,
  grantee: iam.IGrantable,
  actions: readonly string[],
  resourceArns: readonly string[],
): iam.Grant {
  grantKeyFor(table, grantee, actions);
  return iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [...resourceArns] });
}

function grantKeyFor(table: dynamodb.ITable, grantee: iam.IGrantable, actions: readonly string[]): void {
  if (actions.every((action) => READ_ONLY_ACTIONS.has(action))) table.encryptionKey?.grantDecrypt(grantee);
  else table.encryptionKey?.grantEncryptDecrypt(grantee);
}
