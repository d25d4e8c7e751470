/**
 * JSON that keeps what Converse messages hold but JSON cannot: bytes (`Uint8Array` in
 * image, document, video and redacted reasoning blocks), and the numbers JSON has no text
 * for (`-0`, `NaN`, `Infinity`, `-Infinity`, which a tool's input or result may hold).
 * Plain `JSON.stringify` would turn bytes into `{"0":137,"1":80,...}`, `-0` into `0` and
 * the others into `null`, and restore would hand back something else.
 *
 * - a `Uint8Array` becomes `{"$bytes":"<base64>"}`;
 * - `-0`, `NaN` and the infinities become `{"$number":"-0"}` (or `"NaN"`, ...);
 * - an object that itself has a `$bytes`, `$number` or `$object` key (a tool's own JSON
 *   could) is wrapped as `{"$object":{...}}`, so decoding never mistakes user data for
 *   an encoded value.
 *
 * The text is ASCII only (non-ASCII characters as `\uXXXX` escapes): its size in bytes
 * then equals its length, which lets the payload codec bound every stored chunk.
 */

const BYTES_KEY = '$bytes';
const NUMBER_KEY = '$number';
const OBJECT_KEY = '$object';
const MARKER_KEYS = [BYTES_KEY, NUMBER_KEY, OBJECT_KEY];

export function stringifyLossless(value: unknown): string {
  const json = JSON.stringify(encodeValue(value));
  if (json === undefined) throw new TypeError('value cannot be represented as JSON');
  return escapeNonAscii(json);
}

/**
 * JSON text with every non-ASCII character as a `\uXXXX` escape (as Python's `json.dumps`
 * writes by default): its length is then its size in bytes and its count of characters.
 */
export function escapeNonAscii(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function parseLossless(text: string): unknown {
  return decodeValue(JSON.parse(text));
}

function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES_KEY]: Buffer.from(value).toString('base64') };
  if (typeof value === 'number' && (Object.is(value, -0) || !Number.isFinite(value))) {
    return { [NUMBER_KEY]: Object.is(value, -0) ? '-0' : String(value) };
  }
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') {
    const encoded: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== undefined) setOwn(encoded, key, encodeValue(entry));
    }
    return MARKER_KEYS.some((key) => key in encoded) ? { [OBJECT_KEY]: encoded } : encoded;
  }
  return value;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === BYTES_KEY && typeof record[BYTES_KEY] === 'string') {
    return new Uint8Array(Buffer.from(record[BYTES_KEY], 'base64'));
  }
  if (keys.length === 1 && keys[0] === NUMBER_KEY && typeof record[NUMBER_KEY] === 'string') {
    return Number(record[NUMBER_KEY]);
  }
  const fields =
    keys.length === 1 && keys[0] === OBJECT_KEY && isPlainRecord(record[OBJECT_KEY]) ? record[OBJECT_KEY] : record;
  const decoded: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(fields)) setOwn(decoded, key, decodeValue(entry));
  return decoded;
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Defines rather than assigns, so a `__proto__` key from a tool's JSON stays plain data. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
