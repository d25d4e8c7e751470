import { BedrockAgentCoreClient, CreateEventCommand } from '@aws-sdk/client-bedrock-agentcore';
import type { ContentBlock, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { AgentCoreMemorySessionManager, type ConversationMessage } from '../../../lambda/session-manager/index.js';
import { installFakeMemory } from './fake-memory.js';

const agentCore = mockClient(BedrockAgentCoreClient);
// One stub and one fake memory for every run, cleared in between: agentCore.reset() per run
// would replace the stub, and sinon keeps each replaced stub with its call history, so the
// test would hold every run's payloads (about 1 MB a run) until the file ends.
const memory = installFakeMemory(agentCore);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;

const role = fc.constantFrom<'user' | 'assistant'>('user', 'assistant');
const anyText = fc.string({ unit: 'binary', maxLength: 60 });
const oversizedText = fc
  .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.integer({ min: 100_001, max: 140_000 }))
  .map(([seed, length]) => seed.repeat(Math.ceil(length / seed.length)).slice(0, length));

const textBlock = fc
  .oneof({ weight: 8, arbitrary: anyText }, { weight: 1, arbitrary: oversizedText })
  .map((text): ContentBlock => ({ text }));
const toolUseBlock = fc
  .record({
    toolUseId: fc.string({ minLength: 1, maxLength: 20 }),
    name: fc.string({ minLength: 1 }),
    input: fc.jsonValue(),
  })
  .map((toolUse): ContentBlock => ({ toolUse }) as ContentBlock);
const toolResultContent = fc.oneof(
  anyText.map((text): ToolResultContentBlock => ({ text })),
  fc.jsonValue().map((json): ToolResultContentBlock => ({ json }) as ToolResultContentBlock),
);
const toolResultBlock = fc
  .record({
    toolUseId: fc.string({ minLength: 1, maxLength: 20 }),
    content: fc.array(toolResultContent, { maxLength: 3 }),
    status: fc.constantFrom<'success' | 'error'>('success', 'error'),
  })
  .map((toolResult): ContentBlock => ({ toolResult }));
const imageBlock = fc
  .uint8Array({ maxLength: 64 })
  .map((bytes): ContentBlock => ({ image: { format: 'png', source: { bytes } } }));

const message: fc.Arbitrary<ConversationMessage> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ role, content: textBlock.map((block) => [block]) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      role,
      content: fc.array(fc.oneof(textBlock, toolUseBlock, toolResultBlock, imageBlock), { maxLength: 4 }),
    }),
  },
);

/** The message without blank text blocks, or nothing when no content is left: what is stored. */
function acceptedByBedrock(message: ConversationMessage): ConversationMessage[] {
  const content = message.content!.filter((block) => block.text === undefined || block.text.trim() !== '');
  return content.length === 0 ? [] : [{ ...message, content }];
}

/** What happens to the CreateEvent call made after the message is appended. */
const fault = fc.constantFrom('none', 'none', 'none', 'reject', 'lose-response');

/**
 * Milliseconds the clock moves between two reads: often not at all (messages of the same
 * millisecond), sometimes back (a clock adjustment). Generated, so a failing seed replays
 * exactly, whatever the machine's speed.
 */
const clockSteps = fc.array(fc.integer({ min: -2, max: 3 }), { minLength: 1, maxLength: 8 });

afterEach(() => jest.restoreAllMocks());

test('any messages appended at any batch size and clock, through failing and retried flushes, restore equal (less blank text) and in order', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(message, fault), { maxLength: 25 }),
      fc.integer({ min: 1, max: 100 }),
      clockSteps,
      async (steps, batchSize, clockMoves) => {
        memory.clear();
        agentCore.resetHistory();
        let now = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
        let reads = 0;
        jest.spyOn(Date, 'now').mockImplementation(() => (now += clockMoves[reads++ % clockMoves.length]));
        const writer = new AgentCoreMemorySessionManager({ ...owner, batchSize });

        for (const [appended, injected] of steps) {
          if (injected === 'reject') memory.rejectNextCalls(1);
          if (injected === 'lose-response') memory.loseNextResponses(1);
          // A failed automatic flush keeps the message pending; later flushes must deliver it.
          await writer.appendMessage(appended).catch(() => undefined);
        }
        memory.rejectNextCalls(0);
        memory.loseNextResponses(0);
        await writer.close();

        expect(writer.pendingMessageCount()).toBe(0);
        for (const call of agentCore.commandCalls(CreateEventCommand)) {
          expect(call.args[0].input.payload!.length).toBeLessThanOrEqual(100);
        }
        const restored = await new AgentCoreMemorySessionManager(owner).listMessages();
        expect(restored).toEqual(steps.flatMap(([appended]) => acceptedByBedrock(appended)));
      },
    ),
    { numRuns: 150 },
  );
});
