import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AgentDefinitionTable, AgentMemory, type AgentDefinitionOptions } from '../../../lib/index.js';
import { renderJoin } from '../intrinsics.js';

function setUp() {
  const stack = new Stack(new App(), 'Stack');
  const memory = new AgentMemory(stack, 'Memory', {
    memoryName: 'agent_memory_test',
    indexedKeys: [
      { key: 'agentId', type: 'STRING' },
      { key: 'reviewed', type: 'STRING' },
      { key: 'topic', type: 'STRING' },
    ],
  });
  const agents = new AgentDefinitionTable(stack, 'Agents');
  const addAgent = (options: Partial<AgentDefinitionOptions>) =>
    agents.addAgent({ agentId: 'support', basePrompt: 'Help.', foundationModel: 'amazon.nova-lite-v1:0', ...options });
  return { stack, memory, addAgent };
}

/** The item the table's custom resource writes for the agent, in DynamoDB's JSON. */
function writtenItem(stack: Stack): Record<string, { M?: Record<string, unknown> }> {
  const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::AgentDefinition')) as {
    Properties: Record<string, unknown>;
  }[];
  return JSON.parse(renderJoin(resource.Properties.Item));
}

describe('AgentDefinitionOptions.memoryFilters', () => {
  test("writes the filters to every namespace the agent retrieves from, and the tool's keys", () => {
    const { stack, memory, addAgent } = setUp();
    addAgent({
      memory,
      memoryFilters: {
        metadataFilters: [
          { key: 'agentId', operator: 'EQUALS_TO', value: { stringValue: 'support' } },
          { key: 'reviewed', operator: 'EXISTS' },
        ],
        toolFilterKeys: ['topic'],
      },
    });

    const feature = writtenItem(stack).memory_feature.M as Record<
      string,
      { M?: Record<string, { M: object }>; L?: unknown }
    >;
    const expectedFilters = {
      L: [
        {
          M: {
            key: { S: 'agentId' },
            operator: { S: 'EQUALS_TO' },
            value: { M: { string_value: { S: 'support' } } },
          },
        },
        { M: { key: { S: 'reviewed' }, operator: { S: 'EXISTS' } } },
      ],
    };
    const namespaces = Object.values(feature.retrieval.M!);
    expect(namespaces.length).toBe(Object.keys(memory.retrievalConfig).length);
    for (const settings of namespaces) {
      expect((settings as { M: Record<string, unknown> }).M.metadata_filters).toEqual(expectedFilters);
    }
    expect(feature.tool_filter_keys).toEqual({ L: [{ S: 'topic' }] });
  });

  test('writes neither when left out', () => {
    const { stack, memory, addAgent } = setUp();
    addAgent({ memory });

    const feature = writtenItem(stack).memory_feature.M!;
    expect(JSON.stringify(feature)).not.toMatch(/metadata_filters|tool_filter_keys/);
  });

  test.each<[string, AgentDefinitionOptions['memoryFilters'], RegExp]>([
    [
      'six filters',
      { metadataFilters: Array(6).fill({ key: 'topic', operator: 'EXISTS' }) },
      /metadata_filters: at most 5 filters/,
    ],
    [
      'a comparison without a value',
      { metadataFilters: [{ key: 'topic', operator: 'EQUALS_TO' }] },
      /EQUALS_TO needs a value/,
    ],
    [
      'a value of two types',
      { metadataFilters: [{ key: 'topic', operator: 'EQUALS_TO', value: { stringValue: 'a', numberValue: 1 } }] },
      /exactly one of/,
    ],
    ['a tool key AgentCore refuses', { toolFilterKeys: ['topic!'] }, /tool_filter_keys/],
  ])('refuses %s before synth', (_case, memoryFilters, expected) => {
    const { memory, addAgent } = setUp();
    expect(() => addAgent({ memory, memoryFilters })).toThrow(expected);
  });

  test('refuses filters without memory', () => {
    const { addAgent } = setUp();
    expect(() => addAgent({ memoryFilters: { toolFilterKeys: ['topic'] } })).toThrow(/memoryFilters: needs memory/);
  });

  test("refuses a key the memory does not index, before synth; AgentCore's own timestamps need no index", () => {
    const { addAgent, memory } = setUp();
    expect(() =>
      addAgent({ memory, memoryFilters: { metadataFilters: [{ key: 'priority', operator: 'EXISTS' }] } }),
    ).toThrow(/memoryFilters\.metadataFilters: 'priority' is not one of the memory's indexed keys/);
    expect(() => addAgent({ memory, memoryFilters: { toolFilterKeys: ['channel'] } })).toThrow(
      /memoryFilters\.toolFilterKeys: 'channel' is not one of the memory's indexed keys/,
    );
    expect(() =>
      addAgent({
        memory,
        memoryFilters: {
          metadataFilters: [
            {
              key: 'x-amz-agentcore-memory-createdAt',
              operator: 'AFTER',
              value: { dateTimeValue: '2026-01-01T00:00:00Z' },
            },
          ],
        },
      }),
    ).not.toThrow();
  });

  test('checks no key against an imported memory that names no indexed keys', () => {
    const stack = new Stack(new App(), 'Imported');
    const memory = AgentMemory.fromAgentMemoryAttributes(stack, 'Memory', { memoryId: 'agent_memory_test-a1b2c3d4e5' });
    const agents = new AgentDefinitionTable(stack, 'Agents');
    expect(() =>
      agents.addAgent({
        agentId: 'support',
        basePrompt: 'Help.',
        foundationModel: 'amazon.nova-lite-v1:0',
        memory,
        memoryFilters: { metadataFilters: [{ key: 'priority', operator: 'EXISTS' }] },
      }),
    ).not.toThrow();
  });
});
