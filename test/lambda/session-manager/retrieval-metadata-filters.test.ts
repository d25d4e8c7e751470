import {
  BedrockAgentCoreClient,
  type MemoryMetadataFilterExpression,
  RetrieveMemoryRecordsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemorySessionManager } from '../../../lambda/session-manager/index.js';

const agentCore = mockClient(BedrockAgentCoreClient);
const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;
const topicIsBilling: MemoryMetadataFilterExpression = {
  left: { metadataKey: 'topic' },
  operator: 'EQUALS_TO',
  right: { metadataValue: { stringValue: 'billing' } },
};

beforeEach(() => agentCore.reset());

describe("a namespace's metadataFilters", () => {
  test("are sent as that namespace's searchCriteria.metadataFilters, and no other's", async () => {
    agentCore.on(RetrieveMemoryRecordsCommand).resolves({ memoryRecordSummaries: [] });
    const sessionManager = new AgentCoreMemorySessionManager({
      ...owner,
      retrievalConfig: { '/facts/{actorId}/': { metadataFilters: [topicIsBilling] }, '/preferences/{actorId}/': {} },
    });

    await sessionManager.retrieve('invoices');

    const sent = agentCore
      .commandCalls(RetrieveMemoryRecordsCommand)
      .map(({ args: [{ input }] }) => [input.namespacePath, input.searchCriteria?.metadataFilters]);
    expect(Object.fromEntries(sent)).toEqual({
      '/facts/actor-1/': [topicIsBilling],
      '/preferences/actor-1/': undefined,
    });
  });

  test.each([
    ['none', []],
    ['six', Array(6).fill(topicIsBilling)],
  ])('are refused when they are %s', (_case, metadataFilters) => {
    expect(
      () =>
        new AgentCoreMemorySessionManager({ ...owner, retrievalConfig: { '/facts/{actorId}/': { metadataFilters } } }),
    ).toThrow(/retrievalConfig\['\/facts\/\{actorId\}\/'\]\.metadataFilters must list 1-5 filters/);
  });
});
