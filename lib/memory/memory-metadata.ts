import type * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import type { METADATA_EXTRACTION_TYPES, METADATA_VALUE_TYPES } from '../../lambda/contract/index.js';

/** The type of a metadata value: one string, a list of strings, or a number. */
export type AgentMemoryMetadataType = (typeof METADATA_VALUE_TYPES)[number];

/**
 * How a record's metadata value is filled in: `LLM_INFERRED` has the extraction model read
 * it from the conversation; `STRICTLY_CONSISTENT` copies the value of the same key from
 * the event's metadata, unchanged.
 */
export type AgentMemoryMetadataExtraction = (typeof METADATA_EXTRACTION_TYPES)[number];

/**
 * A metadata key the memory indexes, so that RetrieveMemoryRecords can filter records on
 * it. AgentCore adds indexed keys but never removes one.
 */
export interface AgentMemoryIndexedKey {
  /** The key: 1-128 letters, digits, white space and `._:/=+@-`. */
  readonly key: string;
  /** The type of its values. */
  readonly type: AgentMemoryMetadataType;
}

/** One metadata field of the long-term records a strategy writes. */
export interface AgentMemoryMetadataField {
  /**
   * The key: 1-128 letters, digits, white space and `._:/=+@-`. Index it (`indexedKeys`,
   * same type) to filter records on it.
   */
  readonly key: string;
  /** The type of its values. */
  readonly type: AgentMemoryMetadataType;
  /** Where the value comes from: the extraction model, or the event's metadata. */
  readonly extraction: AgentMemoryMetadataExtraction;
  /**
   * What the field means, for the extraction model: 1-1,000 characters. Required with
   * `LLM_INFERRED`, refused with `STRICTLY_CONSISTENT`.
   * @default - none (only with `STRICTLY_CONSISTENT`)
   */
  readonly definition?: string;
  /**
   * How the model picks the value (a built-in operator such as `LATEST_VALUE`, or words):
   * 1-1,000 characters; `LLM_INFERRED` only.
   * @default - the model decides from `definition` alone
   */
  readonly instruction?: string;
  /**
   * The only values the model may give a `STRING` field, or each item of a `STRINGLIST`
   * field: 1-10 values (a string at most 256 characters, a list item at most 64);
   * `LLM_INFERRED` only. Required for a `STRING` field that sets any validation.
   * @default - any value
   */
  readonly allowedValues?: string[];
  /**
   * Most items of a `STRINGLIST` field, 1-5; `LLM_INFERRED` only.
   * @default - no limit but AgentCore's own
   */
  readonly maxItems?: number;
  /**
   * Least value of a `NUMBER` field; `LLM_INFERRED` only.
   * @default - no lower bound
   */
  readonly minValue?: number;
  /**
   * Greatest value of a `NUMBER` field; `LLM_INFERRED` only.
   * @default - no upper bound
   */
  readonly maxValue?: number;
}

/**
 * A custom namespace variable: `{key}` in a namespace template, its value sent with each
 * event (CreateEvent's `extractionConfig.namespaceVariables`). It fills a whole segment
 * after `{actorId}`, so one actor's namespaces never cover another's.
 */
export interface AgentMemoryNamespaceKey {
  /** The variable's name: 1-32 lowercase letters and digits, starting with a letter; not a built-in variable. */
  readonly key: string;
  /**
   * The only values AgentCore accepts for it: 1-10 values, each 1-64 lowercase letters,
   * digits, `-` and `_`, starting with a letter or digit.
   * @default - any value of that form
   */
  readonly allowedValues?: string[];
  /**
   * A regular expression each value must match as well (1-64 characters).
   * @default - no pattern
   */
  readonly regexPattern?: string;
}

/** A strategy's `memoryRecordSchema` in CloudFormation's fields. */
export function renderMetadataSchema(
  fields: readonly AgentMemoryMetadataField[],
): agentcore.CfnMemory.MemoryRecordSchemaProperty {
  return { metadataSchema: fields.map(renderField) };
}

function renderField(field: AgentMemoryMetadataField): agentcore.CfnMemory.MetadataSchemaEntryProperty {
  return {
    key: field.key,
    type: field.type,
    extractionType: field.extraction,
    ...(field.definition !== undefined && {
      extractionConfig: {
        llmExtractionConfig: {
          definition: field.definition,
          ...(field.instruction !== undefined && { llmExtractionInstruction: field.instruction }),
          ...(hasValidation(field) && { validation: renderValidation(field) }),
        },
      },
    }),
  };
}

/** Whether the field sets any rule its extracted values must follow. */
function hasValidation(field: AgentMemoryMetadataField): boolean {
  return [field.allowedValues, field.maxItems, field.minValue, field.maxValue].some((rule) => rule !== undefined);
}

function renderValidation(field: AgentMemoryMetadataField): agentcore.CfnMemory.ValidationProperty {
  switch (field.type) {
    case 'STRING':
      return { stringValidation: { allowedValues: field.allowedValues ?? [] } };
    case 'STRINGLIST':
      return {
        stringListValidation: {
          ...(field.allowedValues !== undefined && { allowedValues: field.allowedValues }),
          ...(field.maxItems !== undefined && { maxItems: field.maxItems }),
        },
      };
    case 'NUMBER':
      return {
        numberValidation: {
          ...(field.minValue !== undefined && { minValue: field.minValue }),
          ...(field.maxValue !== undefined && { maxValue: field.maxValue }),
        },
      };
  }
}

/** The memory's `namespaceKeys` in CloudFormation's fields. */
export function renderNamespaceKey(
  namespaceKey: AgentMemoryNamespaceKey,
): agentcore.CfnMemory.NamespaceKeyEntryProperty {
  const { key, allowedValues, regexPattern } = namespaceKey;
  if (allowedValues === undefined && regexPattern === undefined) return { key };
  return {
    key,
    validation: {
      ...(allowedValues !== undefined && { allowedValues }),
      ...(regexPattern !== undefined && { regexPattern }),
    },
  };
}
