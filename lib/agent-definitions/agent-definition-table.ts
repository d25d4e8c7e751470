import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { AgentTableKeys } from '../../lambda/contract/index.js';
import { packageFunction } from '../functions/package-function.js';
import { PACKAGE_ROOT, PACKAGED_ASSETS, RUNNING_FROM_PACKAGE } from '../runtime-assets.js';
import { acknowledgeTableKeyWildcards, grantTableActions } from '../tables/table-grants.js';
import { secureTableProps } from '../tables/secure-table-props.js';
import { throwIfInvalid } from '../validation/throw-if-invalid.js';
import { agentDefinitionErrors, agentDefinitionItem, toDynamoDbItem } from './agent-definition-item.js';
import type { AgentDefinitionOptions } from './agent-definition-options.js';
import {
  AgentDefinitionTableBase,
  type AgentDefinitionTableAttributes,
  type IAgentDefinitionTable,
} from './agent-definition-table-base.js';
import { grantGuardrail, guardrailArnOf } from './guardrail-grants.js';
import { ImportedAgentDefinitionTable } from './imported-agent-definition-table.js';

export interface AgentDefinitionTableProps {
  /**
   * What happens to the table when it is removed from the stack or replaced. It also
   * decides what happens to the items `addAgent` writes: only with `DESTROY` is an item
   * deleted when its agent is removed from the app or the stack is deleted; with any other
   * policy the items stay, like the rest of the table's data.
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
  /**
   * Retention of the log group of the table's own function that writes the items of
   * `addAgent` at deploy time.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly seedLogRetention?: logs.RetentionDays;
  /**
   * The runtime of the table's deploy-time writer function (plain CommonJS, tested on
   * Node.js 24). With the default under an aws-cdk-lib that offers a newer Node.js, the
   * latest-runtime findings are acknowledged for you; a runtime you set is yours to answer for.
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly agentWriterRuntime?: lambda.Runtime;
}

/**
 * The agent-definition table (partition key `agent_id`), on-demand with point-in-time
 * recovery. `addAgent` writes a definition at deploy time and rewrites it when its
 * inputs change.
 */
export class AgentDefinitionTable extends AgentDefinitionTableBase {
  /** A table that exists already, for example one another stack or app deployed. */
  static fromAgentDefinitionTableAttributes(
    scope: Construct,
    id: string,
    attributes: AgentDefinitionTableAttributes,
  ): IAgentDefinitionTable {
    return new ImportedAgentDefinitionTable(scope, id, attributes);
  }

  readonly table: dynamodb.Table;
  readonly tableName: string;
  readonly tableArn: string;
  private readonly agentIds = new Set<string>();
  /** Guardrails of the added agents, and the roles granted the runtime's access: each gets the other. */
  private readonly guardrailArns: string[] = [];
  private readonly runtimeGrantees: iam.IGrantable[] = [];
  private readonly agentOptions: AgentDefinitionOptions[] = [];
  /** Whether `addAgent` items are deleted with their custom resource (the table is not retained). */
  private readonly deleteItemsOnRemoval: boolean;
  private readonly seedLogRetention: logs.RetentionDays;
  private readonly agentWriterRuntime?: lambda.Runtime;

