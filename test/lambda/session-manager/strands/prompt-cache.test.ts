/**
 * Retrieval and the prompt cache, with a real `Agent`, a real `BedrockModel` under
 * `cacheConfig: { strategy: 'auto' }` (its requests scripted) and an in-memory AgentCore:
 * the memories are per-call content behind the cache point, so each invocation reads the
 * history the previous one cached, with retrieval on as without it.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { BedrockAgentCoreClient, RetrieveMemoryRecordsCommand } from '@aws-sdk/client-bedrock-agentcore';
import { Agent } from '@strands-agents/sdk';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemoryPlugin } from '../../../../lambda/session-manager/strands/index.js';
import { installFakeMemory } from '../fake-memory.js';
import { messagesReadFromCache, scriptedBedrock } from './scripted-bedrock.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', actorId: 'actor-1' } as const;
const retrievalConfig = { '/preferences/{actorId}/': { topK: 5, relevanceScore: 0.5 } };
const MEMORY = 'The user prefers metric units.';
const PROMPTS = ['Weather in Zürich?', 'And tomorrow?', 'What should I wear?'];

beforeEach(() => {
  agentCore.reset();
  installFakeMemory(agentCore);
  agentCore.on(RetrieveMemoryRecordsCommand).resolves({
    memoryRecordSummaries: [
      {
        memoryRecordId: 'record-1',
        content: { text: MEMORY },
        score: 0.9,
        namespaces: ['/preferences/actor-1/'],
        createdAt: new Date(0),
        memoryStrategyId: 'preferences',
      },
    ],
  });
});

afterEach(() => agentCore.reset());

/** Three invocations of a fresh session; the Converse requests the model sent. */
async function threeInvocations(sessionId: string, withRetrieval: boolean) {
  const { model, requests } = scriptedBedrock(
    [{ text: 'Sunny, 18°C.' }, { text: 'Rain, 12°C.' }, { text: 'A raincoat.' }],
    { cacheConfig: { strategy: 'auto' } },
  );
  const plugin = new AgentCoreMemoryPlugin({ ...owner, sessionId, ...(withRetrieval && { retrievalConfig }) });
  const agent = new Agent({ model, plugins: [plugin], systemPrompt: 'You are a weather assistant.', printer: false });
  for (const prompt of PROMPTS) await agent.invoke(prompt);
  assert.equal(requests.length, 3);
  return requests;
}

test('with retrieval on, the third invocation reads as much history from the prompt cache as without retrieval', async (context) => {
  const without = await threeInvocations('session-without-retrieval', false);
  const withRetrieval = await threeInvocations('session-with-retrieval', true);

  const readWithout = messagesReadFromCache(without, 2);
  const readWith = messagesReadFromCache(withRetrieval, 2);
  context.diagnostic(
    `history messages read from cache on the third invocation: ${readWith} with retrieval, ${readWithout} without`,
  );
  // The first prompt, its answer and the second prompt: the prefix the second invocation cached.
  assert.equal(readWithout, 3);
  assert.equal(readWith, readWithout);
  assert.equal(messagesReadFromCache(withRetrieval, 1), messagesReadFromCache(without, 1));
});

test('the memories follow the cache point in the last user message, and no earlier prompt carries them', async () => {
  const requests = await threeInvocations('session-placement', true);

  const third = requests[2].messages!;
  assert.deepEqual(third[third.length - 1].content, [
    { text: PROMPTS[2] },
    { cachePoint: { type: 'default' } },
    { text: `<user_context>${MEMORY}</user_context>` },
  ]);
  const earlierText = JSON.stringify(third.slice(0, -1));
  assert.ok(!earlierText.includes('user_context'));
});
