import { Token } from 'aws-cdk-lib';
import {
  EVENT_METADATA_CHARACTERS,
  EVENT_METADATA_KEY_MAX_LENGTH,
  INDEXED_KEYS_MAX,
  METADATA_ALLOWED_VALUES_MAX,
  METADATA_EXTRACTION_TEXT_MAX_LENGTH,
  METADATA_EXTRACTION_TYPES,
  METADATA_SCHEMA_ENTRIES_MAX,
  METADATA_STRING_LIST_MAX_ITEMS,
  METADATA_STRING_LIST_VALUE_MAX_LENGTH,
  METADATA_STRING_VALUE_MAX_LENGTH,
  METADATA_VALUE_TYPES,
  NAMESPACE_KEY_ALLOWED_VALUES_MAX,
  NAMESPACE_KEY_MAX_LENGTH,
  NAMESPACE_KEY_PATTERN,
  NAMESPACE_KEY_REGEX_MAX_LENGTH,
  NAMESPACE_KEYS_MAX,
  NAMESPACE_VARIABLE_VALUE_MAX_LENGTH,
  NAMESPACE_VARIABLE_VALUE_PATTERN,
  NAMESPACE_VARIABLES,
  codePointLength,
} from '../../lambda/contract/index.js';
import type {
  AgentMemoryIndexedKey,
  AgentMemoryMetadataField,
  AgentMemoryNamespaceKey,
} from '../memory/memory-metadata.js';

/*
 * Checks of a memory's record metadata (indexed keys, each strategy's schema) and custom
 * namespace variables against AgentCore's limits. Each returns the problems it finds, each
 * naming its field; a value that is still a token passes.
 */

const METADATA_CHARACTERS = "letters, digits, white space and '._:/=+@-'";

export function indexedKeysErrors(indexedKeys: readonly AgentMemoryIndexedKey[] | undefined): string[] {
  if (indexedKeys === undefined) return [];
  const errors = countErrors('indexedKeys', indexedKeys.length, INDEXED_KEYS_MAX);
  indexedKeys.forEach((indexed, index) => {
    errors.push(...metadataKeyErrors(`indexedKeys[${index}].key`, indexed.key));
    errors.push(...oneOfErrors(`indexedKeys[${index}].type`, indexed.type, METADATA_VALUE_TYPES));
  });
  errors.push(
    ...duplicateErrors(
      'indexedKeys',
      indexedKeys.map(({ key }) => key),
    ),
  );
  return errors;
}

/** One strategy's record metadata schema; `field` names it, for example `semantic.metadataSchema`. */
export function metadataSchemaErrors(
  field: string,
  schema: readonly AgentMemoryMetadataField[] | undefined,
  indexedKeys: readonly AgentMemoryIndexedKey[] = [],
): string[] {
  if (schema === undefined) return [];
  const errors = countErrors(field, schema.length, METADATA_SCHEMA_ENTRIES_MAX);
  schema.forEach((entry, index) => {
    const entryField = `${field}[${index}]`;
    errors.push(...metadataKeyErrors(`${entryField}.key`, entry.key));
    errors.push(...oneOfErrors(`${entryField}.type`, entry.type, METADATA_VALUE_TYPES));
    errors.push(...oneOfErrors(`${entryField}.extraction`, entry.extraction, METADATA_EXTRACTION_TYPES));
    errors.push(...extractionErrors(entryField, entry));
    const indexed = indexedKeys.find(({ key }) => key === entry.key);
    if (indexed !== undefined && indexed.type !== entry.type) {
      errors.push(
        `${entryField}.type ${entry.type} differs from the indexed key '${entry.key}' (${indexed.type}); give both the same type`,
      );
    }
  });
  errors.push(
    ...duplicateErrors(
      field,
      schema.map(({ key }) => key),
    ),
  );
  return errors;
}

