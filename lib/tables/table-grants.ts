import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeNagRule } from '../nag/acknowledge.js';

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

/** The wildcard actions KMS's encrypt-and-decrypt grant holds. */
export const KEY_WILDCARD_ACTIONS: readonly string[] = ['kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * Acknowledges the wildcard key actions a write grant on a customer-managed table key gave
 * `role` (a role the package creates): they are KMS's own action families on one key ARN.
 */
export function acknowledgeTableKeyWildcards(role: iam.Role, table: dynamodb.ITable): void {
  if (table.encryptionKey === undefined) return;
  acknowledgeKeyWildcards(
    role,
    "The table's customer-managed key: DynamoDB encrypts and re-encrypts items with data keys of this one key (kms:GenerateDataKey*, kms:ReEncrypt* are KMS's action families for that), granted on the key's ARN alone.",
  );
}

/** Acknowledges {@link KEY_WILDCARD_ACTIONS} on the default policy of `role`, with `reason`. */
export function acknowledgeKeyWildcards(role: iam.IRole, reason: string, actions = KEY_WILDCARD_ACTIONS): void {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  for (const action of actions) {
    acknowledgeNagRule(policy, { id: 'AwsSolutions-IAM5', appliesTo: `Action::${action}`, reason });
  }
}
