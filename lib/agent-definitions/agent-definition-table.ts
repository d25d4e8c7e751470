import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import {
  AgentTableKeys,
  agentDefinitionSchema,
  namespaceLayoutErrors,
  type AgentDefinitionInput,
  type BuiltInToolName,
  type CacheTtl,
  type MemoryMode,
} from '../../lambda/contract/index.js';
import type { IAgentMemory } from '../memory/agent-memory-base.js';
import { acknowledgeNagRule } from '../nag/acknowledge.js';
import { acknowledgeDefaultRuntime, DEFAULT_FUNCTION_RUNTIME } from '../nag/function-runtime.js';
import { PACKAGE_ROOT, PACKAGED_ASSETS, RUNNING_FROM_PACKAGE } from '../runtime-assets.js';
import { importTable, type ImportedTableAttributes } from '../tables/import-table.js';
import { acknowledgeTableKeyWildcards, grantTableActions } from '../tables/table-grants.js';

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

abstract class AgentDefinitionTableBase extends Construct implements IAgentDefinitionTable {
  abstract readonly table: dynamodb.ITable;
  abstract readonly tableName: string;
  abstract readonly tableArn: string;

  grantAgentRuntime(grantee: iam.IGrantable): iam.Grant {
    return grantTableActions(this.table, grantee, AGENT_DEFINITION_RUNTIME_ACTIONS);
  }
}

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

/** An agent definition as `addAgent` writes it (the item the converse runtime reads). */
export interface AgentDefinitionOptions {
  /** Partition key value; letters, digits, `-`, `_`, `.`, at most 64 characters. */
  readonly agentId: string;
  /** The system prompt every user of the agent shares. */
  readonly basePrompt: string;
  /** Bedrock model or inference profile id (or ARN) the agent calls. */
  readonly foundationModel: string;
  /**
   * The memory the agent uses: sets `memory_feature` to `enabled: true`, this memory's id
   * and its retrieval config.
   * @default - no `memory_feature`: the agent runs without memory
   */
  readonly memory?: IAgentMemory;
  /**
   * Whether each finished turn is written to AgentCore short-term memory.
   * @default - not written to the item; the runtime's default (true) applies
   */
  readonly persistConversation?: boolean;
  /**
   * The memory mode of a turn whose request names none: `learn` (its events are extracted
   * into long-term memory) or `incognito` (it may read memories, but nothing of it is learned).
   * @default - not written to the item; the runtime's default (`learn`) applies
   */
  readonly memoryMode?: MemoryMode;
  /**
   * How long Bedrock keeps the agent's cached prompt prefixes after their last use: `5m`,
   * or `1h` where the model accepts it (Anthropic Claude 4.5 and later).
   * @default - not written to the item; the runtime's default (`5m`) applies
   */
  readonly cacheTtl?: CacheTtl;
  /**
   * Built-in tools of the converse function the model may call, besides the memory tool.
   * @default - none
   */
  readonly tools?: BuiltInToolName[];
  /**
   * Bedrock inference settings of the agent.
   * @default - the model's own defaults
   */
  readonly inference?: AgentInferenceOptions;
  /**
   * A Bedrock guardrail every model call of the agent goes through (the item's `guardrail`).
   * The converse function's role is granted `bedrock:ApplyGuardrail` on exactly it.
   * @default - no guardrail
   */
  readonly guardrail?: AgentGuardrail;
  /**
   * How many tool uses a turn executes, which bounds the AgentCore calls a turn makes.
   * @default - not written to the item; the runtime's defaults apply (8 per reply, 12 per turn, 3 records, 4 at a time)
   */
  readonly toolLimits?: AgentToolLimits;
}

/** A Bedrock guardrail and the version an agent uses. */
export interface AgentGuardrail {
  /** The guardrail: a `CfnGuardrail` (or anything that references one), its ARN, or its id in this stack's account and region. */
  readonly guardrail: bedrock.IGuardrailRef | string;
  /** A published version (`'1'`, or a `CfnGuardrailVersion`'s `attrVersion`), or `'DRAFT'` for testing. */
  readonly version: string;
}

/** How many tool uses a turn of the agent executes (the item's `tool_limits`). */
export interface AgentToolLimits {
  /** Tool uses executed from one model reply, 1-32. @default 8 */
  readonly perReply?: number;
  /** Tool uses executed in one turn, 1-64, at least `perReply`. @default 12 */
  readonly perTurn?: number;
  /** Memory `record`s (AgentCore writes) in one turn, 0-10. @default 3 */
  readonly recordsPerTurn?: number;
  /** Tool uses of one reply running at the same time, 1-16. @default 4 */
  readonly concurrency?: number;
}

