import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import type { ImportedTableAttributes } from '../tables/import-table.js';
import { grantTableActions } from '../tables/table-grants.js';

/** DynamoDB actions the converse runtime uses on agent definitions: one GetItem per request. */
export const AGENT_DEFINITION_RUNTIME_ACTIONS: readonly string[] = ['dynamodb:GetItem'];

/** An agent-definition table, defined in this app or imported. */
export interface IAgentDefinitionTable extends IConstruct {
  /** The DynamoDB table. */
  readonly table: dynamodb.ITable;
  readonly tableName: string;
  readonly tableArn: string;
  /** Grants exactly {@link AGENT_DEFINITION_RUNTIME_ACTIONS} on the table (and decrypt on its key). */
  grantAgentRuntime(grantee: iam.IGrantable): iam.Grant;
}

/** An existing agent-definition table: its name or ARN, and its key when customer-managed. */
export type AgentDefinitionTableAttributes = ImportedTableAttributes;

/** The runtime's grant, shared by the table this app defines and an imported one. */
export abstract class AgentDefinitionTableBase extends Construct implements IAgentDefinitionTable {
  abstract readonly table: dynamodb.ITable;
  abstract readonly tableName: string;
  abstract readonly tableArn: string;

  grantAgentRuntime(grantee: iam.IGrantable): iam.Grant {
    return grantTableActions(this.table, grantee, AGENT_DEFINITION_RUNTIME_ACTIONS);
  }
}
