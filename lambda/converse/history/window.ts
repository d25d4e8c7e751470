import { estimateTurnTokens, type StoredTurn } from './stored-turn.js';

/**
 * The stored turns sent back to the model are bounded by an estimated token budget and a
 * turn count. The window is cache-stable: it keeps its first turn while it grows, so each
 * request starts with the previous request's prefix and reads it from the prompt cache.
 * Only when it outgrows a bound does its start jump forward, past the oldest turns, until
 * what remains is at most half of each bound: one cache rewrite every many turns instead
 * of one every turn. Whole turns go, so a tool use never loses its result; the newest
 * turn always stays.
 */
export const HISTORY_TOKEN_BUDGET = 40_000;
export const HISTORY_MAX_TURNS = 60;

export interface HistoryWindow {
  readonly turns: readonly StoredTurn[];
  /** The key of the window's first turn, stored with the turn so the next request keeps it. */
  readonly start: string | undefined;
}

/**
 * The window over a session's turns (oldest first). It starts where the newest turn's
 * window started, when that turn is among them; otherwise at the oldest turn given.
 */
export function historyWindow(
  turns: readonly StoredTurn[],
  bounds: { readonly tokenBudget: number; readonly maxTurns: number } = {
    tokenBudget: HISTORY_TOKEN_BUDGET,
    maxTurns: HISTORY_MAX_TURNS,
  },
): HistoryWindow {
  const previousStart = turns.at(-1)?.windowStart;
  const startIndex = Math.max(
    0,
    turns.findIndex((turn) => turn.key === previousStart),
  );
  let window = turns.slice(startIndex);
  let tokens = window.reduce((sum, turn) => sum + estimateTurnTokens(turn), 0);
  if (tokens > bounds.tokenBudget || window.length > bounds.maxTurns) {
    let dropped = 0;
    while (
      dropped < window.length - 1 &&
      (tokens > bounds.tokenBudget / 2 || window.length - dropped > bounds.maxTurns / 2)
    ) {
      tokens -= estimateTurnTokens(window[dropped]);
      dropped++;
    }
    window = window.slice(dropped);
  }
  return { turns: window, start: window[0]?.key };
}
