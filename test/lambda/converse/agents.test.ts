import './support/environment.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_RETRIEVAL_CONFIG } from '../../../lambda/contract/index.js';
import {
  AgentDefinitionRepository,
  MalformedAgentDefinitionError,
} from '../../../lambda/converse/agents/repository.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

function agentItem(agentId: string, basePrompt = 'Hi') {
  return { agent_id: agentId, base_prompt: basePrompt, foundation_model: 'amazon.nova-lite-v1:0' };
}

function repository(now: () => number, maxEntries = 100) {
  return new AgentDefinitionRepository({
    tableName: 'agents',
    documentClient: () => documentClient,
    ttlMs: 1_000,
    maxEntries,
    now,
  });
}

beforeEach(() => dynamo.reset());
afterAll(() => dynamo.restore());

describe('agent definition repository', () => {
  it('reads an agent once and serves it from the cache until the TTL passes', async () => {
    let now = 0;
    dynamo.on(GetCommand).callsFake(async (input) => ({ Item: agentItem(input.Key.agent_id, `prompt at ${now}`) }));
    const agents = repository(() => now);

    expect((await agents.get('a'))?.base_prompt).toBe('prompt at 0');
    now = 999;
    expect((await agents.get('a'))?.base_prompt).toBe('prompt at 0');
    now = 1_000;
    expect((await agents.get('a'))?.base_prompt).toBe('prompt at 1000');
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'agents', Key: { agent_id: 'a' } },
      { TableName: 'agents', Key: { agent_id: 'a' } },
    ]);
  });

  it('keeps at most maxEntries agents, dropping the oldest', async () => {
    dynamo.on(GetCommand).callsFake(async (input) => ({ Item: agentItem(input.Key.agent_id) }));
    const agents = repository(() => 0, 2);

    await agents.get('a');
    await agents.get('b');
    await agents.get('c');

    expect(agents.cached('a')).toBeUndefined();
    expect(agents.cached('b')).toBeDefined();
    expect(agents.cached('c')).toBeDefined();
  });

  it('returns undefined for an unknown agent and does not cache the miss', async () => {
    dynamo.on(GetCommand).resolves({});
    const agents = repository(() => 0);

    expect(await agents.get('ghost')).toBeUndefined();
    expect(await agents.get('ghost')).toBeUndefined();
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(2);
  });

  it('fills memory_feature defaults for an item with only enabled and memory_id', async () => {
    dynamo.on(GetCommand).resolves({
      Item: { ...agentItem('m'), memory_feature: { enabled: true, memory_id: 'agent_memory_dev-AbCdEf1234' } },
    });

    const agent = await repository(() => 0).get('m');

    expect(agent?.memory_feature).toEqual({
      enabled: true,
      memory_id: 'agent_memory_dev-AbCdEf1234',
      persist_conversation: true,
      default_mode: 'learn',
      retrieval: DEFAULT_RETRIEVAL_CONFIG,
    });
    // The defaults the README documents, written out: comparing with the constant alone would pass whatever it held.
    expect(agent?.memory_feature?.retrieval).toEqual({
      '/preferences/{actorId}/': { top_k: 5, relevance_score: 0.3 },
      '/facts/{actorId}/': { top_k: 5, relevance_score: 0.3 },
      '/summaries/{actorId}/': { top_k: 3, relevance_score: 0.3 },
      '/episodes/{actorId}/': { top_k: 3, relevance_score: 0.3 },
    });
  });

  it('rejects a memory_id AgentCore would refuse, naming the field and the form it takes', async () => {
    dynamo
      .on(GetCommand)
      .resolves({ Item: { ...agentItem('m'), memory_feature: { enabled: true, memory_id: 'my-memory' } } });

    const failure = await repository(() => 0)
      .get('m')
      .catch((error: unknown) => error);

    expect((failure as MalformedAgentDefinitionError).problems).toEqual([
      expect.stringMatching(
        /^memory_feature\.memory_id: memory_id must be an AgentCore memory id such as 'agent_memory_prod-AbCdEf1234'/,
      ),
    ]);
  });

  it('rejects retrieval settings out of range, naming the stored key', async () => {
    const retrieval = { '/facts/{actorId}/': { top_k: 101, relevance_score: -1 } };
    dynamo.on(GetCommand).resolves({
      Item: {
        ...agentItem('r'),
        memory_feature: { enabled: true, memory_id: 'agent_memory_dev-AbCdEf1234', retrieval },
      },
    });

    const failure = await repository(() => 0)
      .get('r')
      .catch((error: unknown) => error);

    expect((failure as MalformedAgentDefinitionError).problems).toEqual([
      'memory_feature.retrieval./facts/{actorId}/.top_k: must be a whole number from 1 to 100 (got 101)',
      'memory_feature.retrieval./facts/{actorId}/.relevance_score: must be a number from 0 to 1 (got -1)',
    ]);
  });

  it('rejects a retrieval template with {memoryStrategyId}, which the runtime has no value for', async () => {
    const retrieval = { '/facts/{actorId}/{memoryStrategyId}/': { top_k: 5, relevance_score: 0.3 } };
    dynamo.on(GetCommand).resolves({
      Item: {
        ...agentItem('s'),
        memory_feature: { enabled: true, memory_id: 'agent_memory_dev-AbCdEf1234', retrieval },
      },
    });

    const failure = await repository(() => 0)
      .get('s')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MalformedAgentDefinitionError);
    expect((failure as MalformedAgentDefinitionError).problems).toEqual([
      "memory_feature.retrieval./facts/{actorId}/{memoryStrategyId}/: namespace '/facts/{actorId}/{memoryStrategyId}/' uses '{memoryStrategyId}', which retrieval cannot resolve; search the prefix before it ('/facts/{actorId}/')",
    ]);
  });

  it('rejects a malformed item with an error naming the agent and every problem', async () => {
    dynamo.on(GetCommand).resolves({ Item: { agent_id: 'bad', base_prompt: '', tools: ['rm_rf'] } });

    const failure = await repository(() => 0)
      .get('bad')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MalformedAgentDefinitionError);
    const { message, agentId } = failure as MalformedAgentDefinitionError;
    expect(agentId).toBe('bad');
    expect(message).toMatch(/^agent definition 'bad' is malformed: /);
    for (const field of ['base_prompt', 'foundation_model', 'tools.0']) expect(message).toContain(field);
  });
});
