/**
 * Text limits counted the way AgentCore counts them: in Unicode code points (a character
 * outside the Basic Multilingual Plane, such as most emoji, is one character, not two
 * UTF-16 units). AgentCore rejects strings that are not valid Unicode, so a string is
 * never cut between the two halves of a surrogate pair.
 */

/** The number of code points in `text` (an unpaired surrogate counts as one). */
export function codePointLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    length++;
    if (isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1))) index++;
  }
  return length;
}

/** The first `maxCodePoints` code points of `text`; `text` itself when it is not longer. */
export function truncateToCodePoints(text: string, maxCodePoints: number): string {
  // Fast path: a string of at most `maxCodePoints` UTF-16 units has at most that many code points.
  if (text.length <= maxCodePoints) return text;
  let codePoints = 0;
  for (let index = 0; index < text.length; index++) {
    if (codePoints === maxCodePoints) return text.slice(0, index);
    codePoints++;
    if (isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1))) index++;
  }
  return text;
}

/** True when every surrogate in `text` is half of a pair (what AgentCore requires). */
export function isWellFormedUnicode(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(index + 1))) index++;
    else if (isHighSurrogate(unit) || isLowSurrogate(unit)) return false;
  }
  return true;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
