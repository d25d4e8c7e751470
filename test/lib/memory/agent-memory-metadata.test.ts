import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AgentMemory,
  type AgentMemoryMetadataField,
  type AgentMemoryNamespaceKey,
  type AgentMemoryProps,
} from '../../../lib/index.js';

function memoryStack(props: AgentMemoryProps = {}) {
  const stack = new Stack(new App(), 'Stack');
  const memory = new AgentMemory(stack, 'Memory', { memoryName: 'metadata_memory', ...props });
  const template = Template.fromStack(stack);
  const properties = Object.values(template.findResources('AWS::BedrockAgentCore::Memory'))[0].Properties;
  return { stack, memory, template, properties };
}

function constructionError(props: AgentMemoryProps): string {
  try {
    memoryStack(props);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected AgentMemory to throw');
}

const TOPIC: AgentMemoryMetadataField = {
  key: 'topic',
  type: 'STRING',
  extraction: 'LLM_INFERRED',
  definition: 'What the fact is about',
  instruction: 'LATEST_VALUE',
  allowedValues: ['travel', 'food'],
};
const AGENT_ID: AgentMemoryMetadataField = { key: 'agent_id', type: 'STRING', extraction: 'STRICTLY_CONSISTENT' };

describe('record metadata schema', () => {
  test('a strategy carries its schema in MemoryRecordSchema, in CloudFormation fields', () => {
    const { properties } = memoryStack({
      semantic: {
        metadataSchema: [
          TOPIC,
          AGENT_ID,
          { key: 'tags', type: 'STRINGLIST', extraction: 'LLM_INFERRED', definition: 'Labels', maxItems: 3 },
          { key: 'score', type: 'NUMBER', extraction: 'LLM_INFERRED', definition: 'Weight', minValue: 0, maxValue: 1 },
        ],
      },
    });
    const semantic = properties.MemoryStrategies.find((strategy: object) => 'SemanticMemoryStrategy' in strategy);
    expect(semantic.SemanticMemoryStrategy.MemoryRecordSchema).toEqual({
      MetadataSchema: [
        {
          Key: 'topic',
          Type: 'STRING',
          ExtractionType: 'LLM_INFERRED',
          ExtractionConfig: {
            LlmExtractionConfig: {
              Definition: 'What the fact is about',
              LlmExtractionInstruction: 'LATEST_VALUE',
              Validation: { StringValidation: { AllowedValues: ['travel', 'food'] } },
            },
          },
        },
        { Key: 'agent_id', Type: 'STRING', ExtractionType: 'STRICTLY_CONSISTENT' },
        {
          Key: 'tags',
          Type: 'STRINGLIST',
          ExtractionType: 'LLM_INFERRED',
          ExtractionConfig: {
            LlmExtractionConfig: { Definition: 'Labels', Validation: { StringListValidation: { MaxItems: 3 } } },
          },
        },
        {
          Key: 'score',
          Type: 'NUMBER',
          ExtractionType: 'LLM_INFERRED',
          ExtractionConfig: {
            LlmExtractionConfig: {
              Definition: 'Weight',
              Validation: { NumberValidation: { MinValue: 0, MaxValue: 1 } },
            },
          },
        },
      ],
    });
  });

  test('a strategy with a model override carries it on its custom strategy', () => {
    const model = bedrock.FoundationModel.fromFoundationModelId(
      new Stack(),
      'Model',
      new bedrock.FoundationModelIdentifier('anthropic.claude-3-5-haiku-20241022-v1:0'),
    );
    const { properties } = memoryStack({
      userPreference: { customExtraction: { model, appendToPrompt: 'Only travel.' }, metadataSchema: [AGENT_ID] },
    });
    const custom = properties.MemoryStrategies.find((strategy: object) => 'CustomMemoryStrategy' in strategy);
    expect(custom.CustomMemoryStrategy.MemoryRecordSchema).toEqual({
      MetadataSchema: [{ Key: 'agent_id', Type: 'STRING', ExtractionType: 'STRICTLY_CONSISTENT' }],
    });
  });

  test('without the props, no strategy has a schema and the memory no indexed or namespace keys', () => {
    const { properties } = memoryStack();
    expect(JSON.stringify(properties)).not.toMatch(/MemoryRecordSchema|IndexedKeys|NamespaceKeys/);
  });
});

describe('indexed keys and namespace keys', () => {
  const NAMESPACE_KEYS: AgentMemoryNamespaceKey[] = [
    { key: 'topic', allowedValues: ['travel', 'food'] },
    { key: 'channel', regexPattern: '[a-z]+' },
    { key: 'team' },
  ];

  test('are set on the memory itself', () => {
    const { properties } = memoryStack({
      indexedKeys: [
        { key: 'agent_id', type: 'STRING' },
        { key: 'score', type: 'NUMBER' },
      ],
      namespaceKeys: NAMESPACE_KEYS,
    });
    expect(properties.IndexedKeys).toEqual([
      { Key: 'agent_id', Type: 'STRING' },
      { Key: 'score', Type: 'NUMBER' },
    ]);
    expect(properties.NamespaceKeys).toEqual([
      { Key: 'topic', Validation: { AllowedValues: ['travel', 'food'] } },
      { Key: 'channel', Validation: { RegexPattern: '[a-z]+' } },
      { Key: 'team' },
    ]);
  });

  test('a template with a custom variable is written as given; retrieval and forgetting use it cut before the variable', () => {
    const { properties, memory } = memoryStack({
      namespaceKeys: NAMESPACE_KEYS,
      semantic: { namespace: '/facts/{actorId}/{topic}/' },
    });
    const semantic = properties.MemoryStrategies.find((strategy: object) => 'SemanticMemoryStrategy' in strategy);
    expect(semantic.SemanticMemoryStrategy.NamespaceTemplates).toEqual(['/facts/{actorId}/{topic}/']);
    expect(memory.namespaces.semantic).toBe('/facts/{actorId}/{topic}/');
    expect(Object.keys(memory.retrievalConfig)).toContain('/facts/{actorId}/');
    expect(memory.recordNamespaces).toContain('/facts/{actorId}/');
    expect(memory.recordNamespaces.join()).not.toContain('{topic}');
  });
});

describe('an imported memory with custom namespace variables', () => {
  test('accepts them after the actor when named, and retrieves and forgets from the template cut before them', () => {
    const memory = AgentMemory.fromAgentMemoryAttributes(new Stack(new App(), 'Stack'), 'Memory', {
      memoryId: 'shared-XyZ0123456',
      namespaces: { semantic: '/facts/{actorId}/{topic}/' },
      namespaceKeys: ['topic'],
    });
    expect(memory.retrievalConfig).toEqual({ '/facts/{actorId}/': { top_k: 5, relevance_score: 0.3 } });
    expect(memory.recordNamespaces).toEqual(['/facts/{actorId}/']);
  });

  test('refuses them unnamed', () => {
    expect(() =>
      AgentMemory.fromAgentMemoryAttributes(new Stack(new App(), 'Stack'), 'Memory', {
        memoryId: 'shared-XyZ0123456',
        namespaces: { semantic: '/facts/{actorId}/{topic}/' },
      }),
    ).toThrow("uses unknown variable '{topic}'");
  });
});

describe('metadata validation before synth', () => {
  const indexed = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ key: `k${index}`, type: 'STRING' as const }));

  test.each<[string, AgentMemoryProps, string]>([
    ['11 indexed keys', { indexedKeys: indexed(11) }, 'indexedKeys holds 11 entries; AgentCore takes 1-10'],
    ['no indexed keys', { indexedKeys: [] }, 'indexedKeys holds 0 entries'],
    [
      'an indexed key with a character AgentCore refuses',
      { indexedKeys: [{ key: 'agent#id', type: 'STRING' }] },
      "indexedKeys[0].key 'agent#id' must be 1-128 letters, digits, white space and '._:/=+@-'",
    ],
    [
      'an indexed key of 129 characters',
      { indexedKeys: [{ key: 'k'.repeat(129), type: 'STRING' }] },
      'must be 1-128 letters',
    ],
    [
      'an unknown indexed type',
      { indexedKeys: [{ key: 'a', type: 'BOOLEAN' as never }] },
      "indexedKeys[0].type 'BOOLEAN' must be one of STRING, STRINGLIST, NUMBER",
    ],
    [
      'the same indexed key twice',
      { indexedKeys: [...indexed(1), ...indexed(1)] },
      "indexedKeys names 'k0' more than once",
    ],
    [
      'a schema of 21 fields',
      { semantic: { metadataSchema: Array.from({ length: 21 }, (_, index) => ({ ...AGENT_ID, key: `k${index}` })) } },
      'semantic.metadataSchema holds 21 entries; AgentCore takes 1-20',
    ],
    [
      'an inferred field without a definition',
      { semantic: { metadataSchema: [{ key: 'topic', type: 'STRING', extraction: 'LLM_INFERRED' }] } },
      'semantic.metadataSchema[0].definition is required with LLM_INFERRED',
    ],
    [
      'a definition of 1,001 characters',
      { semantic: { metadataSchema: [{ ...TOPIC, definition: 'd'.repeat(1001) }] } },
      'semantic.metadataSchema[0].definition must be 1-1,000 characters (got 1001)',
    ],
    [
      'a copied field with a definition',
      { userPreference: { metadataSchema: [{ ...AGENT_ID, definition: 'Agent' }] } },
      'userPreference.metadataSchema[0].definition: only an LLM_INFERRED field has it',
    ],
    [
      'a field typed unlike its indexed key',
      { indexedKeys: [{ key: 'topic', type: 'STRINGLIST' }], semantic: { metadataSchema: [TOPIC] } },
      "semantic.metadataSchema[0].type STRING differs from the indexed key 'topic' (STRINGLIST)",
    ],
    [
      'a list field allowing 6 items',
      {
        semantic: {
          metadataSchema: [{ key: 't', type: 'STRINGLIST', extraction: 'LLM_INFERRED', definition: 'd', maxItems: 6 }],
        },
      },
      'semantic.metadataSchema[0].maxItems must be a whole number from 1 to 5 (got 6)',
    ],
    [
      'a number field with bounds the wrong way round',
      {
        semantic: {
          metadataSchema: [
            { key: 'n', type: 'NUMBER', extraction: 'LLM_INFERRED', definition: 'd', minValue: 2, maxValue: 1 },
          ],
        },
      },
      'semantic.metadataSchema[0].minValue 2 is above maxValue 1',
    ],
    [
      'a number field with allowed values',
      {
        semantic: {
          metadataSchema: [
            { key: 'n', type: 'NUMBER', extraction: 'LLM_INFERRED', definition: 'd', allowedValues: ['1'] },
          ],
        },
      },
      'semantic.metadataSchema[0].allowedValues: a NUMBER field has no such rule',
    ],
    [
      'an allowed string value of 257 characters',
      { semantic: { metadataSchema: [{ ...TOPIC, allowedValues: ['v'.repeat(257)] }] } },
      'semantic.metadataSchema[0].allowedValues[0]',
    ],
    [
      'the same field twice',
      { summary: { metadataSchema: [AGENT_ID, AGENT_ID] } },
      "summary.metadataSchema names 'agent_id' more than once",
    ],
    [
      '6 namespace keys',
      { namespaceKeys: ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({ key })) },
      'namespaceKeys holds 6 entries; AgentCore takes 1-5',
    ],
    [
      'a namespace key named like a built-in variable',
      { namespaceKeys: [{ key: 'sessionId' }] },
      "namespaceKeys[0].key 'sessionId' is a built-in namespace variable",
    ],
    [
      'a namespace key with capitals',
      { namespaceKeys: [{ key: 'myTopic' }] },
      "namespaceKeys[0].key 'myTopic' must be 1-32 lowercase letters and digits",
    ],
    [
      'a namespace key of 33 characters',
      { namespaceKeys: [{ key: 'k'.repeat(33) }] },
      'must be 1-32 lowercase letters and digits',
    ],
    [
      'an allowed value AgentCore refuses',
      { namespaceKeys: [{ key: 'topic', allowedValues: ['Travel'] }] },
      "namespaceKeys[0].allowedValues[0] 'Travel' must be 1-64 lowercase letters, digits",
    ],
    [
      'an allowed value its own pattern refuses',
      { namespaceKeys: [{ key: 'topic', allowedValues: ['food1'], regexPattern: '[a-z]+' }] },
      "namespaceKeys[0].allowedValues[0] 'food1' does not match regexPattern '[a-z]+'",
    ],
    [
      'a pattern that does not compile',
      { namespaceKeys: [{ key: 'topic', regexPattern: '[a-z' }] },
      "namespaceKeys[0].regexPattern '[a-z' is not a regular expression",
    ],
    [
      'a pattern of 65 characters',
      { namespaceKeys: [{ key: 'topic', regexPattern: 'a'.repeat(65) }] },
      'namespaceKeys[0].regexPattern must be 1-64 characters (got 65)',
    ],
  ])('rejects %s', (_case, props, expected) => {
    expect(constructionError(props)).toContain(expected);
  });
});