/** The Bedrock action a model call with a guardrail needs on the guardrail. */
export const GUARDRAIL_RUNTIME_ACTIONS: readonly string[] = ['bedrock:ApplyGuardrail'];

/** Bedrock Converse inference settings; each one left out keeps the model's default. */
export interface AgentInferenceOptions {
  /** @default - the model's default */
  readonly maxTokens?: number;
  /** @default - the model's default */
  readonly temperature?: number;
  /** @default - the model's default */
  readonly topP?: number;
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
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: props.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : undefined,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      deletionProtection: props.deletionProtection ?? props.removalPolicy !== RemovalPolicy.DESTROY,
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

  /**
   * Writes the agent's definition at deploy time (PutItem on create and on every change
   * of its inputs), through a small writer function of this table's own. When the table's
   * removal policy is `DESTROY`, the item is deleted when the agent is removed from the
   * app or the stack is deleted; otherwise it is kept, as the table's data is.
   */
  /** GetItem on the table, and `bedrock:ApplyGuardrail` on every added agent's guardrail (added before or after). */
  override grantAgentRuntime(grantee: iam.IGrantable): iam.Grant {
    const grant = super.grantAgentRuntime(grantee);
    this.runtimeGrantees.push(grantee);
    for (const guardrailArn of this.guardrailArns) grantGuardrail(grantee, guardrailArn);
    return grant;
  }

