/**
 * Validation of {@link AgentCoreMemorySessionManagerConfig}: every problem is collected
 * before throwing, each naming the field to change, and the defaults are applied in one
 * place so the rest of the module only sees complete settings.
 */
import type { BedrockAgentCoreClient, MemoryMetadataFilterExpression } from '@aws-sdk/client-bedrock-agentcore';
import {
  ACTOR_ID_MAX_LENGTH,
  CREATE_EVENT_PAYLOAD_ITEMS_MAX,
  RETRIEVAL_DEFAULTS,
  RETRIEVE_METADATA_FILTERS_MAX,
  RETRIEVAL_SETTING_BOUNDS,
  SESSION_ID_MAX_LENGTH,
  actorNamespaceRoots,
  isActorLevelTemplate,
  isValidActorId,
  isValidSessionId,
  memoryIdErrors,
  namespaceLayoutErrors,
  namespaceTemplateErrors,
  resolveNamespace,
  retrievalSettingIssues,
  strategyIdErrors,
} from '../contract/index.js';
import { SessionManagerConfigError } from '../platform/errors.js';
import {
  type MetadataLayers,
  combinedKeyErrors,
  fixedMetadataErrors,
  metadataShapeErrors,
  reservedKeyErrors,
} from './event-metadata.js';
import type {
  AgentCoreMemorySessionManagerConfig,
  MessageFormat,
  NamespaceRetrievalConfig,
  SessionManagerLogger,
} from './types.js';

export const DEFAULT_BATCH_SIZE = 1;
export const DEFAULT_MESSAGE_FORMAT: MessageFormat = 'native';
const MESSAGE_FORMATS: readonly MessageFormat[] = ['native', 'strands-python'];
/** CreateEvent accepts at most 100 payload items, so a batch never needs more messages. */
export const MAX_BATCH_SIZE = CREATE_EVENT_PAYLOAD_ITEMS_MAX;
/** A namespace's settings when its config leaves them out (the contract's defaults table). */
export const DEFAULT_TOP_K = RETRIEVAL_DEFAULTS.namespace.topK;
export const DEFAULT_RELEVANCE_SCORE = RETRIEVAL_DEFAULTS.namespace.relevanceScore;
/** RetrieveMemoryRecords `searchCriteria.topK` accepts 1-100. */
export const MIN_TOP_K = RETRIEVAL_SETTING_BOUNDS.topK.min;
export const MAX_TOP_K = RETRIEVAL_SETTING_BOUNDS.topK.max;

/** One namespace as retrieval searches it: template resolved, defaults applied. */
export interface ResolvedNamespaceRetrieval {
  readonly template: string;
  /** The resolved namespace sent to RetrieveMemoryRecords. */
  readonly namespace: string;
  /**
   * The template ends with `{actorId}`: it stands for the actor's subtree and is searched
   * with `namespacePath`; otherwise it names one namespace, searched with `namespace`.
   */
  readonly searchesSubtree: boolean;
  readonly topK: number;
  readonly relevanceScore: number;
  readonly strategyId?: string;
  readonly metadataFilters?: readonly MemoryMetadataFilterExpression[];
}

export interface SessionManagerSettings {
  readonly memoryId: string;
  readonly sessionId: string;
  readonly actorId: string;
  readonly batchSize: number;
  readonly messageFormat: MessageFormat;
  readonly extractionMode?: 'SKIP';
  readonly metadata: MetadataLayers;
  readonly namespaces: readonly ResolvedNamespaceRetrieval[];
  /** The actor's roots under the retrieval templates: a retrieved record must lie under one. */
  readonly actorRoots: readonly string[];
  readonly client?: BedrockAgentCoreClient;
  readonly logger?: SessionManagerLogger;
}

export { SessionManagerConfigError };

export function validateSessionManagerConfig(config: AgentCoreMemorySessionManagerConfig): SessionManagerSettings {
  if (config === null || typeof config !== 'object') {
    throw new SessionManagerConfigError(['config must be an object with memoryId, sessionId and actorId']);
  }
  const errors: string[] = [];

  errors.push(...memoryIdErrors(config.memoryId, 'memoryId'));
  errors.push(...sessionIdErrors(config.sessionId));
  errors.push(...actorIdErrors(config.actorId));

  const batchSize = config.batchSize ?? DEFAULT_BATCH_SIZE;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    errors.push(`batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}`);
  }

  const messageFormat = config.messageFormat ?? DEFAULT_MESSAGE_FORMAT;
  if (!MESSAGE_FORMATS.includes(messageFormat)) {
    errors.push(`messageFormat must be one of ${MESSAGE_FORMATS.map((format) => `'${format}'`).join(', ')}`);
  }

  if (config.extractionMode !== undefined && config.extractionMode !== 'SKIP') {
    errors.push("extractionMode must be 'SKIP' or left out");
  }

  errors.push(...metadataLayerErrors(config));

  if (config.client !== undefined && typeof (config.client as { send?: unknown }).send !== 'function') {
    errors.push('client must be a BedrockAgentCoreClient');
  }
  if (config.logger !== undefined && typeof (config.logger as { warn?: unknown }).warn !== 'function') {
    errors.push('logger must have a warn(message) method');
  }

  const namespaces = validateRetrievalConfig(config, errors);

  if (errors.length > 0) throw new SessionManagerConfigError(errors);
  return {
    memoryId: config.memoryId,
    sessionId: config.sessionId,
    actorId: config.actorId,
    batchSize,
    messageFormat,
    extractionMode: config.extractionMode,
    metadata: {
      fixed: config.eventMetadata,
      defaults: config.defaultMetadata,
      provider: config.metadataProvider,
    },
    namespaces,
    actorRoots: actorNamespaceRoots(
      namespaces.map((namespace) => namespace.template),
      config.actorId,
    ),
    client: config.client,
    logger: config.logger,
  };
}