describe('custom namespace variables keep actors apart', () => {
  const namespaceKeys = [{ key: 'topic' }];

  test.each<[string, AgentMemoryProps, string]>([
    [
      'a template whose only actor-distinguishing part is a custom variable',
      { namespaceKeys, semantic: { namespace: '/facts/{topic}/' } },
      "semantic.namespace: namespace '/facts/{topic}/' tells actors apart only by the custom variable '{topic}'",
    ],
    [
      'a custom variable before the actor',
      { namespaceKeys, semantic: { namespace: '/facts/{topic}/{actorId}/' } },
      "namespace '/facts/{topic}/{actorId}/' must have '{actorId}' before the custom variable '{topic}'",
    ],
    [
      'a variable the memory does not declare',
      { namespaceKeys, semantic: { namespace: '/facts/{actorId}/{channel}/' } },
      "uses unknown variable '{channel}'; use only {actorId}, {sessionId}, {memoryStrategyId}, {topic}",
    ],
    [
      'a custom variable inside a segment',
      { namespaceKeys, semantic: { namespace: '/facts/{actorId}/t-{topic}/' } },
      "segment 't-{topic}' must be a literal",
    ],
    [
      'a custom-variable template whose actor part is a prefix of another',
      {
        namespaceKeys,
        semantic: { namespace: '/notes/{actorId}/{topic}/' },
        userPreference: { namespace: '/notes/work/{actorId}/' },
      },
      "namespaces '/notes/{actorId}/' and '/notes/work/{actorId}/' do not keep actors apart",
    ],
  ])('rejects %s', (_case, props, expected) => {
    expect(constructionError(props)).toContain(expected);
  });

  test('without namespaceKeys a custom variable is an unknown one', () => {
    expect(constructionError({ semantic: { namespace: '/facts/{actorId}/{topic}/' } })).toContain(
      "uses unknown variable '{topic}'",
    );
  });

  test('a custom variable after the actor and the session passes', () => {
    expect(() =>
      memoryStack({ namespaceKeys, summary: { namespace: '/summaries/{actorId}/{sessionId}/{topic}/' } }),
    ).not.toThrow();
  });
});

