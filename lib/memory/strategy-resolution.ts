import { Token } from 'aws-cdk-lib';
import {
  MEMORY_STRATEGY_KINDS,
  RETRIEVAL_DEFAULTS,
  retrievalSettingIssues,
  type MemoryStrategyKind,
} from '../../lambda/contract/index.js';
import { metadataSchemaErrors } from '../validation/memory-metadata.js';
import { overrideErrors, strategyNameErrors } from '../validation/memory-props.js';
import { layoutErrors, templateErrors } from '../validation/namespace-templates.js';
import type { ResolvedStrategy } from './agent-memory-strategy.js';
import type { AgentMemoryIndexedKey, AgentMemoryNamespaceKey } from './memory-metadata.js';
import { actorLevelTemplate, retrievalTemplateOf } from './memory-namespaces.js';
import {
  DEFAULT_STRATEGY_NAMES,
  DEFAULT_STRATEGY_NAMESPACES,
  type AgentMemoryEpisodicOptions,
} from './strategy-options.js';

/**
 * The strategy props of an `AgentMemory`: options per kind, `false` to leave a strategy
 * out, `true` to add the episodic one with its defaults.
 */
export type StrategyChoices = { readonly [Kind in MemoryStrategyKind]?: AgentMemoryEpisodicOptions | boolean };

/** The memory-level props a strategy is checked against. */
export interface MemoryMetadataProps {
  readonly indexedKeys?: readonly AgentMemoryIndexedKey[];
  readonly namespaceKeys?: readonly AgentMemoryNamespaceKey[];
}

/** Fills in defaults and collects every problem with the strategy props. */
export function resolveStrategies(
  choices: StrategyChoices,
  memory: MemoryMetadataProps = {},
): { resolved: ResolvedStrategy[]; errors: string[] } {
  const errors: string[] = [];
  const resolved: ResolvedStrategy[] = [];
  for (const kind of MEMORY_STRATEGY_KINDS) {
    const given = choices[kind];
    // Episodic is off unless asked for; the others are on unless `false`.
    if (given === false || (kind === 'episodic' && given === undefined)) continue;
    const options: AgentMemoryEpisodicOptions = typeof given === 'object' ? given : {};
    const strategy = resolveStrategy(kind, options);
    errors.push(...strategyErrors(strategy, options, memory));
    resolved.push(strategy);
  }

  if (resolved.length === 0) {
    errors.push(
      'keep at least one of summary, userPreference, semantic, episodic: without a strategy the memory tool has nothing to retrieve',
    );
  }
  errors.push(
    ...duplicateErrors(
      resolved,
      (strategy) => strategy.strategyName,
      'use the strategy name',
      'give each strategy its own strategyName',
    ),
  );
  errors.push(
    ...duplicateErrors(resolved, retrievalTemplateOf, 'retrieve from', 'give each strategy its own namespace'),
  );
  errors.push(...overlappingNamespaceErrors(resolved));
  errors.push(
    ...layoutErrors(
      'namespace layout',
      resolved.flatMap((strategy) => [strategy.namespace, strategy.reflectionNamespace ?? strategy.namespace]),
    ),
  );
  return { resolved, errors };
}

/** Whether the strategy runs a model of the user's choice for any step. */
export function hasModelOverride(strategy: ResolvedStrategy): boolean {
  return [strategy.customExtraction, strategy.customConsolidation, strategy.customReflection].some(
    (override) => override !== undefined,
  );
}

function resolveStrategy(kind: MemoryStrategyKind, options: AgentMemoryEpisodicOptions): ResolvedStrategy {
  const namespace = options.namespace ?? DEFAULT_STRATEGY_NAMESPACES[kind];
  const defaults = RETRIEVAL_DEFAULTS[kind];
  return {
    kind,
    strategyName: options.strategyName ?? DEFAULT_STRATEGY_NAMES[kind],
    namespace,
    reflectionNamespace:
      kind !== 'episodic'
        ? undefined
        : (options.reflectionNamespace ?? (Token.isUnresolved(namespace) ? namespace : actorLevelTemplate(namespace))),
    retrieval: {
      topK: options.topK ?? defaults.topK,
      relevanceScore: options.relevanceScore ?? defaults.relevanceScore,
    },
    customExtraction: options.customExtraction,
    customConsolidation: options.customConsolidation,
    customReflection: options.customReflection,
    metadataSchema: options.metadataSchema,
  };
}