/** How a value is shown in an error: quoted, and cut short so a huge value does not flood the log. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

function sessionIdErrors(sessionId: unknown): string[] {
  if (typeof sessionId === 'string' && isValidSessionId(sessionId)) return [];
  return [
    `sessionId must be 1-${SESSION_ID_MAX_LENGTH} characters of letters, digits, '-' and '_', starting with a letter or digit, as AgentCore accepts (got ${shown(sessionId)})`,
  ];
}

/**
 * AgentCore's actorId pattern allows `/`, but this package refuses it: an actor's
 * namespaces are its templates with the actorId filled in, so with `tenant1/alice` as an
 * actorId, the actor `tenant1` would search and cover `tenant1/alice`'s namespaces.
 */
function actorIdErrors(actorId: unknown): string[] {
  if (typeof actorId === 'string' && actorId.includes('/')) {
    return [
      `actorId must not contain '/' (got ${shown(actorId)}): an actor's namespaces would then lie under another actor's ('tenant1' covers 'tenant1/alice'); use another separator, such as '-', '_' or ':'`,
    ];
  }
  if (typeof actorId === 'string' && isValidActorId(actorId)) return [];
  return [
    `actorId must be 1-${ACTOR_ID_MAX_LENGTH} characters of letters, digits, '-' and '_', starting with a letter or digit, optionally in ':'-separated parts, as AgentCore accepts (got ${shown(actorId)})`,
  ];
}

function validateRetrievalConfig(
  config: AgentCoreMemorySessionManagerConfig,
  errors: string[],
): ResolvedNamespaceRetrieval[] {
  const retrievalConfig = config.retrievalConfig;
  if (retrievalConfig === undefined) return [];
  if (retrievalConfig === null || typeof retrievalConfig !== 'object' || Array.isArray(retrievalConfig)) {
    errors.push('retrievalConfig must map namespace templates to { topK, relevanceScore, strategyId }');
    return [];
  }

  const namespaces: ResolvedNamespaceRetrieval[] = [];
  for (const [template, settings] of Object.entries(retrievalConfig)) {
    const field = `retrievalConfig['${template}']`;
    const before = errors.length;
    errors.push(...namespaceTemplateErrors(template).map((error) => `${field}: ${error}`));
    if (settings === null || typeof settings !== 'object') {
      errors.push(`${field} must be an object { topK?, relevanceScore?, strategyId? }`);
      continue;
    }
    const {
      topK = DEFAULT_TOP_K,
      relevanceScore = DEFAULT_RELEVANCE_SCORE,
      strategyId,
      metadataFilters,
    }: NamespaceRetrievalConfig = settings;
    for (const issue of retrievalSettingIssues({ topK, relevanceScore })) {
      errors.push(`${field}.${issue.key} ${issue.message}`);
    }
    if (strategyId !== undefined) errors.push(...strategyIdErrors(strategyId, `${field}.strategyId`));
    if (
      metadataFilters !== undefined &&
      !(
        Array.isArray(metadataFilters) &&
        metadataFilters.length >= 1 &&
        metadataFilters.length <= RETRIEVE_METADATA_FILTERS_MAX
      )
    ) {
      errors.push(`${field}.metadataFilters must list 1-${RETRIEVE_METADATA_FILTERS_MAX} filters`);
    }
    if (strategyId === undefined && template.includes('{memoryStrategyId}')) {
      errors.push(`${field}.strategyId is required: the template uses {memoryStrategyId}`);
    }
    // Resolve only templates whose own checks passed, and only when the ids they need are valid.
    if (errors.length > before || actorIdErrors(config.actorId).length > 0) continue;
    if (template.includes('{sessionId}') && !isValidSessionId(String(config.sessionId))) continue;
    namespaces.push({
      template,
      namespace: resolveNamespace(template, {
        actorId: config.actorId,
        sessionId: config.sessionId,
        memoryStrategyId: strategyId,
      }),
      searchesSubtree: isActorLevelTemplate(template),
      topK,
      relevanceScore,
      strategyId,
      ...(metadataFilters !== undefined && { metadataFilters }),
    });
  }
  errors.push(...namespaceLayoutErrors(Object.keys(retrievalConfig)).map((error) => `retrievalConfig: ${error}`));
  return namespaces;
}

function metadataLayerErrors(config: AgentCoreMemorySessionManagerConfig): string[] {
  const { eventMetadata, defaultMetadata, metadataProvider } = config;
  const errors = [
    ...fixedMetadataErrors(eventMetadata, 'eventMetadata'),
    ...metadataShapeErrors(defaultMetadata, 'defaultMetadata'),
    ...reservedKeyErrors(defaultMetadata, 'defaultMetadata', eventMetadata),
  ];
  if (metadataProvider !== undefined && typeof metadataProvider !== 'function') {
    errors.push('metadataProvider must be a function (message) => metadata');
  }
  return errors.length > 0 ? errors : combinedKeyErrors({ fixed: eventMetadata, defaults: defaultMetadata });
}
