import { Token, type Duration } from 'aws-cdk-lib';
import type * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import {
  MEMORY_DESCRIPTION_MAX_LENGTH,
  MIN_RECORD_EXPIRY_DAYS,
  STRATEGY_PROMPT_MAX_LENGTH,
  codePointLength,
  type MemoryStrategyKind,
} from '../../lambda/contract/index.js';
import { MAX_EVENT_EXPIRY_DAYS, MEMORY_NAME_PATTERN, MIN_EVENT_EXPIRY_DAYS } from '../memory/memory-limits.js';

/*
 * Checks of a memory's own props against AgentCore's limits. Each returns the problems it
 * finds (none for a value that is still a token) for the caller to report together.
 */

export function memoryNameErrors(memoryName: string): string[] {
  if (Token.isUnresolved(memoryName) || MEMORY_NAME_PATTERN.test(memoryName)) return [];
  return [
    `memoryName '${memoryName}' must start with a letter and hold only letters, digits and '_', at most 48 characters (pattern ${MEMORY_NAME_PATTERN.source})`,
  ];
}

export function strategyNameErrors(kind: MemoryStrategyKind, strategyName: string): string[] {
  if (Token.isUnresolved(strategyName) || MEMORY_NAME_PATTERN.test(strategyName)) return [];
  return [
    `${kind}.strategyName '${strategyName}' must start with a letter and hold only letters, digits and '_', at most 48 characters`,
  ];
}

export function descriptionErrors(description: string | undefined): string[] {
  if (description === undefined || Token.isUnresolved(description)) return [];
  const length = codePointLength(description);
  if (length >= 1 && length <= MEMORY_DESCRIPTION_MAX_LENGTH) return [];
  return [
    `description must be 1-${MEMORY_DESCRIPTION_MAX_LENGTH.toLocaleString('en-US')} characters (got ${length}); shorten it or leave it out`,
  ];
}

export function eventExpiryErrors(eventExpiry: Duration): string[] {
  if (eventExpiry.isUnresolved()) return [];
  const days = eventExpiry.toDays({ integral: false });
  if (Number.isInteger(days) && days >= MIN_EVENT_EXPIRY_DAYS && days <= MAX_EVENT_EXPIRY_DAYS) return [];
  return [
    `eventExpiry must be a whole number of days between ${MIN_EVENT_EXPIRY_DAYS} and ${MAX_EVENT_EXPIRY_DAYS} (got ${days} days)`,
  ];
}

/** A model override's appended prompt: 1-30,000 characters. */
export function overrideErrors(field: string, override: agentcore.OverrideConfig | undefined): string[] {
  if (override === undefined || Token.isUnresolved(override.appendToPrompt)) return [];
  const length = codePointLength(override.appendToPrompt);
  if (length >= 1 && length <= STRATEGY_PROMPT_MAX_LENGTH) return [];
  return [
    `${field}.appendToPrompt must be 1-${STRATEGY_PROMPT_MAX_LENGTH.toLocaleString('en-US')} characters (got ${length})`,
  ];
}

/** The two long-term record expiries AgentCore takes, each shared by a pair of strategies. */
export interface RecordExpiryProps {
  readonly factsAndPreferencesExpiry?: Duration;
  readonly summariesAndEpisodesExpiry?: Duration;
}

/** Which record-expiry prop applies to a strategy: AgentCore pairs them so. */
const EXPIRY_PROP: Record<MemoryStrategyKind, keyof RecordExpiryProps> = {
  semantic: 'factsAndPreferencesExpiry',
  userPreference: 'factsAndPreferencesExpiry',
  summary: 'summariesAndEpisodesExpiry',
  episodic: 'summariesAndEpisodesExpiry',
};

/** The record expiry in whole days per strategy kind (absent: never expires), and its problems. */
export function recordExpiryDays(props: RecordExpiryProps): {
  days: Partial<Record<MemoryStrategyKind, number>>;
  errors: string[];
} {
  const daysByProp: Partial<Record<keyof RecordExpiryProps, number>> = {};
  const errors: string[] = [];
  for (const prop of ['factsAndPreferencesExpiry', 'summariesAndEpisodesExpiry'] as const) {
    const expiry = props[prop];
    if (expiry === undefined) continue;
    if (expiry.isUnresolved()) {
      errors.push(`${prop} must be a literal duration: it becomes a whole number of days in the template`);
      continue;
    }
    const value = expiry.toDays({ integral: false });
    if (!Number.isInteger(value) || value < MIN_RECORD_EXPIRY_DAYS) {
      errors.push(
        `${prop} must be a whole number of days, at least ${MIN_RECORD_EXPIRY_DAYS} as AgentCore requires for long-term records (got ${value} days)`,
      );
      continue;
    }
    daysByProp[prop] = value;
  }
  const days = Object.fromEntries(
    Object.entries(EXPIRY_PROP).flatMap(([kind, prop]) =>
      daysByProp[prop] === undefined ? [] : [[kind, daysByProp[prop]]],
    ),
  );
  return { days, errors };
}
