import { codePointLength, isWellFormedUnicode, truncateToCodePoints } from '../../../lambda/contract/index.js';

const EMOJI = '😀'; // one character, two UTF-16 units

describe('codePointLength', () => {
  it('counts a character outside the Basic Multilingual Plane once', () => {
    expect(EMOJI.length).toBe(2);
    expect(codePointLength(EMOJI)).toBe(1);
    expect(codePointLength(`a${EMOJI}b`)).toBe(3);
    expect(codePointLength('')).toBe(0);
  });

  it('counts an unpaired surrogate as one', () => {
    expect(codePointLength('\ud83d')).toBe(1);
    expect(codePointLength('a\ude00b')).toBe(3);
  });
});

describe('truncateToCodePoints', () => {
  it('never cuts an emoji at the limit in half: the whole emoji is kept or left out', () => {
    const text = `${'a'.repeat(9_999)}${EMOJI}b`;

    const cut = truncateToCodePoints(text, 10_000);

    expect(cut).toBe(`${'a'.repeat(9_999)}${EMOJI}`);
    expect(isWellFormedUnicode(cut)).toBe(true);
    expect(truncateToCodePoints(`${'a'.repeat(9_999)}${EMOJI}`, 9_999)).toBe('a'.repeat(9_999));
  });

  it('keeps text within the limit as it is, counting characters rather than UTF-16 units', () => {
    const emojis = EMOJI.repeat(10);
    expect(truncateToCodePoints(emojis, 10)).toBe(emojis);
    expect(truncateToCodePoints(emojis, 3)).toBe(EMOJI.repeat(3));
    expect(truncateToCodePoints('abc', 0)).toBe('');
  });
});

describe('isWellFormedUnicode', () => {
  it.each([
    ['plain text', 'hello', true],
    ['an emoji', `x${EMOJI}y`, true],
    ['a lone high surrogate at the end', 'x\ud83d', false],
    ['a lone low surrogate', '\ude00x', false],
    ['two high surrogates', '\ud83d\ud83d', false],
  ])('%s: %s', (_case, text, expected) => {
    expect(isWellFormedUnicode(text)).toBe(expected);
  });
});
