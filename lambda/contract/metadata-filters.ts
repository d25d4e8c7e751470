/**
 * Filters on long-term records' metadata, as an agent definition stores them
 * (`memory_feature.retrieval[template].metadata_filters`, snake_case) and as the memory
 * tool's `retrieve` takes them from the model: one shape, one validator, AgentCore's limits
 * from its API reference (`searchCriteria.metadataFilters` of RetrieveMemoryRecords).
 */
// zod/mini: the same validation as zod's classic API, tree-shaken to a fraction of its size.
import * as z from 'zod/mini';
import {
  EVENT_METADATA_CHARACTERS,
  EVENT_METADATA_KEY_MAX_LENGTH,
  METADATA_STRING_LIST_MAX_ITEMS,
  METADATA_STRING_LIST_VALUE_MAX_LENGTH,
  METADATA_STRING_VALUE_MAX_LENGTH,
  RETRIEVE_METADATA_FILTERS_MAX,
} from './limits.js';

/**
 * Keys AgentCore keeps on every long-term record, which a filter may name without the
 * memory declaring them as indexed keys. Any other key must be one of the memory's
 * indexed keys.
 */
export const SYSTEM_RECORD_METADATA_KEYS = [
  'x-amz-agentcore-memory-createdAt',
  'x-amz-agentcore-memory-updatedAt',
] as const;

/** The operators RetrieveMemoryRecords accepts in a metadata filter. */
export const METADATA_FILTER_OPERATORS = [
  'EQUALS_TO',
  'EXISTS',
  'NOT_EXISTS',
  'BEFORE',
  'AFTER',
  'CONTAINS',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUALS',
  'LESS_THAN',
  'LESS_THAN_OR_EQUALS',
] as const;
export type MetadataFilterOperator = (typeof METADATA_FILTER_OPERATORS)[number];

/** Operators that test a key's presence and take no value. */
const PRESENCE_OPERATORS: readonly MetadataFilterOperator[] = ['EXISTS', 'NOT_EXISTS'];

function isMetadataText(text: unknown, maxLength: number): boolean {
  return (
    typeof text === 'string' && text.length >= 1 && text.length <= maxLength && EVENT_METADATA_CHARACTERS.test(text)
  );
}

/** A metadata key: 1-128 letters, digits, spaces and `._:/=+@-`. */
export function isMetadataKey(key: unknown): key is string {
  return isMetadataText(key, EVENT_METADATA_KEY_MAX_LENGTH);
}

export const metadataKeySchema = z.string().check(
  z.refine(isMetadataKey, {
    message: `must be 1-${EVENT_METADATA_KEY_MAX_LENGTH} letters, digits, spaces and ._:/=+@- (an AgentCore metadata key)`,
  }),
);

/** The value a filter compares with: exactly one member, as RetrieveMemoryRecords' `metadataValue`. */
export const metadataFilterValueSchema = z.object({
  string_value: z.optional(z.string()),
  string_list_value: z.optional(z.array(z.string())),
  number_value: z.optional(z.number()),
  /** An ISO 8601 date and time, such as `2026-01-31T00:00:00Z`. */
  date_time_value: z.optional(z.string()),
});
export type MetadataFilterValueItem = z.infer<typeof metadataFilterValueSchema>;

/** One filter on records' metadata: `{ key, operator, value }` (no value for EXISTS and NOT_EXISTS). */
export const metadataFilterSchema = z
  .object({
    key: metadataKeySchema,
    operator: z.enum(METADATA_FILTER_OPERATORS),
    value: z.optional(metadataFilterValueSchema),
  })
  .check(
    z.superRefine((filter, context) => {
      for (const message of metadataFilterValueErrors(filter.operator, filter.value)) {
        context.addIssue({ code: 'custom', message, path: ['value'], input: filter.value });
      }
    }),
  );
export type MetadataFilterItem = z.infer<typeof metadataFilterSchema>;

/** Filters one retrieval applies together (every one must match): 1-5. */
export const metadataFiltersSchema = z.array(metadataFilterSchema).check(
  z.minLength(1),
  z.maxLength(RETRIEVE_METADATA_FILTERS_MAX, {
    message: `at most ${RETRIEVE_METADATA_FILTERS_MAX} filters (what RetrieveMemoryRecords accepts)`,
  }),
);

/** Every problem of a filter's value for its operator. */
export function metadataFilterValueErrors(
  operator: MetadataFilterOperator,
  value: MetadataFilterValueItem | undefined,
): string[] {
  if (PRESENCE_OPERATORS.includes(operator)) {
    return value === undefined ? [] : [`${operator} takes no value`];
  }
  if (value === undefined) return [`${operator} needs a value`];
  const members = Object.entries(value).filter(([, member]) => member !== undefined);
  if (members.length !== 1) {
    return ['must hold exactly one of string_value, string_list_value, number_value, date_time_value'];
  }
  const [name, member] = members[0];
  switch (name) {
    case 'string_value':
      return isMetadataText(member, METADATA_STRING_VALUE_MAX_LENGTH)
        ? []
        : [`string_value must be 1-${METADATA_STRING_VALUE_MAX_LENGTH} letters, digits, spaces and ._:/=+@-`];
    case 'string_list_value': {
      const list = member as string[];
      const [itemsMax, itemMaxLength] = [METADATA_STRING_LIST_MAX_ITEMS, METADATA_STRING_LIST_VALUE_MAX_LENGTH];
      return list.length >= 1 && list.length <= itemsMax && list.every((text) => isMetadataText(text, itemMaxLength))
        ? []
        : [
            `string_list_value must hold 1-${itemsMax} strings of 1-${itemMaxLength} letters, digits, spaces and ._:/=+@-`,
          ];
    }
    case 'number_value':
      return Number.isFinite(member) ? [] : ['number_value must be a finite number'];
    default:
      return isIsoDateTime(member as string)
        ? []
        : ['date_time_value must be an ISO 8601 date and time, such as 2026-01-31T00:00:00Z'];
  }
}

const ISO_DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function isIsoDateTime(text: string): boolean {
  return ISO_DATE_TIME_PATTERN.test(text) && !Number.isNaN(Date.parse(text));
}
