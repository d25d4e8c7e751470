/**
 * Item sizes as DynamoDB counts them against its 400 KB item limit: each attribute's name
 * in UTF-8 bytes plus its value; a string is its UTF-8 bytes, a number at most 21 bytes,
 * a boolean or null 1 byte, a map or list 3 bytes plus 1 byte per element plus its contents.
 */

/** DynamoDB's item limit: 400 KB. */
export const DYNAMODB_ITEM_MAX_BYTES = 400 * 1024;

/** Bytes DynamoDB counts for a number: about one per two significant digits, plus one; never more than 21. */
const NUMBER_MAX_BYTES = 21;

/** The size DynamoDB counts for an item (a plain object as the document client marshals it; `undefined` is left out). */
export function dynamoItemBytes(item: Readonly<Record<string, unknown>>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    bytes += utf8Bytes(name) + valueBytes(value);
  }
  return bytes;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number') return numberBytes(value);
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) {
    const present = value.filter((element) => element !== undefined);
    return 3 + present.length + present.reduce((sum: number, element) => sum + valueBytes(element), 0);
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, element]) => element !== undefined);
    return 3 + entries.length + dynamoItemBytes(Object.fromEntries(entries));
  }
  // What the document client cannot store (a function, a symbol) is not written either.
  return typeof value === 'bigint' ? numberBytes(Number(value)) : 0;
}

function numberBytes(value: number): number {
  const digits = String(Math.abs(value)).replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.min(NUMBER_MAX_BYTES, Math.ceil(Math.max(digits.length, 1) / 2) + 1);
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The longest start of `text` that takes at most `maxBytes` in UTF-8, never cutting a
 * character in half (a surrogate pair stays whole); `text` itself when it fits.
 */
export function truncateToUtf8Bytes(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  if (utf8Bytes(text) <= maxBytes) return text;
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    const pair = unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1));
    const characterBytes = pair ? 4 : unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
    if (bytes + characterBytes > maxBytes) return text.slice(0, index);
    bytes += characterBytes;
    if (pair) index++;
  }
  return text;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
