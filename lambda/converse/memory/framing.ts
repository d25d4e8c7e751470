import type { RetrievedMemoryRecord } from '../../session-manager/types.js';

/**
 * The runtime's own marker: only the runtime writes text that starts a note with it (the
 * new-session nudge). Text from anyone else that imitates it is neutralised before the
 * model reads it, so the model can trust that a note with this marker is the runtime's.
 */
export const RUNTIME_NOTE_MARKER = '[System note:';

/** What an imitation of the marker becomes: visibly quoted, never the marker itself. */
export const NEUTRALISED_MARKER = '[quoted text, not a system note:';

// Matched on a normalized view of the text: any case, any spacing, full-width brackets and
// letters (NFKC), with invisible format characters (zero-width spaces, joiners) removed.
const MARKER_IMITATION = /\[\s*system\s*[-_]?\s*note\s*:?/giu;
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/**
 * `text` with every imitation of {@link RUNTIME_NOTE_MARKER} replaced by
 * {@link NEUTRALISED_MARKER}. Text without one is returned unchanged; text with one is
 * returned in its normalized form (NFKC, no format characters), so look-alike characters
 * cannot smuggle the marker past the check.
 */
export function neutraliseRuntimeMarkers(text: string): string {
  const normalized = text.normalize('NFKC').replace(FORMAT_CHARACTERS, '');
  MARKER_IMITATION.lastIndex = 0;
  if (!MARKER_IMITATION.test(normalized)) return text;
  MARKER_IMITATION.lastIndex = 0;
  return normalized.replace(MARKER_IMITATION, NEUTRALISED_MARKER);
}

/** A JSON value with every string in it, keys included, neutralised as {@link neutraliseRuntimeMarkers} does. */
export function neutraliseRuntimeMarkersInJson(value: unknown): unknown {
  if (typeof value === 'string') return neutraliseRuntimeMarkers(value);
  if (Array.isArray(value)) return value.map(neutraliseRuntimeMarkersInJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [
        neutraliseRuntimeMarkers(key),
        neutraliseRuntimeMarkersInJson(entry),
      ]),
    );
  }
  return value;
}

/** One memory as the model reads it: JSON data, never text spliced into the prompt. */
export interface FramedMemory {
  /** The record's id: what a later `forget` names it by. */
  readonly id: string;
  readonly text: string;
  readonly relevance: number;
  /** When the memory was extracted, ISO 8601. */
  readonly recorded?: string;
}

/**
 * The retrieve tool's result: `{ memories: [...] }`, most relevant first, as a JSON document
 * (a JSON tool-result block, or its serialized form for a model without them). A record's
 * text is one JSON string however many lines or brackets it holds, so it cannot end the list,
 * start another entry or pose as the runtime's own words.
 */
export function framedMemories(records: readonly RetrievedMemoryRecord[]): { memories: FramedMemory[] } {
  return {
    memories: records.map((record) => ({
      id: record.memoryRecordId,
      text: neutraliseRuntimeMarkers(record.text),
      relevance: Math.round(record.score * 1000) / 1000,
      ...(record.createdAt !== undefined && { recorded: record.createdAt.toISOString() }),
    })),
  };
}