describe('grantInspect and grantExtractionJobs', () => {
  const INSPECT_ACTIONS = [
    'bedrock-agentcore:GetMemory',
    'bedrock-agentcore:ListMemoryRecords',
    'bedrock-agentcore:RetrieveMemoryRecords',
    'bedrock-agentcore:GetMemoryRecord',
    'bedrock-agentcore:BatchCreateMemoryRecords',
    'bedrock-agentcore:BatchUpdateMemoryRecords',
    'bedrock-agentcore:BatchDeleteMemoryRecords',
    'bedrock-agentcore:ListSessions',
    'bedrock-agentcore:ListEvents',
  ];

  function statementsOf(stack: Stack, role: iam.Role) {
    const roleRef = { Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) };
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [roleRef] } });
    return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  }

  test('grantInspect grants exactly the inspector calls on the memory ARN, and nothing on any other resource', () => {
    const stack = new Stack(new App(), 'Stack');
    const memory = new AgentMemory(stack, 'Memory');
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    memory.grantInspect(operator);
    expect(statementsOf(stack, operator)).toEqual([
      {
        Effect: 'Allow',
        Action: INSPECT_ACTIONS,
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(memory.memory.node.findChild('Memory') as never), 'MemoryArn'] },
      },
    ]);
  });

  test('an imported memory grants the same on its ARN', () => {
    const stack = new Stack(new App(), 'Stack');
    const memoryArn = 'arn:aws:bedrock-agentcore:us-east-1:111122223333:memory/shared-XyZ0123456';
    const memory = AgentMemory.fromAgentMemoryAttributes(stack, 'Memory', { memoryId: 'shared-XyZ0123456', memoryArn });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    memory.grantInspect(operator);
    memory.grantExtractionJobs(operator);
    expect(statementsOf(stack, operator)).toEqual([
      { Effect: 'Allow', Action: INSPECT_ACTIONS, Resource: memoryArn },
      {
        Effect: 'Allow',
        Action: ['bedrock-agentcore:ListMemoryExtractionJobs', 'bedrock-agentcore:StartMemoryExtractionJob'],
        Resource: memoryArn,
      },
    ]);
  });
});
