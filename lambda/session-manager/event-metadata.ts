/**
 * The metadata of the session manager's conversation events: checked against CreateEvent's
 * limits before anything is sent, layered (fixed > per call > provider > defaults), and kept
 * off the keys the package itself writes and reads back.
 */
import type { MetadataValue } from '@aws-sdk/client-bedrock-agentcore';
import {
  EVENT_METADATA_CHARACTERS,
  EVENT_METADATA_KEYS_MAX,
  EVENT_METADATA_KEY_MAX_LENGTH,
  EVENT_METADATA_VALUE_MAX_LENGTH,
} from '../contract/index.js';
import { EventMetadataError } from '../platform/errors.js';
import type { ConversationMessage } from './types.js';

/** CreateEvent metadata: string values only (`{ stringValue }`), at most 15 keys. */
export type EventMetadata = Readonly<Record<string, MetadataValue>>;

/**
 * Called once for each message appended (after blank text is left out), returning the
 * metadata of the event that stores it, or undefined for none.
 */
export type MetadataProvider = (message: ConversationMessage) => EventMetadata | undefined;

/**
 * Keys the package writes and reads back itself, refused in `defaultMetadata`, a provider's
 * metadata and per-call metadata: `stateType` marks the Python format's state events (a
 * message event carrying it would be skipped on restore), `agentId` names the agent of a
 * state event and, in the Strands plugin, of a message, and `source` says which part of the
 * package wrote the event (the memory tool marks its records with it).
 */
export const RESERVED_METADATA_KEYS: readonly string[] = ['stateType', 'agentId', 'source'];

/** The key that would hide a message event from restore; refused in every layer. */
const STATE_TYPE_KEY = 'stateType';

/** The metadata layers of one session manager, validated. */
export interface MetadataLayers {
  /** On every event; no other layer may name its keys. */
  readonly fixed?: EventMetadata;
  readonly defaults?: EventMetadata;
  readonly provider?: MetadataProvider;
}

/** Problems with a metadata record's shape and CreateEvent's limits, each naming `field`. */
export function metadataShapeErrors(metadata: unknown, field: string): string[] {
  if (metadata === undefined) return [];
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return [`${field} must be an object of { stringValue } entries`];
  }
  const entries = Object.entries(metadata);
  const errors: string[] = [];
  if (entries.length > EVENT_METADATA_KEYS_MAX) errors.push(`${field} has at most ${EVENT_METADATA_KEYS_MAX} keys`);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > EVENT_METADATA_KEY_MAX_LENGTH || !EVENT_METADATA_CHARACTERS.test(key)) {
      errors.push(
        `${field} key '${key}' is not a valid metadata key: 1-${EVENT_METADATA_KEY_MAX_LENGTH} letters, digits, whitespace and ._:/=+@-`,
      );
    }
    const text = (value as { stringValue?: unknown } | null)?.stringValue;
    if (
      typeof text !== 'string' ||
      text.length > EVENT_METADATA_VALUE_MAX_LENGTH ||
      !EVENT_METADATA_CHARACTERS.test(text)
    ) {
      errors.push(
        `${field}.${key} must be { stringValue } with at most ${EVENT_METADATA_VALUE_MAX_LENGTH} letters, digits, whitespace and ._:/=+@-`,
      );
    }
  }
  return errors;
}

/** Keys of a user layer that the package or the fixed layer owns. */
export function reservedKeyErrors(metadata: EventMetadata | undefined, field: string, fixed?: EventMetadata): string[] {
  if (metadata === undefined || metadata === null || typeof metadata !== 'object') return [];
  return Object.keys(metadata).flatMap((key) => {
    if (RESERVED_METADATA_KEYS.includes(key)) {
      return [
        `${field} must not set '${key}': the package writes that key itself (${RESERVED_METADATA_KEYS.join(', ')})`,
      ];
    }
    if (fixed !== undefined && Object.hasOwn(fixed, key)) {
      return [`${field} must not set '${key}': eventMetadata fixes it on every event`];
    }
    return [];
  });
}

/** The fixed layer may use the package's keys (the package sets it), but never `stateType`. */
export function fixedMetadataErrors(metadata: EventMetadata | undefined, field: string): string[] {
  const shapeErrors = metadataShapeErrors(metadata, field);
  if (shapeErrors.length > 0 || metadata === undefined) return shapeErrors;
  return Object.hasOwn(metadata, STATE_TYPE_KEY)
    ? [`${field} must not set '${STATE_TYPE_KEY}': it marks session state events, which restore skips`]
    : [];
}

/** Keys the fixed and default layers hold together, which must fit in one event. */
export function combinedKeyErrors(layers: MetadataLayers): string[] {
  const keys = new Set([...Object.keys(layers.fixed ?? {}), ...Object.keys(layers.defaults ?? {})]);
  return keys.size > EVENT_METADATA_KEYS_MAX
    ? [
        `eventMetadata and defaultMetadata hold ${keys.size} keys together; an event carries at most ${EVENT_METADATA_KEYS_MAX}`,
      ]
    : [];
}

/**
 * The metadata of the event storing `message`: per call over the provider's over the
 * defaults, with the fixed layer on top; undefined when no layer has any.
 * A provider that throws, or answers metadata AgentCore would refuse, costs the message its
 * provided metadata, never the message: `onProviderFailure` says why.
 * @throws EventMetadataError when the call's metadata breaks a limit or names a reserved key
 */
export function metadataForMessage(
  layers: MetadataLayers,
  message: ConversationMessage,
  perCall: EventMetadata | undefined,
  onProviderFailure: (reason: string) => void,
): EventMetadata | undefined {
  const provided = providedMetadata(layers, message, onProviderFailure);
  const errors = [...metadataShapeErrors(perCall, 'metadata'), ...reservedKeyErrors(perCall, 'metadata', layers.fixed)];
  if (errors.length > 0) throw new EventMetadataError(errors);
  const merged = { ...layers.defaults, ...provided, ...perCall, ...layers.fixed };
  const keyCount = Object.keys(merged).length;
  if (keyCount > EVENT_METADATA_KEYS_MAX) {
    throw new EventMetadataError([
      `the message's event would carry ${keyCount} metadata keys (fixed, defaults, provider and call together); at most ${EVENT_METADATA_KEYS_MAX}`,
    ]);
  }
  return keyCount === 0 ? undefined : merged;
}

/** The provider's metadata for `message`, or none when the provider fails or breaks the rules. */
function providedMetadata(
  layers: MetadataLayers,
  message: ConversationMessage,
  onProviderFailure: (reason: string) => void,
): EventMetadata | undefined {
  if (layers.provider === undefined) return undefined;
  let provided: EventMetadata | undefined;
  try {
    provided = layers.provider(message);
  } catch (error) {
    onProviderFailure(`metadataProvider threw ${error instanceof Error ? error.name : typeof error}`);
    return undefined;
  }
  const errors = [
    ...metadataShapeErrors(provided, 'metadataProvider result'),
    ...reservedKeyErrors(provided, 'metadataProvider result', layers.fixed),
  ];
  if (errors.length === 0) return provided;
  onProviderFailure(errors.join('; '));
  return undefined;
}

/** Whether two events' metadata are the same keys with the same values (so they may be one event). */
export function sameMetadata(first: EventMetadata | undefined, second: EventMetadata | undefined): boolean {
  const firstKeys = Object.keys(first ?? {});
  if (firstKeys.length !== Object.keys(second ?? {}).length) return false;
  return firstKeys.every((key) => second?.[key]?.stringValue === first?.[key]?.stringValue);
}