export function namespaceKeysErrors(namespaceKeys: readonly AgentMemoryNamespaceKey[] | undefined): string[] {
  if (namespaceKeys === undefined) return [];
  const errors = countErrors('namespaceKeys', namespaceKeys.length, NAMESPACE_KEYS_MAX);
  namespaceKeys.forEach((namespaceKey, index) => {
    const field = `namespaceKeys[${index}]`;
    errors.push(...namespaceKeyNameErrors(`${field}.key`, namespaceKey.key));
    errors.push(...namespaceKeyValidationErrors(field, namespaceKey));
  });
  errors.push(
    ...duplicateErrors(
      'namespaceKeys',
      namespaceKeys.map(({ key }) => key),
    ),
  );
  return errors;
}

function extractionErrors(field: string, entry: AgentMemoryMetadataField): string[] {
  const modelOnly = (
    ['definition', 'instruction', 'allowedValues', 'maxItems', 'minValue', 'maxValue'] as const
  ).filter((option) => entry[option] !== undefined);
  if (entry.extraction !== 'LLM_INFERRED') {
    return modelOnly.map(
      (option) =>
        `${field}.${option}: only an LLM_INFERRED field has it (a ${entry.extraction} field copies the event's value); remove it`,
    );
  }
  const errors: string[] = [];
  if (entry.definition === undefined) {
    errors.push(
      `${field}.definition is required with LLM_INFERRED: it tells the extraction model what the field means`,
    );
  } else {
    errors.push(...textErrors(`${field}.definition`, entry.definition, METADATA_EXTRACTION_TEXT_MAX_LENGTH));
  }
  if (entry.instruction !== undefined) {
    errors.push(...textErrors(`${field}.instruction`, entry.instruction, METADATA_EXTRACTION_TEXT_MAX_LENGTH));
  }
  return [...errors, ...valueRuleErrors(field, entry)];
}

/** The rules on extracted values: each type takes its own. */
function valueRuleErrors(field: string, entry: AgentMemoryMetadataField): string[] {
  const errors: string[] = [];
  const refuse = (options: readonly (keyof AgentMemoryMetadataField)[]) => {
    for (const option of options.filter((name) => entry[name] !== undefined)) {
      errors.push(`${field}.${option}: a ${entry.type} field has no such rule; remove it`);
    }
  };
  const allowedValueErrors = (maxLength: number) =>
    (entry.allowedValues ?? []).flatMap((value, index) =>
      metadataTextErrors(`${field}.allowedValues[${index}]`, value, maxLength),
    );
  if (entry.allowedValues !== undefined) {
    errors.push(...countErrors(`${field}.allowedValues`, entry.allowedValues.length, METADATA_ALLOWED_VALUES_MAX));
  }
  if (entry.type === 'STRING') {
    refuse(['maxItems', 'minValue', 'maxValue']);
    errors.push(...allowedValueErrors(METADATA_STRING_VALUE_MAX_LENGTH));
  } else if (entry.type === 'STRINGLIST') {
    refuse(['minValue', 'maxValue']);
    errors.push(...allowedValueErrors(METADATA_STRING_LIST_VALUE_MAX_LENGTH));
    const { maxItems } = entry;
    if (
      maxItems !== undefined &&
      !(Number.isInteger(maxItems) && maxItems >= 1 && maxItems <= METADATA_STRING_LIST_MAX_ITEMS)
    ) {
      errors.push(
        `${field}.maxItems must be a whole number from 1 to ${METADATA_STRING_LIST_MAX_ITEMS} (got ${maxItems})`,
      );
    }
  } else if (entry.type === 'NUMBER') {
    refuse(['allowedValues', 'maxItems']);
    for (const bound of ['minValue', 'maxValue'] as const) {
      const value = entry[bound];
      if (value !== undefined && !Number.isFinite(value))
        errors.push(`${field}.${bound} must be a finite number (got ${value})`);
    }
    if (entry.minValue !== undefined && entry.maxValue !== undefined && entry.minValue > entry.maxValue) {
      errors.push(`${field}.minValue ${entry.minValue} is above maxValue ${entry.maxValue}; swap them`);
    }
  }
  return errors;
}

