import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DEFAULT_RETRIEVAL_CONFIG } from '../../../lambda/contract/index.js';
import { AgentMemory, type AgentMemoryProps } from '../../../lib/index.js';
import { nagFindings } from '../nag.js';

const MODEL_ID = 'anthropic.claude-haiku-4-5-20251001-v1:0';

function memoryStack(props: (stack: Stack) => AgentMemoryProps) {
  const stack = new Stack(new App(), 'Stack');
  const memory = new AgentMemory(stack, 'Memory', { memoryName: 'agent_memory_test', ...props(stack) });
  const template = Template.fromStack(stack);
  const [resource] = Object.values(template.findResources('AWS::BedrockAgentCore::Memory'));
  return { stack, memory, template, strategies: resource.Properties.MemoryStrategies as Record<string, unknown>[] };
}

function model(stack: Stack) {
  return bedrock.FoundationModel.fromFoundationModelId(stack, 'Model', new bedrock.FoundationModelIdentifier(MODEL_ID));
}

function constructionError(props: (stack: Stack) => AgentMemoryProps): string {
  try {
    memoryStack(props);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected AgentMemory to throw');
}

describe('the episodic strategy', () => {
  test('is off unless asked for', () => {
    const { strategies, memory } = memoryStack(() => ({}));
    expect(strategies.map((strategy) => Object.keys(strategy)[0])).toEqual([
      'SummaryMemoryStrategy',
      'UserPreferenceMemoryStrategy',
      'SemanticMemoryStrategy',
    ]);
    expect(memory.namespaces.episodic).toBeUndefined();
  });

  test('with true: episodes per session and reflections at the actor level, in NamespaceTemplates', () => {
    const { strategies, memory } = memoryStack(() => ({ episodic: true }));
    expect(strategies[3]).toEqual({
      EpisodicMemoryStrategy: {
        Name: 'episodes',
        NamespaceTemplates: ['/episodes/{actorId}/{sessionId}/'],
        ReflectionConfiguration: { NamespaceTemplates: ['/episodes/{actorId}/'] },
      },
    });
    expect(memory.reflectionNamespace).toBe('/episodes/{actorId}/');
    expect(memory.recordNamespaces).toEqual([
      '/summaries/{actorId}/{sessionId}/',
      '/preferences/{actorId}/',
      '/facts/{actorId}/',
      '/episodes/{actorId}/{sessionId}/',
      '/episodes/{actorId}/',
    ]);
  });

  test("the runtime's default retrieval covers what it writes: episodes and reflections under one actor-level prefix", () => {
    const { memory } = memoryStack(() => ({ episodic: true }));
    expect(memory.retrievalConfig).toEqual(DEFAULT_RETRIEVAL_CONFIG);
    expect(memory.retrievalConfig['/episodes/{actorId}/']).toEqual({ top_k: 3, relevance_score: 0.3 });
  });

  test('retrieves from a custom reflection level that sits above the episodes', () => {
    const { memory, strategies } = memoryStack(() => ({
      episodic: { namespace: '/journeys/{actorId}/episodes/{sessionId}/', reflectionNamespace: '/journeys/{actorId}/' },
    }));
    expect(strategies[3]).toMatchObject({
      EpisodicMemoryStrategy: { ReflectionConfiguration: { NamespaceTemplates: ['/journeys/{actorId}/'] } },
    });
    expect(Object.keys(memory.retrievalConfig)).toContain('/journeys/{actorId}/');
  });

  test('rejects a reflection namespace that is not a prefix of the episodes', () => {
    expect(constructionError(() => ({ episodic: { reflectionNamespace: '/reflections/{actorId}/' } }))).toContain(
      "episodic.reflectionNamespace '/reflections/{actorId}/' must be a prefix of episodic.namespace '/episodes/{actorId}/{sessionId}/'",
    );
  });

  test('rejects reflection options on a strategy that has no reflections', () => {
    expect(
      constructionError(() => ({ semantic: { reflectionNamespace: '/facts/{actorId}/' } }) as AgentMemoryProps),
    ).toContain('semantic.reflectionNamespace: only the episodic strategy has reflections; remove it');
  });
});

describe('custom extraction, consolidation and reflection', () => {
  test('render as the built-in strategy override with the model id and the appended prompt', () => {
    const { strategies } = memoryStack((stack) => ({
      semantic: { customExtraction: { model: model(stack), appendToPrompt: 'Keep product names.' } },
      summary: { customConsolidation: { model: model(stack), appendToPrompt: 'Be brief.' } },
    }));
    expect(strategies[0]).toEqual({
      CustomMemoryStrategy: {
        Name: 'session_summary',
        NamespaceTemplates: ['/summaries/{actorId}/{sessionId}/'],
        Configuration: { SummaryOverride: { Consolidation: { ModelId: MODEL_ID, AppendToPrompt: 'Be brief.' } } },
      },
    });
    expect(strategies[2]).toEqual({
      CustomMemoryStrategy: {
        Name: 'semantic_facts',
        NamespaceTemplates: ['/facts/{actorId}/'],
        Configuration: {
          SemanticOverride: { Extraction: { ModelId: MODEL_ID, AppendToPrompt: 'Keep product names.' } },
        },
      },
    });
  });

  test('an episodic override carries its reflection step and namespace', () => {
    const { strategies } = memoryStack((stack) => ({
      episodic: {
        customExtraction: { model: model(stack), appendToPrompt: 'x' },
        customReflection: { model: model(stack), appendToPrompt: 'z' },
      },
    }));
    expect(strategies[3]).toEqual({
      CustomMemoryStrategy: {
        Name: 'episodes',
        NamespaceTemplates: ['/episodes/{actorId}/{sessionId}/'],
        Configuration: {
          EpisodicOverride: {
            Extraction: { ModelId: MODEL_ID, AppendToPrompt: 'x' },
            Reflection: { ModelId: MODEL_ID, AppendToPrompt: 'z', NamespaceTemplates: ['/episodes/{actorId}/'] },
          },
        },
      },
    });
  });

  test("grant the memory's execution role the override models, and acknowledge the L2's action wildcard", () => {
    const { stack, memory, template } = memoryStack((stack) => ({
      episodic: {
        customConsolidation: { model: model(stack), appendToPrompt: 'y' },
        customReflection: { model: model(stack), appendToPrompt: 'z' },
      },
    }));
    const roleRef = { Ref: stack.getLogicalId(memory.memory.executionRole!.node.defaultChild as iam.CfnRole) };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [roleRef],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'bedrock:InvokeModel*',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':bedrock:',
                  { Ref: 'AWS::Region' },
                  `::foundation-model/${MODEL_ID}`,
                ],
              ],
            },
          },
        ],
      },
    });
    expect(nagFindings(stack)).toEqual([]);
  });

  test.each<[string, (stack: Stack) => AgentMemoryProps, string]>([
    [
      'an episodic extraction override without a reflection override',
      (stack) => ({ episodic: { customExtraction: { model: model(stack), appendToPrompt: 'x' } } }),
      'episodic.customReflection is required with customExtraction or customConsolidation',
    ],
    [
      'a summary extraction override, a step the summary strategy does not have',
      (stack) => ({ summary: { customExtraction: { model: model(stack), appendToPrompt: 'x' } } }),
      'summary.customExtraction: the summary strategy has no extraction step to override; use customConsolidation',
    ],
    [
      'an empty appended prompt',
      (stack) => ({ semantic: { customConsolidation: { model: model(stack), appendToPrompt: '' } } }),
      'semantic.customConsolidation.appendToPrompt must be 1-30,000 characters (got 0)',
    ],
    [
      'an appended prompt over 30,000 characters',
      (stack) => ({ semantic: { customExtraction: { model: model(stack), appendToPrompt: 'p'.repeat(30_001) } } }),
      'semantic.customExtraction.appendToPrompt must be 1-30,000 characters (got 30001)',
    ],
  ])('reject %s', (_case, props, expected) => {
    expect(constructionError(props)).toContain(expected);
  });
});

