import type { PayloadType } from '@aws-sdk/client-bedrock-agentcore';
import { CONVERSATIONAL_TEXT_MAX_LENGTH } from '../../../lambda/contract/index.js';
import {
  ENVELOPE_CHUNK_MAX_LENGTH,
  PAYLOAD_ITEM_MAX_BYTES,
  decodeMessages,
  encodeMessage,
} from '../../../lambda/session-manager/payload-codec.js';
import { parseLossless, stringifyLossless } from '../../../lambda/session-manager/lossless-json.js';
import type { ConversationMessage } from '../../../lambda/session-manager/index.js';

function roundTrip(messages: ConversationMessage[]): ConversationMessage[] {
  const items = messages.flatMap((message, index) => encodeMessage(message, `id-${index}`));
  return decodeMessages(items, ({ reason }) => {
    throw new Error(reason);
  });
}

function envelopeChunks(items: PayloadType[]): Record<string, unknown>[] {
  return items.map((item) => JSON.parse(item.blob as string) as Record<string, unknown>);
}

describe('which messages are conversational', () => {
  test('one text block of 1 to 100,000 characters is one conversational item', () => {
    expect(encodeMessage({ role: 'user', content: [{ text: 'a' }] }, 'id')).toEqual([
      { conversational: { role: 'USER', content: { text: 'a' } } },
    ]);
    expect(
      encodeMessage({ role: 'assistant', content: [{ text: 'b'.repeat(CONVERSATIONAL_TEXT_MAX_LENGTH) }] }, 'id'),
    ).toEqual([
      { conversational: { role: 'ASSISTANT', content: { text: 'b'.repeat(CONVERSATIONAL_TEXT_MAX_LENGTH) } } },
    ]);
  });

  test('the 100,000-character limit counts characters as AgentCore does: 100,000 emoji are one conversational item', () => {
    const emojis = '😀'.repeat(CONVERSATIONAL_TEXT_MAX_LENGTH);

    expect(encodeMessage({ role: 'user', content: [{ text: emojis }] }, 'id')).toEqual([
      { conversational: { role: 'USER', content: { text: emojis } } },
    ]);
  });

  test.each<[string, ConversationMessage]>([
    ['100,001 emoji', { role: 'user', content: [{ text: '😀'.repeat(CONVERSATIONAL_TEXT_MAX_LENGTH + 1) }] }],
    ['text with an unpaired surrogate, which AgentCore rejects', { role: 'user', content: [{ text: 'half \ud83d' }] }],
    ['100,001 characters', { role: 'user', content: [{ text: 'c'.repeat(CONVERSATIONAL_TEXT_MAX_LENGTH + 1) }] }],
    ['two text blocks', { role: 'assistant', content: [{ text: 'one' }, { text: 'two' }] }],
    ['a tool use', { role: 'assistant', content: [{ toolUse: { toolUseId: 't', name: 'n', input: {} } }] }],
  ])('%s becomes an envelope that restores intact', (_name, message) => {
    const items = encodeMessage(message, 'id');

    expect(items.every((item) => item.conversational === undefined && typeof item.blob === 'string')).toBe(true);
    expect(roundTrip([message])).toEqual([message]);
  });
});

describe('restore gives what Bedrock Converse accepts', () => {
  const toolUse = { toolUse: { toolUseId: 't', name: 'n', input: {} } };

  test.each<[string, ConversationMessage]>([
    ['empty text', { role: 'user', content: [{ text: '' }] }],
    ['only blank text blocks', { role: 'assistant', content: [{ text: ' ' }, { text: '\n\t' }] }],
    ['no blocks', { role: 'assistant', content: [] }],
  ])('a stored message with %s restores as nothing', (_name, message) => {
    expect(roundTrip([{ role: 'user', content: [{ text: 'before' }] }, message])).toEqual([
      { role: 'user', content: [{ text: 'before' }] },
    ]);
  });

  test('blank text blocks are dropped; every other block keeps its order', () => {
    const message: ConversationMessage = {
      role: 'assistant',
      content: [{ text: '' }, { text: 'Checking.' }, { text: '  ' }, toolUse, { text: 'Done.' }],
    };

    expect(roundTrip([message])).toEqual([
      { role: 'assistant', content: [{ text: 'Checking.' }, toolUse, { text: 'Done.' }] },
    ]);
  });

  test('blank text inside a tool result is kept: only top-level blocks are checked', () => {
    const message: ConversationMessage = {
      role: 'user',
      content: [{ toolResult: { toolUseId: 't', status: 'success', content: [{ text: '' }] } }],
    };

    expect(roundTrip([message])).toEqual([message]);
  });
});

