/**
 * Record metadata filters in a turn: the agent's own (per namespace, from its definition)
 * as RetrieveMemoryRecords takes them, and the filters the model may add to a `retrieve`,
 * which can only narrow it: every filter is added to each namespace's, the keys are the
 * agent's `tool_filter_keys`, and the namespaces searched stay the agent's.
 */
import type { MemoryMetadataFilterExpression, MemoryRecordMetadataValue } from '@aws-sdk/client-bedrock-agentcore';
import type { ToolSpecification } from '@aws-sdk/client-bedrock-runtime';
import * as z from 'zod/mini';
import {
  METADATA_FILTER_OPERATORS,
  RETRIEVE_METADATA_FILTERS_MAX,
  metadataFilterSchema,
  type MetadataFilterItem,
  type MetadataFilterValueItem,
} from '../../contract/index.js';
import type { NamespaceRetrievalConfig } from '../../session-manager/types.js';

/** A filter as RetrieveMemoryRecords' `searchCriteria.metadataFilters` takes it. */
export function memoryMetadataFilter({ key, operator, value }: MetadataFilterItem): MemoryMetadataFilterExpression {
  return {
    left: { metadataKey: key },
    operator,
    ...(value !== undefined && { right: { metadataValue: metadataValue(value) } }),
  };
}

function metadataValue(value: MetadataFilterValueItem): MemoryRecordMetadataValue {
  if (value.string_value !== undefined) return { stringValue: value.string_value };
  if (value.string_list_value !== undefined) return { stringListValue: value.string_list_value };
  if (value.number_value !== undefined) return { numberValue: value.number_value };
  return { dateTimeValue: new Date(value.date_time_value!) };
}

/** The `filters` of a retrieve as the model writes them, checked by the same rules as an agent's. */
export const modelFiltersSchema = z.optional(z.array(metadataFilterSchema));

/** A JSON schema as a Bedrock tool specification holds it. */
type JsonSchema = NonNullable<NonNullable<ToolSpecification['inputSchema']>['json']>;

/** The `filters` property of the tool's input schema, listing the keys the agent allows. */
export function filtersInputSchema(allowedKeys: readonly string[]): JsonSchema {
  return {
    type: 'array',
    description: `For retrieve, optional: only memories whose metadata matches every filter. Keys: ${allowedKeys.join(', ')}.`,
    items: {
      type: 'object',
      properties: {
        key: { type: 'string', enum: [...allowedKeys] },
        operator: { type: 'string', enum: [...METADATA_FILTER_OPERATORS] },
        value: {
          type: 'object',
          description:
            'One of string_value, string_list_value, number_value, date_time_value (ISO 8601); none for EXISTS and NOT_EXISTS.',
          properties: {
            string_value: { type: 'string' },
            string_list_value: { type: 'array', items: { type: 'string' } },
            number_value: { type: 'number' },
            date_time_value: { type: 'string' },
          },
        },
      },
      required: ['key', 'operator'],
    },
  };
}

/**
 * Why the model's filters are refused (the text the model reads), or `undefined` when they
 * fit: a key the agent does not allow, or more filters on a namespace than one
 * RetrieveMemoryRecords call accepts.
 */
export function modelFiltersRefusal(
  retrievalConfig: Readonly<Record<string, NamespaceRetrievalConfig>>,
  allowedKeys: readonly string[],
  modelFilters: readonly MetadataFilterItem[],
): string | undefined {
  const refusedKeys = modelFilters.map((filter) => filter.key).filter((key) => !allowedKeys.includes(key));
  if (refusedKeys.length > 0) {
    return allowedKeys.length === 0
      ? 'Invalid input: this agent takes no filters; retrieve with a query only.'
      : `Invalid input: filter keys must be among ${allowedKeys.join(', ')} (got ${[...new Set(refusedKeys)].join(', ')}).`;
  }
  const agentFilters = Math.max(
    0,
    ...Object.values(retrievalConfig).map((settings) => settings.metadataFilters?.length ?? 0),
  );
  if (agentFilters + modelFilters.length > RETRIEVE_METADATA_FILTERS_MAX) {
    return `Invalid input: at most ${RETRIEVE_METADATA_FILTERS_MAX - agentFilters} filters fit this agent's retrieval.`;
  }
  return undefined;
}

/** The agent's retrieval config with the model's filters added to every namespace's own. */
export function narrowedRetrievalConfig(
  retrievalConfig: Readonly<Record<string, NamespaceRetrievalConfig>>,
  modelFilters: readonly MetadataFilterItem[],
): Record<string, NamespaceRetrievalConfig> {
  const added = modelFilters.map(memoryMetadataFilter);
  const narrowed: Record<string, NamespaceRetrievalConfig> = {};
  for (const [template, settings] of Object.entries(retrievalConfig)) {
    const metadataFilters = [...(settings.metadataFilters ?? []), ...added];
    narrowed[template] = { ...settings, ...(metadataFilters.length > 0 && { metadataFilters }) };
  }
  return narrowed;
}
