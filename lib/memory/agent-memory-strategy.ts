import { Arn, ArnFormat } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { MemoryStrategyKind, RetrievalSettings } from '../../lambda/contract/index.js';
import { renderMetadataSchema, type AgentMemoryMetadataField } from './memory-metadata.js';

/** One strategy with every default filled in and every prop validated. */
export interface ResolvedStrategy {
  readonly kind: MemoryStrategyKind;
  readonly strategyName: string;
  readonly namespace: string;
  /** Episodic only. */
  readonly reflectionNamespace?: string;
  readonly retrieval: RetrievalSettings;
  readonly customExtraction?: agentcore.OverrideConfig;
  readonly customConsolidation?: agentcore.OverrideConfig;
  /** Episodic only. */
  readonly customReflection?: agentcore.OverrideConfig;
  readonly metadataSchema?: readonly AgentMemoryMetadataField[];
}

const BUILT_IN_KEY = {
  summary: 'summaryMemoryStrategy',
  userPreference: 'userPreferenceMemoryStrategy',
  semantic: 'semanticMemoryStrategy',
  episodic: 'episodicMemoryStrategy',
} as const;

const OVERRIDE_KEY = {
  summary: 'summaryOverride',
  userPreference: 'userPreferenceOverride',
  semantic: 'semanticOverride',
  episodic: 'episodicOverride',
} as const;

const L2_FACTORY: Record<
  MemoryStrategyKind,
  (props: agentcore.ManagedStrategyProps) => agentcore.ManagedMemoryStrategy
> = {
  summary: (props) => agentcore.MemoryStrategy.usingSummarization(props),
  userPreference: (props) => agentcore.MemoryStrategy.usingUserPreference(props),
  semantic: (props) => agentcore.MemoryStrategy.usingSemantic(props),
  episodic: (props) => agentcore.MemoryStrategy.usingEpisodic(props),
};

/**
 * A strategy of `AgentMemory`, rendered in CloudFormation's current fields: namespace
 * templates in `NamespaceTemplates` (the control plane marks `Namespaces` deprecated),
 * long-term record expiry in `RecordExpirySpecification`, record metadata in
 * `MemoryRecordSchema`, and an episodic override with
 * its reflection step, none of which the L2's own rendering offers. The L2 strategy
 * underneath still validates the props and grants the memory's role the override models.
 */
export class AgentMemoryStrategy implements agentcore.IMemoryStrategy {
  readonly strategyName: string;
  readonly strategyType: agentcore.MemoryStrategyType;
  private readonly managed: agentcore.ManagedMemoryStrategy;

  constructor(
    private readonly strategy: ResolvedStrategy,
    private readonly recordExpiryDays: number | undefined,
  ) {
    this.managed = L2_FACTORY[strategy.kind]({
      strategyName: strategy.strategyName,
      namespaces: [strategy.namespace],
      customExtraction: strategy.customExtraction,
      customConsolidation: strategy.customConsolidation,
      ...(strategy.reflectionNamespace !== undefined && {
        reflectionConfiguration: { namespaces: [strategy.reflectionNamespace] },
      }),
    });
    this.strategyName = this.managed.strategyName;
    this.strategyType = this.managed.strategyType;
  }

  render(): agentcore.CfnMemory.MemoryStrategyProperty {
    const { kind, strategyName, namespace, reflectionNamespace } = this.strategy;
    const common = {
      name: strategyName,
      namespaceTemplates: [namespace],
      ...(this.recordExpiryDays !== undefined && {
        recordExpirySpecification: { recordExpiryDurationDays: this.recordExpiryDays },
      }),
      ...(this.strategy.metadataSchema !== undefined && {
        memoryRecordSchema: renderMetadataSchema(this.strategy.metadataSchema),
      }),
    };
    const { customExtraction, customConsolidation, customReflection } = this.strategy;
    if (customExtraction === undefined && customConsolidation === undefined && customReflection === undefined) {
      return {
        [BUILT_IN_KEY[kind]]: {
          ...common,
          ...(reflectionNamespace !== undefined && {
            reflectionConfiguration: { namespaceTemplates: [reflectionNamespace] },
          }),
        },
      };
    }
    return {
      customMemoryStrategy: {
        ...common,
        configuration: {
          [OVERRIDE_KEY[kind]]: {
            ...(customExtraction && { extraction: modelStep(customExtraction) }),
            ...(customConsolidation && { consolidation: modelStep(customConsolidation) }),
            ...(customReflection && {
              reflection: {
                ...modelStep(customReflection),
                ...(reflectionNamespace !== undefined && { namespaceTemplates: [reflectionNamespace] }),
              },
            }),
          },
        },
      },
    };
  }

  /** The L2's grant for extraction and consolidation models, and the same for the reflection model. */
  grant(grantee: iam.IGrantable): iam.Grant | undefined {
    const grant = this.managed.grant(grantee);
    const reflection = this.strategy.customReflection;
    if (reflection === undefined) return grant;
    const reflectionGrant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['bedrock:InvokeModel*'],
      resourceArns: [reflection.model.modelArn],
    });
    return grant ? grant.combine(reflectionGrant) : reflectionGrant;
  }
}

function modelStep(override: agentcore.OverrideConfig): { modelId: string; appendToPrompt: string } {
  return {
    modelId: Arn.split(override.model.modelArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? override.model.modelArn,
    appendToPrompt: override.appendToPrompt,
  };
}