/** The problems of one strategy on its own. */
function strategyErrors(
  strategy: ResolvedStrategy,
  options: AgentMemoryEpisodicOptions,
  memory: MemoryMetadataProps,
): string[] {
  const { kind } = strategy;
  const customVariables = (memory.namespaceKeys ?? []).map(({ key }) => key);
  const errors = [
    ...strategyNameErrors(kind, strategy.strategyName),
    ...templateErrors(strategy.namespace, `${kind}.namespace`, customVariables),
    ...metadataSchemaErrors(`${kind}.metadataSchema`, options.metadataSchema, memory.indexedKeys),
    ...retrievalSettingIssues(strategy.retrieval).map((issue) => `${kind}.${issue.key} ${issue.message}`),
    ...overrideErrors(`${kind}.customExtraction`, options.customExtraction),
    ...overrideErrors(`${kind}.customConsolidation`, options.customConsolidation),
  ];
  if (kind === 'summary' && options.customExtraction !== undefined) {
    errors.push(
      'summary.customExtraction: the summary strategy has no extraction step to override; use customConsolidation',
    );
  }
  if (kind === 'episodic') {
    errors.push(...reflectionErrors(strategy.namespace, strategy.reflectionNamespace!, options, customVariables));
  } else {
    const misplaced = (['reflectionNamespace', 'customReflection'] as const).filter(
      (key) => options[key] !== undefined,
    );
    for (const key of misplaced) errors.push(`${kind}.${key}: only the episodic strategy has reflections; remove it`);
  }
  return errors;
}

function duplicateErrors(
  strategies: ResolvedStrategy[],
  keyOf: (strategy: ResolvedStrategy) => string,
  verb: string,
  remedy: string,
): string[] {
  const byKey = new Map<string, MemoryStrategyKind[]>();
  for (const strategy of strategies) {
    const key = keyOf(strategy);
    if (Token.isUnresolved(key)) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), strategy.kind]);
  }
  return [...byKey.entries()]
    .filter(([, kinds]) => kinds.length > 1)
    .map(([key, kinds]) => `strategies ${kinds.join(' and ')} both ${verb} '${key}'; ${remedy}`);
}

/** Retrieval matches namespaces by prefix: one strategy's prefix must not cover another's records. */
function overlappingNamespaceErrors(strategies: ResolvedStrategy[]): string[] {
  const errors: string[] = [];
  for (const outer of strategies) {
    for (const inner of strategies) {
      const outerTemplate = retrievalTemplateOf(outer);
      const innerTemplate = retrievalTemplateOf(inner);
      if (outer === inner || Token.isUnresolved(outerTemplate) || Token.isUnresolved(innerTemplate)) continue;
      if (outerTemplate !== innerTemplate && innerTemplate.startsWith(outerTemplate)) {
        errors.push(
          `${outer.kind} retrieves from '${outerTemplate}', a prefix of ${inner.kind}'s '${innerTemplate}', so it would also return ${inner.kind} records; move one of them to a namespace of its own`,
        );
      }
    }
  }
  return errors;
}

function reflectionErrors(
  namespace: string,
  reflectionNamespace: string,
  options: AgentMemoryEpisodicOptions,
  customVariables: readonly string[],
): string[] {
  const errors: string[] = [];
  const ownErrors = templateErrors(reflectionNamespace, 'episodic.reflectionNamespace', customVariables);
  errors.push(...ownErrors);
  if (
    ownErrors.length === 0 &&
    !Token.isUnresolved(reflectionNamespace) &&
    !Token.isUnresolved(namespace) &&
    !namespace.startsWith(reflectionNamespace)
  ) {
    errors.push(
      `episodic.reflectionNamespace '${reflectionNamespace}' must be a prefix of episodic.namespace '${namespace}' (AgentCore reflects over the episodes below it), for example '${actorLevelTemplate(namespace)}'`,
    );
  }
  errors.push(...overrideErrors('episodic.customReflection', options.customReflection));
  if (
    options.customReflection === undefined &&
    (options.customExtraction !== undefined || options.customConsolidation !== undefined)
  ) {
    errors.push(
      'episodic.customReflection is required with customExtraction or customConsolidation: AgentCore then takes the reflection namespace from the override, which needs a model and appendToPrompt',
    );
  }
  return errors;
}
