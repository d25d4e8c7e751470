import type { Message } from '@aws-sdk/client-bedrock-runtime';

/** One finished turn of a session, as the model is sent it back on later turns. */
export interface StoredTurn {
  /** The turn item's sort key: orders the turns and marks where a history window starts. */
  readonly key: string;
  /** The user's words as typed (never the new-session nudge). */
  readonly userMessage: string;
  /**
   * What followed the user's message, in order: the model's messages (text and tool uses)
   * and the tool results, ending with the answer. Empty for a turn without any answer.
   */
  readonly exchange: readonly Message[];
  /** The key of the first turn the history window of this turn's request held. */
  readonly windowStart?: string;
}

/** Rough tokens of some content: about four characters of its JSON per token. */
export function estimateTokens(content: unknown): number {
  return Math.ceil(JSON.stringify(content).length / 4);
}

export function estimateTurnTokens(turn: StoredTurn): number {
  return estimateTokens(turn.userMessage) + estimateTokens(turn.exchange);
}