describe('envelope chunks', () => {
  test('carry marker, id, part and parts, hold at most the chunk size of ASCII, and reassemble in order', () => {
    const message: ConversationMessage = { role: 'user', content: [{ text: `${'寿司🍣"\\\n'.repeat(30_000)}` }] };

    const chunks = envelopeChunks(encodeMessage(message, 'message-7'));

    expect(chunks.length).toBeGreaterThan(1);
    chunks.forEach((chunk, index) => {
      expect(chunk).toEqual({
        agentcoreSessionMessage: 1,
        id: 'message-7',
        part: index,
        parts: chunks.length,
        data: expect.any(String),
      });
      expect((chunk.data as string).length).toBeLessThanOrEqual(ENVELOPE_CHUNK_MAX_LENGTH);
      expect(chunk.data).toMatch(/^[\x20-\x7e]*$/);
    });
    expect(roundTrip([message])).toEqual([message]);
  });

  test.each([
    ['backslashes', '\\'],
    ['quotes', '"'],
  ])(
    'an item of %s, the worst case for escaping, takes at most 100,000 bytes in the request body',
    (_name, character) => {
      // A 36-character id like the manager's UUIDs, and over 100 parts so part numbers take 3 digits.
      const items = encodeMessage(
        { role: 'user', content: [{ text: character.repeat(1_300_000) }] },
        'e3b0c442-98fc-1c14-9afb-f4c8996fb924',
      );

      expect(items.length).toBeGreaterThan(100);
      const largest = Math.max(...items.map((item) => Buffer.byteLength(JSON.stringify(item))));
      expect(largest).toBeLessThanOrEqual(PAYLOAD_ITEM_MAX_BYTES);
      expect(largest).toBeGreaterThan(PAYLOAD_ITEM_MAX_BYTES - 300);
    },
  );

  test('a duplicated chunk is ignored and the message keeps the place of its first chunk', () => {
    const big: ConversationMessage = { role: 'user', content: [{ text: 'd'.repeat(120_000) }] };
    const [first, ...rest] = encodeMessage(big, 'big');
    const between = encodeMessage({ role: 'assistant', content: [{ text: 'between' }] }, 'x');

    const decoded = decodeMessages([first, first, ...between, ...rest], () => {
      throw new Error('nothing should be unreadable');
    });

    expect(decoded).toEqual([big, { role: 'assistant', content: [{ text: 'between' }] }]);
  });
});

describe("decoding other writers' items", () => {
  test('TOOL and OTHER conversational roles restore as user, ASSISTANT as assistant', () => {
    const items: PayloadType[] = (['USER', 'ASSISTANT', 'TOOL', 'OTHER'] as const).map((role) => ({
      conversational: { role, content: { text: role } },
    }));

    expect(decodeMessages(items, () => undefined).map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'user',
    ]);
  });

  test('an envelope whose parts disagree is reported and skipped', () => {
    const chunk = (part: number, parts: number): PayloadType => ({
      blob: JSON.stringify({ agentcoreSessionMessage: 1, id: 'x', part, parts, data: '' }),
    });
    const reasons: string[] = [];

    const decoded = decodeMessages([chunk(0, 2), chunk(1, 3)], ({ reason }) => reasons.push(reason));

    expect(decoded).toEqual([]);
    expect(reasons).toEqual(['envelope x chunk says 3 parts, first chunk said 2', 'envelope x has 1 of 2 parts']);
  });

  test('an envelope that does not hold a message is reported and skipped', () => {
    const reasons: string[] = [];
    const blob = JSON.stringify({
      agentcoreSessionMessage: 1,
      id: 'y',
      part: 0,
      parts: 1,
      data: '{"role":"system","content":[]}',
    });

    expect(decodeMessages([{ blob }], ({ reason }) => reasons.push(reason))).toEqual([]);
    expect(reasons).toEqual(["envelope y does not hold a message: message.role must be 'user' or 'assistant'"]);
  });
});

describe('lossless JSON', () => {
  test('bytes come back as a Uint8Array with the same content', () => {
    const decoded = parseLossless(stringifyLossless({ bytes: new Uint8Array([0, 1, 254, 255]) })) as { bytes: unknown };

    expect(decoded.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(decoded.bytes as Uint8Array)).toEqual([0, 1, 254, 255]);
  });

  test('-0, NaN and the infinities, which JSON has no text for, keep their value', () => {
    const value = { negativeZero: -0, notANumber: Number.NaN, numbers: [Infinity, -Infinity, 0, 1.5] };

    const decoded = parseLossless(stringifyLossless(value)) as typeof value;

    expect(Object.is(decoded.negativeZero, -0)).toBe(true);
    expect(decoded).toEqual(value);
  });

  test('objects that look like the bytes, number or escape marker stay plain objects', () => {
    const value = { a: { $bytes: 'AAAA' }, b: { $object: { c: 1 } }, d: [{ $bytes: 'x', e: 2 }], n: { $number: '-0' } };

    expect(parseLossless(stringifyLossless(value))).toEqual(value);
  });

  test('a __proto__ key stays data and does not change the prototype', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"k":1}') as Record<string, unknown>;

    const decoded = parseLossless(stringifyLossless(value)) as Record<string, unknown>;

    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__', 'k']);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toEqual({ polluted: true });
  });

  test('the text is ASCII and keeps non-ASCII and lone surrogate characters', () => {
    const value = { text: 'naïve 寿司 🍣 \ud800 end' };

    const json = stringifyLossless(value);

    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(parseLossless(json)).toEqual(value);
  });
});
