import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AgentTableKeys, agentDefinitionSchema, type AgentDefinition } from '../../contract/index.js';
import { MalformedAgentDefinitionError } from '../../platform/errors.js';

export { MalformedAgentDefinitionError };

export interface AgentDefinitionRepositoryOptions {
  readonly tableName: string;
  readonly documentClient: () => DynamoDBDocumentClient;
  /** How long a loaded definition is reused. @default 60 000 ms */
  readonly ttlMs?: number;
  /** Definitions kept at most; the least recently loaded goes first. @default 100 */
  readonly maxEntries?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

interface CacheEntry {
  readonly definition: AgentDefinition;
  readonly expiresAt: number;
}

/**
 * Agent definitions read from the agent-definition table, validated, and kept in the
 * module for a short while so warm invocations skip the GetItem. An edit to an item takes
 * effect within the TTL. Unknown agents are not cached, so a new agent works at once.
 */
export class AgentDefinitionRepository {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: AgentDefinitionRepositoryOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** The cached definition when it is still fresh, without any call. */
  cached(agentId: string): AgentDefinition | undefined {
    const entry = this.cache.get(agentId);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.cache.delete(agentId);
      return undefined;
    }
    return entry.definition;
  }

  /**
   * The agent's definition; `undefined` when the table has no such agent. `abortSignal`
   * cuts the read off.
   * @throws MalformedAgentDefinitionError when the item does not satisfy the schema
   */
  async get(
    agentId: string,
    { abortSignal }: { abortSignal?: AbortSignal } = {},
  ): Promise<AgentDefinition | undefined> {
    const cached = this.cached(agentId);
    if (cached !== undefined) return cached;

    const { Item } = await this.options
      .documentClient()
      .send(new GetCommand({ TableName: this.options.tableName, Key: { [AgentTableKeys.partitionKey]: agentId } }), {
        abortSignal,
      });
    if (Item === undefined) return undefined;

    const parsed = agentDefinitionSchema.safeParse(Item);
    if (!parsed.success) {
      throw new MalformedAgentDefinitionError(
        agentId,
        parsed.error.issues.map((issue) => `${issue.path.join('.') || 'item'}: ${issue.message}`),
        { cause: parsed.error },
      );
    }
    this.remember(agentId, parsed.data);
    return parsed.data;
  }

  private remember(agentId: string, definition: AgentDefinition): void {
    this.cache.delete(agentId);
    while (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
    this.cache.set(agentId, { definition, expiresAt: this.now() + this.ttlMs });
  }
}
