/** Strands messages to the stored Converse form and back. Run by Node's test runner. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Message, type MessageData } from '@strands-agents/sdk';
import { toConversationMessage, toStrandsMessage } from '../../../../lambda/session-manager/strands/index.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

/** A Strands message with every block whose Converse form differs, and bytes. */
const strandsData: MessageData = {
  role: 'assistant',
  content: [
    { reasoning: { text: 'The user wants a picture.', signature: 'sig-1' } },
    { text: 'Here it is.' },
    { image: { format: 'png', source: { bytes: PNG } } },
    { image: { format: 'jpeg', source: { location: { type: 's3', uri: 's3://bucket/a.jpg', bucketOwner: '123' } } } },
    { video: { format: '3gp', source: { bytes: PNG } } },
    { document: { name: 'notes', format: 'txt', source: { text: 'plain notes' } } },
    { cachePoint: { cacheType: 'default' } },
    {
      citations: {
        citations: [
          {
            location: { type: 'documentChar', documentIndex: 0, start: 0, end: 5 },
            source: 'notes',
            sourceContent: [{ text: 'plain' }],
            title: 'notes',
          },
        ],
        content: [{ text: 'plain' }],
      },
    },
  ],
};

describe('the stored form', () => {
  test('is Converse: reasoningContent, cache point type, s3Location, three_gp, bytes as bytes', () => {
    const stored = toConversationMessage(Message.fromMessageData(strandsData));

    assert.equal(stored.role, 'assistant');
    assert.deepEqual(stored.content!.slice(0, 7), [
      { reasoningContent: { reasoningText: { text: 'The user wants a picture.', signature: 'sig-1' } } },
      { text: 'Here it is.' },
      { image: { format: 'png', source: { bytes: PNG } } },
      { image: { format: 'jpeg', source: { s3Location: { uri: 's3://bucket/a.jpg', bucketOwner: '123' } } } },
      { video: { format: 'three_gp', source: { bytes: PNG } } },
      { document: { name: 'notes', format: 'txt', source: { text: 'plain notes' } } },
      { cachePoint: { type: 'default' } },
    ]);
  });

  test('restores to the same Strands message, blocks Converse has no form for included', () => {
    const original = Message.fromMessageData(strandsData);

    const restored = toStrandsMessage(toConversationMessage(original), (block) => assert.fail(`unknown ${block}`));

    assert.deepEqual(restored.toJSON().content, original.toJSON().content);
    assert.equal(restored.role, 'assistant');
  });

  test('tool uses and tool results keep ids, input, status and content', () => {
    const toolUse = Message.fromMessageData({
      role: 'assistant',
      content: [{ toolUse: { name: 'get_weather', toolUseId: 't-1', input: { city: 'Zürich', days: [1, 2] } } }],
    });
    // The same shape in both forms: Converse's tool result is what Strands' serializes to.
    const toolResultBlock = {
      toolResult: {
        toolUseId: 't-1',
        status: 'error' as const,
        content: [
          { text: 'timed out' },
          { json: { retry: true } },
          { image: { format: 'png' as const, source: { bytes: PNG } } },
        ],
      },
    };
    const toolResult = Message.fromMessageData({ role: 'user', content: [toolResultBlock] });

    for (const message of [toolUse, toolResult]) {
      const restored = toStrandsMessage(toConversationMessage(message), (block) => assert.fail(`unknown ${block}`));
      assert.deepEqual(restored.toJSON().content, message.toJSON().content);
    }
    assert.deepEqual(toConversationMessage(toolResult).content, [toolResultBlock]);
  });

  test('a block neither form knows is left out and named; the rest keeps its order', () => {
    const unknown: string[] = [];

    const restored = toStrandsMessage(
      { role: 'user', content: [{ text: 'a' }, { somethingNew: {} } as never, { text: 'b' }] },
      (block) => unknown.push(block),
    );

    assert.deepEqual(restored.toJSON().content, [{ text: 'a' }, { text: 'b' }]);
    assert.deepEqual(unknown, ['somethingNew']);
  });
});
