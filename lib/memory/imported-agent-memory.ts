import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  DEFAULT_NAMESPACES,
  memoryIdErrors,
  retrievalConfigSchema,
  type RetrievalConfig,
} from '../../lambda/contract/index.js';
import { layoutErrors, templateErrors } from '../validation/namespace-templates.js';
import { AgentMemoryBase, type IAgentMemory } from './agent-memory-base.js';
import { actorLevelTemplate, defaultRetrievalConfigFor, recordNamespacesOf } from './memory-namespaces.js';
import type { AgentMemoryNamespaces } from './strategy-options.js';

/** Attributes of an existing memory, for {@link AgentMemory.fromAgentMemoryAttributes}. */
export interface AgentMemoryAttributes {
  /** The memory id, for example `my_memory-a1b2c3d4e5`. */
  readonly memoryId: string;
  /**
   * The memory ARN.
   * @default - `arn:<partition>:bedrock-agentcore:<region>:<account>:memory/<memoryId>` of the importing stack
   */
  readonly memoryArn?: string;
  /**
   * The namespace templates the memory's strategies write to.
   * @default - the three default namespaces (DEFAULT_NAMESPACES of the contract)
   */
  readonly namespaces?: AgentMemoryNamespaces;
  /**
   * The episodic strategy's reflection namespace, when `namespaces` has `episodic`.
   * @default - the episodic namespace cut after its `{actorId}` segment
   */
  readonly reflectionNamespace?: string;
  /**
   * What the runtime's `retrieve` searches.
   * @default - each namespace's retrieval template with the default settings
   */
  readonly retrievalConfig?: RetrievalConfig;
  /**
   * The memory's custom namespace variables (its `namespaceKeys`), when `namespaces` use any.
   * @default - none: the namespaces use only `{actorId}`, `{sessionId}` and `{memoryStrategyId}`
   */
  readonly namespaceKeys?: string[];
  /**
   * The memory's indexed keys, so that agents' metadata filters are checked against them
   * at synth.
   * @default - not known: agents' filter keys are not checked against the memory
   */
  readonly indexedKeys?: string[];
}

/** An existing memory, checked as a created one is: its id, ARN, templates and retrieval. */
export function importAgentMemory(scope: Construct, id: string, attrs: AgentMemoryAttributes): IAgentMemory {
  const namespaces = attrs.namespaces ?? { ...DEFAULT_NAMESPACES };
  const reflectionNamespace =
    namespaces.episodic === undefined
      ? undefined
      : (attrs.reflectionNamespace ?? actorLevelTemplate(namespaces.episodic));
  const errors = importErrors(attrs, namespaces, reflectionNamespace);
  if (errors.length > 0) throw new Error(`AgentMemory.fromAgentMemoryAttributes: ${errors.join('; ')}`);
  const retrievalConfig = attrs.retrievalConfig ?? defaultRetrievalConfigFor(namespaces, reflectionNamespace);

  class Import extends AgentMemoryBase {
    readonly memoryId = attrs.memoryId;
    readonly memoryArn =
      attrs.memoryArn ??
      Stack.of(scope).formatArn({
        service: 'bedrock-agentcore',
        resource: 'memory',
        resourceName: attrs.memoryId,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    readonly namespaces = namespaces;
    readonly recordNamespaces = recordNamespacesOf(namespaces, reflectionNamespace);
    readonly retrievalConfig = retrievalConfig;
    readonly indexedKeys = attrs.indexedKeys;
  }
  return new Import(scope, id);
}

function importErrors(
  attrs: AgentMemoryAttributes,
  namespaces: AgentMemoryNamespaces,
  reflectionNamespace: string | undefined,
): string[] {
  const templates = [...Object.values(namespaces), reflectionNamespace].filter((template) => template !== undefined);
  const errors = templates.flatMap((template) => templateErrors(template, undefined, attrs.namespaceKeys));
  errors.push(...layoutErrors('namespace layout', [...templates, ...Object.keys(attrs.retrievalConfig ?? {})]));
  if (!Token.isUnresolved(attrs.memoryId)) errors.push(...memoryIdErrors(attrs.memoryId, 'memoryId'));
  if (attrs.memoryArn && !Token.isUnresolved(attrs.memoryArn) && !Token.isUnresolved(attrs.memoryId)) {
    // Catch a mismatched id and ARN here rather than at the first denied call.
    const arnMemoryId = Arn.split(attrs.memoryArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
    if (arnMemoryId !== attrs.memoryId) errors.push(`memoryArn names memory '${arnMemoryId}', not '${attrs.memoryId}'`);
  }
  if (attrs.retrievalConfig) {
    const result = retrievalConfigSchema.safeParse(attrs.retrievalConfig);
    if (!result.success) {
      errors.push(...result.error.issues.map((issue) => `retrievalConfig.${issue.path.join('.')}: ${issue.message}`));
    }
  }
  return errors;
}
