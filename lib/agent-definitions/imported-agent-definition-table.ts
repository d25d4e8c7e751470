import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { importTable } from '../tables/import-table.js';
import { AgentDefinitionTableBase, type AgentDefinitionTableAttributes } from './agent-definition-table-base.js';

/** An agent-definition table another stack or app deployed. */
export class ImportedAgentDefinitionTable extends AgentDefinitionTableBase {
  readonly table: dynamodb.ITable;
  readonly tableName: string;
  readonly tableArn: string;

  constructor(scope: Construct, id: string, attributes: AgentDefinitionTableAttributes) {
    super(scope, id);
    this.table = importTable(this, attributes, 'AgentDefinitionTable.fromAgentDefinitionTableAttributes');
    this.tableName = this.table.tableName;
    this.tableArn = this.table.tableArn;
  }
}
