import { estimateTurnTokens, type StoredTurn } from '../../../lambda/converse/history/stored-turn.js';
import { HISTORY_MAX_TURNS, HISTORY_TOKEN_BUDGET, historyWindow } from '../../../lambda/converse/history/window.js';

function turn(index: number, characters: number, windowStart?: string): StoredTurn {
  return {
    key: `turn#${String(index).padStart(4, '0')}`,
    userMessage: `q${index} ${'x'.repeat(characters)}`,
    exchange: [{ role: 'assistant', content: [{ text: `a${index}` }] }],
    windowStart,
  };
}

/** Plays a session turn by turn, storing each turn with the start of the window its request used. */
function playSession(turns: number, characters: number): { starts: string[]; windows: StoredTurn[][] } {
  const stored: StoredTurn[] = [];
  const starts: string[] = [];
  const windows: StoredTurn[][] = [];
  for (let index = 0; index < turns; index++) {
    const window = historyWindow(stored);
    windows.push([...window.turns]);
    starts.push(window.start ?? '(empty)');
    stored.push(turn(index, characters, window.start));
  }
  return { starts, windows };
}

describe('the history window', () => {
  it('keeps its first turn while the history fits, so every request starts with the previous prefix', () => {
    const { starts } = playSession(40, 1_200);

    expect(new Set(starts.slice(1))).toEqual(new Set(['turn#0000']));
  });

  it('moves in chunks when the history outgrows the token budget: rarely, and down to half of the budget', () => {
    // About 2,500 tokens a turn: the budget holds 16 turns.
    const { starts, windows } = playSession(120, 10_000);

    const moves = starts.filter((start, index) => index > 1 && start !== starts[index - 1]).length;
    expect(moves).toBeGreaterThan(0);
    expect(moves).toBeLessThanOrEqual(120 / 8);
    for (const [index, window] of windows.entries()) {
      const tokens = window.reduce((sum, stored) => sum + estimateTurnTokens(stored), 0);
      expect(tokens).toBeLessThanOrEqual(HISTORY_TOKEN_BUDGET);
      if (index > 1 && starts[index] !== starts[index - 1])
        expect(tokens).toBeLessThanOrEqual(HISTORY_TOKEN_BUDGET / 2);
    }
  });

  it('also moves in chunks past the turn count bound, however short the turns', () => {
    const { windows, starts } = playSession(200, 10);

    expect(Math.max(...windows.map((window) => window.length))).toBeLessThanOrEqual(HISTORY_MAX_TURNS);
    const moves = starts.filter((start, index) => index > 1 && start !== starts[index - 1]).length;
    expect(moves).toBeLessThanOrEqual(200 / (HISTORY_MAX_TURNS / 2));
  });

  it('starts at the oldest turn it was given when the stored start is unknown (a session from before windows)', () => {
    const window = historyWindow([turn(0, 10), turn(1, 10, 'turn#gone')]);

    expect(window.start).toBe('turn#0000');
    expect(window.turns).toHaveLength(2);
  });

  it('keeps the newest turn even when it alone exceeds the budget', () => {
    const window = historyWindow([turn(0, 10), turn(1, HISTORY_TOKEN_BUDGET * 5)]);

    expect(window.turns.map((stored) => stored.key)).toEqual(['turn#0001']);
  });
});
