import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import { SessionTableKeys } from '../../lambda/contract/index.js';
import { importTable, type ImportedTableAttributes } from '../tables/import-table.js';
import { grantTableActionsOn } from '../tables/table-grants.js';
import { secureTableProps } from '../tables/secure-table-props.js';

/**
 * DynamoDB actions the converse runtime's session store (`lambda/converse/sessions/store.ts`)
 * uses: one Query reads a session's owner and latest turns, a conditional UpdateItem claims
 * or refreshes the session's owner item, a conditional PutItem appends a turn, and a GetItem
 * tells another user's session from another agent's when that claim is refused.
 */
export const SESSION_RUNTIME_ACTIONS: readonly string[] = [
  'dynamodb:Query',
  'dynamodb:UpdateItem',
  'dynamodb:PutItem',
  'dynamodb:GetItem',
];

/**
 * DynamoDB actions forgetting a user takes on the session table: Query on the owner index
 * (every item of the user), Query on the table (each session's items, read consistently)
 * and DeleteItem, each on the condition that the item is still the user's.
 */
export const SESSION_FORGET_ACTIONS = {
  ownerIndex: ['dynamodb:Query'],
  table: ['dynamodb:Query', 'dynamodb:DeleteItem'],
} as const;

/** A session-history table, defined in this app or imported. */
export interface ISessionHistoryTable extends IConstruct {
  /** The DynamoDB table. */
  readonly table: dynamodb.ITable;
  readonly tableName: string;
  readonly tableArn: string;
  /**
   * Grants exactly {@link SESSION_RUNTIME_ACTIONS} on the table, not its owner index, which
   * the runtime never reads (and the key, when customer-managed).
   */
  grantSessionRuntime(grantee: iam.IGrantable): iam.Grant;
  /**
   * Grants exactly {@link SESSION_FORGET_ACTIONS}: Query and DeleteItem on the table,
   * Query on its owner index (and the key, when customer-managed).
   */
  grantForget(grantee: iam.IGrantable): iam.Grant;
}

/** An existing session-history table: its name or ARN, and its key when customer-managed. */
export type SessionHistoryTableAttributes = ImportedTableAttributes;

abstract class SessionHistoryTableBase extends Construct implements ISessionHistoryTable {
  abstract readonly table: dynamodb.ITable;
  abstract readonly tableName: string;
  abstract readonly tableArn: string;

  grantSessionRuntime(grantee: iam.IGrantable): iam.Grant {
    return grantTableActionsOn(this.table, grantee, SESSION_RUNTIME_ACTIONS, [this.tableArn]);
  }

  grantForget(grantee: iam.IGrantable): iam.Grant {
    const ownerIndexArn = `${this.tableArn}/index/${SessionTableKeys.ownerIndexName}`;
    return grantTableActionsOn(this.table, grantee, SESSION_FORGET_ACTIONS.table, [this.tableArn]).combine(
      grantTableActionsOn(this.table, grantee, SESSION_FORGET_ACTIONS.ownerIndex, [ownerIndexArn]),
    );
  }
}

export interface SessionHistoryTableProps {
  /**
   * What happens to the table when it is removed from the stack or replaced.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * DynamoDB deletion protection: the table cannot be deleted (by CloudFormation or
   * anyone) until it is turned off.
   * @default - on when the table is retained (any removal policy but DESTROY), off with DESTROY
   */
  readonly deletionProtection?: boolean;
  /**
   * Customer-managed KMS key for the table.
   * @default - encrypted with the AWS owned key DynamoDB manages
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The converse runtime's session history: partition key `session_id`, sort key `sk`,
 * items expire through TTL on `expires_at` (SessionTableKeys). On-demand, with
 * point-in-time recovery. A global secondary index on the owner (`by-owner`, keyed by
 * `user_id`, which every item carries, turn items included) lists every item of a user
 * for forgetting them without a scan, turn items whose owner item is gone included. It
 * projects only the keys: forgetting needs nothing else, and the index stays small. An
 * imported table must have it for `ForgetFunction`.
 */
export class SessionHistoryTable extends SessionHistoryTableBase {
  /** A table that exists already, for example one another stack or app deployed. */
  static fromSessionHistoryTableAttributes(
    scope: Construct,
    id: string,
    attributes: SessionHistoryTableAttributes,
  ): ISessionHistoryTable {
    return new ImportedSessionHistoryTable(scope, id, attributes);
  }

  readonly table: dynamodb.Table;
  readonly tableName: string;
  readonly tableArn: string;

  constructor(scope: Construct, id: string, props: SessionHistoryTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Resource', {
      partitionKey: { name: SessionTableKeys.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: SessionTableKeys.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: SessionTableKeys.timeToLiveAttribute,
      ...secureTableProps(props),
    });
    this.table.addGlobalSecondaryIndex({
      indexName: SessionTableKeys.ownerIndexName,
      partitionKey: { name: SessionTableKeys.ownerAttribute, type: dynamodb.AttributeType.STRING },
      // Session ids are the table's keys, projected into every index entry.
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.tableName = this.table.tableName;
    this.tableArn = this.table.tableArn;
  }
}

class ImportedSessionHistoryTable extends SessionHistoryTableBase {
  readonly table: dynamodb.ITable;
  readonly tableName: string;
  readonly tableArn: string;

  constructor(scope: Construct, id: string, attributes: SessionHistoryTableAttributes) {
    super(scope, id);
    this.table = importTable(this, attributes, 'SessionHistoryTable.fromSessionHistoryTableAttributes');
    this.tableName = this.table.tableName;
    this.tableArn = this.table.tableArn;
  }
}