  constructor(scope: Construct, id: string, props: AgentDefinitionTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Resource', {
      partitionKey: { name: AgentTableKeys.partitionKey, type: dynamodb.AttributeType.STRING },
      ...secureTableProps(props),
    });
    this.deleteItemsOnRemoval = props.removalPolicy === RemovalPolicy.DESTROY;
    this.tableName = this.table.tableName;
    this.tableArn = this.table.tableArn;
    this.seedLogRetention = props.seedLogRetention ?? logs.RetentionDays.ONE_MONTH;
    this.agentWriterRuntime = props.agentWriterRuntime;
  }

  /** The agents `addAgent` added, so a converse function can check it serves them. */
  get definedAgents(): readonly AgentDefinitionOptions[] {
    return [...this.agentOptions];
  }

  /** GetItem on the table, and `bedrock:ApplyGuardrail` on every added agent's guardrail (added before or after). */
  override grantAgentRuntime(grantee: iam.IGrantable): iam.Grant {
    const grant = super.grantAgentRuntime(grantee);
    this.runtimeGrantees.push(grantee);
    for (const guardrailArn of this.guardrailArns) grantGuardrail(grantee, guardrailArn);
    return grant;
  }

  /**
   * Writes the agent's definition at deploy time (PutItem on create and on every change
   * of its inputs), through a small writer function of this table's own. When the table's
   * removal policy is `DESTROY`, the item is deleted when the agent is removed from the
   * app or the stack is deleted; otherwise it is kept, as the table's data is.
   */
  addAgent(options: AgentDefinitionOptions): CustomResource {
    const guardrailArn = options.guardrail && guardrailArnOf(this, options.guardrail.guardrail);
    const item = agentDefinitionItem(options, guardrailArn);
    const errors = agentDefinitionErrors(options, item);
    if (!Token.isUnresolved(options.agentId) && this.agentIds.has(options.agentId)) {
      errors.push(`agentId '${options.agentId}' is already added to this table; each agent needs its own id`);
    }
    throwIfInvalid(`agent definition '${options.agentId}' at ${this.node.path}`, errors);
    this.agentIds.add(options.agentId);
    if (guardrailArn !== undefined && !this.guardrailArns.includes(guardrailArn)) {
      this.guardrailArns.push(guardrailArn);
      for (const grantee of this.runtimeGrantees) grantGuardrail(grantee, guardrailArn);
    }
    this.agentOptions.push(options);

    const stack = Stack.of(this);
    return new CustomResource(
      this,
      `Agent${Token.isUnresolved(options.agentId) ? this.agentIds.size : options.agentId}`,
      {
        resourceType: 'Custom::AgentDefinition',
        serviceToken: this.agentWriter().functionArn,
        properties: {
          TableName: this.table.tableName,
          Key: stack.toJsonString({ [AgentTableKeys.partitionKey]: { S: options.agentId } }),
          Item: stack.toJsonString(toDynamoDbItem(item)),
          DeleteOnRemoval: String(this.deleteItemsOnRemoval),
        },
        // A retained table keeps its data on stack deletion, the written items included.
        removalPolicy: this.deleteItemsOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      },
    );
  }

  /** The function behind this table's agent definitions, created with the first one. */
  private agentWriter(): lambda.Function {
    const existing = this.node.tryFindChild('AgentWriter') as lambda.Function | undefined;
    if (existing) return existing;
    const purpose = `Writes the agent definitions of ${this.node.path} at deploy time`;
    const { function: writer, role } = packageFunction(this, {
      ids: { role: 'AgentWriterRole', logGroup: 'AgentWriterLogs', function: 'AgentWriter' },
      purpose,
      description: purpose,
      code: lambda.Code.fromInline(readFileSync(AGENT_WRITER_SOURCE, 'utf8')),
      handler: 'index.handler',
      runtime: this.agentWriterRuntime,
      memorySize: 256,
      timeout: Duration.minutes(2),
      logRetention: this.seedLogRetention,
      noDeadLetterQueueReason:
        'Deploy-time writer of agent definitions: CloudFormation waits for its response, and a failed write fails and rolls back the deployment, so no failure goes unseen without a dead-letter queue.',
      untracedReason:
        'Runs only during deployments for one DynamoDB call; its result is in the CloudFormation events and its own log group, so X-Ray traces would add nothing.',
    });
    grantTableActions(this.table, role, [
      'dynamodb:PutItem',
      ...(this.deleteItemsOnRemoval ? ['dynamodb:DeleteItem'] : []),
    ]);
    // The role's policy must be complete before the first write, not only before the function exists.
    writer.node.addDependency(role);
    acknowledgeTableKeyWildcards(role, this.table);
    return writer;
  }
}

/** The writer's source: plain CommonJS, deployed inline (no asset to publish). */
const AGENT_WRITER_SOURCE = RUNNING_FROM_PACKAGE
  ? path.join(PACKAGED_ASSETS, 'agent-definition-writer', 'index.js')
  : path.join(PACKAGE_ROOT, 'lambda', 'agent-definition-writer', 'index.js');
