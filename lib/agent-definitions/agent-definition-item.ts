import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Token } from 'aws-cdk-lib';
import {
  AgentTableKeys,
  SYSTEM_RECORD_METADATA_KEYS,
  agentDefinitionSchema,
  type AgentDefinitionInput,
  type MetadataFilterItem,
} from '../../lambda/contract/index.js';
import type { IAgentMemory } from '../memory/agent-memory-base.js';
import { layoutErrors } from '../validation/namespace-templates.js';
import type { AgentDefinitionOptions, AgentMetadataFilter } from './agent-definition-options.js';

/** The item the converse runtime reads, built from `addAgent`'s options. */
export function agentDefinitionItem(
  options: AgentDefinitionOptions,
  guardrailArn: string | undefined,
): AgentDefinitionInput {
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
    const { perReply, perTurn, recordsPerTurn, forgetsPerTurn, concurrency } = options.toolLimits;
    item.tool_limits = {
      per_reply: perReply,
      per_turn: perTurn,
      records_per_turn: recordsPerTurn,
      forgets_per_turn: forgetsPerTurn,
      concurrency,
    };
  }
  if (options.memory) {
    const { metadataFilters, toolFilterKeys } = options.memoryFilters ?? {};
    const filters = metadataFilters?.map(metadataFilterItem);
    item.memory_feature = {
      enabled: true,
      memory_id: options.memory.memoryId,
      retrieval:
        filters === undefined
          ? options.memory.retrievalConfig
          : Object.fromEntries(
              Object.entries(options.memory.retrievalConfig).map(([template, settings]) => [
                template,
                { ...settings, metadata_filters: filters },
              ]),
            ),
      ...(options.persistConversation === undefined ? {} : { persist_conversation: options.persistConversation }),
      ...(options.memoryMode === undefined ? {} : { default_mode: options.memoryMode }),
      ...(toolFilterKeys === undefined ? {} : { tool_filter_keys: toolFilterKeys }),
    };
  }
  return item;
}

function metadataFilterItem({ key, operator, value }: AgentMetadataFilter): MetadataFilterItem {
  if (value === undefined) return { key, operator };
  return {
    key,
    operator,
    value: {
      string_value: value.stringValue,
      string_list_value: value.stringListValue,
      number_value: value.numberValue,
      date_time_value: value.dateTimeValue,
    },
  };
}

/** Every problem of the item, checked against the runtime's own schema and namespace layout. */
export function agentDefinitionErrors(options: AgentDefinitionOptions, item: AgentDefinitionInput): string[] {
  const memoryFiltersWithoutMemory =
    options.memoryFilters !== undefined && options.memory === undefined
      ? ['memoryFilters: needs memory (the filters apply to its records)']
      : [];
  return [
    ...memoryFiltersWithoutMemory,
    ...unindexedFilterKeyErrors(options),
    ...schemaErrors(item),
    ...retrievalLayoutErrors(options.memory),
  ];
}

/**
 * AgentCore filters records only on the memory's indexed keys and its own timestamps: a
 * filter on any other key fails every retrieve. Checked when the memory's keys are known.
 */
function unindexedFilterKeyErrors({ memory, memoryFilters }: AgentDefinitionOptions): string[] {
  const indexed = memory?.indexedKeys;
  if (indexed === undefined || memoryFilters === undefined) return [];
  const filterable = new Set<string>([...indexed, ...SYSTEM_RECORD_METADATA_KEYS]);
  const named = [
    ...(memoryFilters.metadataFilters ?? []).map(({ key }) => ({ key, field: 'memoryFilters.metadataFilters' })),
    ...(memoryFilters.toolFilterKeys ?? []).map((key) => ({ key, field: 'memoryFilters.toolFilterKeys' })),
  ];
  const allowed = [...filterable].join(', ');
  return named
    .filter(({ key }) => typeof key === 'string' && !Token.isUnresolved(key) && !filterable.has(key))
    .map(({ key, field }) => `${field}: '${key}' is not one of the memory's indexed keys (${allowed})`);
}

/**
 * The item in DynamoDB's AttributeValue form, for the writer's PutItem; options left out
 * are absent from it. The schema check has bounded every literal number; a number still a
 * token is a huge double here, which the marshaller would otherwise refuse.
 */
export function toDynamoDbItem(item: AgentDefinitionInput): Record<string, AttributeValue> {
  return marshall(item, { removeUndefinedValues: true, allowImpreciseNumbers: true });
}

/** Schema problems, ignoring values that are tokens (resolved only at deploy time). */
function schemaErrors(item: AgentDefinitionInput): string[] {
  const result = agentDefinitionSchema.safeParse(item);
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => !Token.isUnresolved(valueAt(item, issue.path)))
    .map((issue) => `${issue.path.join('.') || 'item'}: ${issue.message}`);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((current, key) => (current as Record<PropertyKey, unknown> | undefined)?.[key], value);
}

/**
 * The agent's retrieval templates and its memory's record templates, as one layout: the
 * converse function searches them all for one actor, so no actor's namespaces may cover
 * another's.
 */
function retrievalLayoutErrors(memory: IAgentMemory | undefined): string[] {
  if (memory === undefined) return [];
  return layoutErrors('memory_feature.retrieval', [...Object.keys(memory.retrievalConfig), ...memory.recordNamespaces]);
}