  addAgent(options: AgentDefinitionOptions): CustomResource {
    const guardrailArn = options.guardrail && guardrailArnOf(this, options.guardrail.guardrail);
    const item = agentDefinitionItem(options, guardrailArn);
    const errors = [...agentDefinitionErrors(item), ...retrievalLayoutErrors(options.memory)];
    if (!Token.isUnresolved(options.agentId) && this.agentIds.has(options.agentId)) {
      errors.push(`agentId '${options.agentId}' is already added to this table; each agent needs its own id`);
    }
    if (errors.length > 0) {
      throw new Error(
        `Invalid agent definition '${options.agentId}' at ${this.node.path}:\n  - ${errors.join('\n  - ')}`,
      );
    }
    this.agentIds.add(options.agentId);
    if (guardrailArn !== undefined && !this.guardrailArns.includes(guardrailArn)) {
      this.guardrailArns.push(guardrailArn);
      for (const grantee of this.runtimeGrantees) grantGuardrail(grantee, guardrailArn);
    }
    this.agentOptions.push(options);

    const stack = Stack.of(this);
    const definition = new CustomResource(
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
    return definition;
  }

  /** The function behind this table's agent definitions, created with the first one. */
  private agentWriter(): lambda.Function {
    const existing = this.node.tryFindChild('AgentWriter') as lambda.Function | undefined;
    if (existing) return existing;
    const role = new iam.Role(this, 'AgentWriterRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Writes the agent definitions of ${this.node.path} at deploy time`,
    });
    const logGroup = new logs.LogGroup(this, 'AgentWriterLogs', {
      retention: this.seedLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);
    grantTableActions(this.table, role, [
      'dynamodb:PutItem',
      ...(this.deleteItemsOnRemoval ? ['dynamodb:DeleteItem'] : []),
    ]);
    const writer = new lambda.Function(this, 'AgentWriter', {
      code: lambda.Code.fromInline(readFileSync(AGENT_WRITER_SOURCE, 'utf8')),
      handler: 'index.handler',
      runtime: this.agentWriterRuntime ?? DEFAULT_FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(2),
      role,
      logGroup,
      description: `Writes the agent definitions of ${this.node.path} at deploy time`,
    });
    // The role's policy must be complete before the first write, not only before the function exists.
    writer.node.addDependency(role);
    acknowledgeNagRule(writer, {
      id: 'Serverless-LambdaDLQ',
      reason:
        'Deploy-time writer of agent definitions: CloudFormation waits for its response, and a failed write fails and rolls back the deployment, so no failure goes unseen without a dead-letter queue.',
    });
    acknowledgeNagRule(writer, {
      id: 'Serverless-LambdaTracing',
      reason:
        'Runs only during deployments for one DynamoDB call; its result is in the CloudFormation events and its own log group, so X-Ray traces would add nothing.',
    });
    acknowledgeDefaultRuntime(writer, this.agentWriterRuntime);
    acknowledgeTableKeyWildcards(role, this.table);
    return writer;
  }
}

class ImportedAgentDefinitionTable extends AgentDefinitionTableBase {
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

/** The writer's source: plain CommonJS, deployed inline (no asset to publish). */
const AGENT_WRITER_SOURCE = RUNNING_FROM_PACKAGE
  ? path.join(PACKAGED_ASSETS, 'agent-definition-writer', 'index.js')
  : path.join(PACKAGE_ROOT, 'lambda', 'agent-definition-writer', 'index.js');

function agentDefinitionItem(options: AgentDefinitionOptions, guardrailArn: string | undefined): AgentDefinitionInput {
  const item: AgentDefinitionInput = {
    [AgentTableKeys.partitionKey]: options.agentId,
    base_prompt: options.basePrompt,
    foundation_model: options.foundationModel,
  };
  if (options.tools) item.tools = options.tools;
  if (options.cacheTtl !== undefined) item.cache_ttl = options.cacheTtl;
  if (options.inference) {
    item.inference = {
      max_tokens: options.inference.maxTokens,
      temperature: options.inference.temperature,
      top_p: options.inference.topP,
    };
  }
  if (options.guardrail) {
    const { guardrail, version } = options.guardrail;
    item.guardrail = { id: typeof guardrail === 'string' ? guardrail : guardrailArn!, version };
  }
  if (options.toolLimits) {
    const { perReply, perTurn, recordsPerTurn, concurrency } = options.toolLimits;
    item.tool_limits = {
      per_reply: perReply,
      per_turn: perTurn,
      records_per_turn: recordsPerTurn,
      concurrency,
    };
  }
  if (options.memory) {
    item.memory_feature = {
      enabled: true,
      memory_id: options.memory.memoryId,
      retrieval: options.memory.retrievalConfig,
      ...(options.persistConversation === undefined ? {} : { persist_conversation: options.persistConversation }),
      ...(options.memoryMode === undefined ? {} : { default_mode: options.memoryMode }),
    };
  }
  return item;
}

/**
 * The agent's retrieval templates and its memory's record templates, as one layout: the
 * converse function searches them all for one actor, so no actor's namespaces may cover
 * another's. Templates that are tokens are left out.
 */
function retrievalLayoutErrors(memory: IAgentMemory | undefined): string[] {
  if (memory === undefined) return [];
  const templates = [...Object.keys(memory.retrievalConfig), ...memory.recordNamespaces];
  return namespaceLayoutErrors(templates.filter((template) => !Token.isUnresolved(template))).map(
    (error) => `memory_feature.retrieval: ${error}`,
  );
}

/** Schema problems, ignoring values that are tokens (resolved only at deploy time). */
function agentDefinitionErrors(item: AgentDefinitionInput): string[] {
  const result = agentDefinitionSchema.safeParse(item);
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => !Token.isUnresolved(valueAt(item, issue.path)))
    .map((issue) => `${issue.path.join('.') || 'item'}: ${issue.message}`);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((current, key) => (current as Record<PropertyKey, unknown> | undefined)?.[key], value);
}

function toDynamoDbItem(item: AgentDefinitionInput): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(item)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, toAttributeValue(value)]),
  );
}

type AttributeValue =
  { S: string } | { N: string } | { BOOL: boolean } | { L: AttributeValue[] } | { M: Record<string, AttributeValue> };

/** Marshals a JSON value into DynamoDB's AttributeValue form for the PutItem call. */
function toAttributeValue(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map((element) => toAttributeValue(element)) };
  if (value !== null && typeof value === 'object') {
    return {
      M: Object.fromEntries(
        Object.entries(value)
          .filter(([, entry]) => entry !== undefined)
          .map(([key, entry]) => [key, toAttributeValue(entry)]),
      ),
    };
  }
  throw new Error(`cannot store ${String(value)} in an agent definition`);
}

/** The ARN `bedrock:ApplyGuardrail` is granted on: the construct's, the ARN given, or the id's in this stack. */
function guardrailArnOf(scope: Construct, guardrail: bedrock.IGuardrailRef | string): string {
  if (typeof guardrail !== 'string') return guardrail.guardrailRef.guardrailArn;
  if (Token.isUnresolved(guardrail) || guardrail.startsWith('arn:')) return guardrail;
  return Stack.of(scope).formatArn({ service: 'bedrock', resource: 'guardrail', resourceName: guardrail });
}

function grantGuardrail(grantee: iam.IGrantable, guardrailArn: string): void {
  iam.Grant.addToPrincipal({ grantee, actions: [...GUARDRAIL_RUNTIME_ACTIONS], resourceArns: [guardrailArn] });
}