function namespaceKeyNameErrors(field: string, key: string): string[] {
  if (Token.isUnresolved(key)) return [];
  if ((NAMESPACE_VARIABLES as readonly string[]).includes(key)) {
    return [`${field} '${key}' is a built-in namespace variable; name your own variable differently`];
  }
  if (key.length <= NAMESPACE_KEY_MAX_LENGTH && NAMESPACE_KEY_PATTERN.test(key)) return [];
  return [
    `${field} '${key}' must be 1-${NAMESPACE_KEY_MAX_LENGTH} lowercase letters and digits, starting with a letter (pattern ${NAMESPACE_KEY_PATTERN.source})`,
  ];
}

function namespaceKeyValidationErrors(field: string, namespaceKey: AgentMemoryNamespaceKey): string[] {
  const errors: string[] = [];
  const { allowedValues, regexPattern } = namespaceKey;
  let pattern: RegExp | undefined;
  if (regexPattern !== undefined && !Token.isUnresolved(regexPattern)) {
    const length = codePointLength(regexPattern);
    if (length < 1 || length > NAMESPACE_KEY_REGEX_MAX_LENGTH) {
      errors.push(`${field}.regexPattern must be 1-${NAMESPACE_KEY_REGEX_MAX_LENGTH} characters (got ${length})`);
    }
    try {
      pattern = new RegExp(`^(?:${regexPattern})$`);
    } catch (error) {
      errors.push(`${field}.regexPattern '${regexPattern}' is not a regular expression: ${(error as Error).message}`);
    }
  }
  if (allowedValues === undefined) return errors;
  errors.push(...countErrors(`${field}.allowedValues`, allowedValues.length, NAMESPACE_KEY_ALLOWED_VALUES_MAX));
  allowedValues.forEach((value, index) => {
    const valueField = `${field}.allowedValues[${index}]`;
    if (Token.isUnresolved(value)) return;
    if (value.length > NAMESPACE_VARIABLE_VALUE_MAX_LENGTH || !NAMESPACE_VARIABLE_VALUE_PATTERN.test(value)) {
      errors.push(
        `${valueField} '${value}' must be 1-${NAMESPACE_VARIABLE_VALUE_MAX_LENGTH} lowercase letters, digits, '-' and '_', starting with a letter or digit`,
      );
    } else if (pattern !== undefined && !pattern.test(value)) {
      errors.push(`${valueField} '${value}' does not match regexPattern '${regexPattern}', so no event could use it`);
    }
  });
  errors.push(...duplicateErrors(`${field}.allowedValues`, allowedValues));
  return errors;
}

function metadataKeyErrors(field: string, key: string): string[] {
  return metadataTextErrors(field, key, EVENT_METADATA_KEY_MAX_LENGTH);
}

/** A key or allowed value of record metadata: 1-`maxLength` characters of the metadata set. */
function metadataTextErrors(field: string, value: string, maxLength: number): string[] {
  if (Token.isUnresolved(value)) return [];
  const length = codePointLength(value);
  if (length >= 1 && length <= maxLength && EVENT_METADATA_CHARACTERS.test(value)) return [];
  return [`${field} '${value}' must be 1-${maxLength} ${METADATA_CHARACTERS} (got ${length} characters)`];
}

function textErrors(field: string, text: string, maxLength: number): string[] {
  if (Token.isUnresolved(text)) return [];
  const length = codePointLength(text);
  if (length >= 1 && length <= maxLength) return [];
  return [`${field} must be 1-${maxLength.toLocaleString('en-US')} characters (got ${length})`];
}

function oneOfErrors(field: string, value: string, allowed: readonly string[]): string[] {
  if (Token.isUnresolved(value) || allowed.includes(value)) return [];
  return [`${field} '${value}' must be one of ${allowed.join(', ')}`];
}

function countErrors(field: string, count: number, max: number): string[] {
  if (count >= 1 && count <= max) return [];
  return [`${field} holds ${count} entries; AgentCore takes 1-${max} (leave the prop out for none)`];
}

function duplicateErrors(field: string, values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (Token.isUnresolved(value)) continue;
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated].map((value) => `${field} names '${value}' more than once; keep one`);
}