describe('long-term record expiry', () => {
  test('facts and preferences share one value, summaries and episodes another, in RecordExpirySpecification', () => {
    const { strategies } = memoryStack(() => ({
      episodic: true,
      factsAndPreferencesExpiry: Duration.days(365),
      summariesAndEpisodesExpiry: Duration.days(31),
    }));
    const expiryOf = (strategy: Record<string, unknown>) =>
      (Object.values(strategy)[0] as { RecordExpirySpecification?: unknown }).RecordExpirySpecification;
    expect(strategies.map((strategy) => [Object.keys(strategy)[0], expiryOf(strategy)])).toEqual([
      ['SummaryMemoryStrategy', { RecordExpiryDurationDays: 31 }],
      ['UserPreferenceMemoryStrategy', { RecordExpiryDurationDays: 365 }],
      ['SemanticMemoryStrategy', { RecordExpiryDurationDays: 365 }],
      ['EpisodicMemoryStrategy', { RecordExpiryDurationDays: 31 }],
    ]);
  });

  test('one group set leaves the other group without expiry', () => {
    const { template } = memoryStack(() => ({ factsAndPreferencesExpiry: Duration.days(60) }));
    template.hasResourceProperties('AWS::BedrockAgentCore::Memory', {
      MemoryStrategies: [
        {
          SummaryMemoryStrategy: Match.objectEquals({ Name: 'session_summary', NamespaceTemplates: Match.anyValue() }),
        },
        {
          UserPreferenceMemoryStrategy: Match.objectLike({
            RecordExpirySpecification: { RecordExpiryDurationDays: 60 },
          }),
        },
        { SemanticMemoryStrategy: Match.objectLike({ RecordExpirySpecification: { RecordExpiryDurationDays: 60 } }) },
      ],
    });
  });

  test.each<[string, AgentMemoryProps, string]>([
    [
      'facts and preferences under 31 days',
      { factsAndPreferencesExpiry: Duration.days(30) },
      'factsAndPreferencesExpiry must be a whole number of days, at least 31 as AgentCore requires for long-term records (got 30 days)',
    ],
    [
      'summaries and episodes in fractional days',
      { summariesAndEpisodesExpiry: Duration.hours(1000) },
      'summariesAndEpisodesExpiry must be a whole number of days, at least 31',
    ],
    [
      'an expiry that is still a token',
      { factsAndPreferencesExpiry: Duration.days(Lazy.number({ produce: () => 60 })) },
      'factsAndPreferencesExpiry must be a literal duration: it becomes a whole number of days in the template',
    ],
  ])('rejects %s', (_case, props, expected) => {
    expect(constructionError(() => props)).toContain(expected);
  });
});
