import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { randomUUID } from 'node:crypto';
import { AgentCoreMemorySessionManager } from '../session-manager/index.js';
import { AgentDefinitionRepository } from './agents/repository.js';
import { agentCoreClient, bedrockRuntimeClient, dynamoDocumentClient } from './clients.js';
import { MEMORY_RETRIEVE_TIMEOUT_MS, type SessionManagerFactory } from './memory/tool.js';
import { SessionHistoryStore } from './sessions/store.js';
import { readRuntimeSettings, type RuntimeSettings } from './settings.js';

/** Time kept free before the function times out, so a turn always ends and saves on its own. */
export const TIMEOUT_BUFFER_MS = 30_000;

/** Everything a turn needs from outside; tests build their own. */
export interface ConverseDependencies {
  readonly settings: RuntimeSettings;
  readonly agents: AgentDefinitionRepository;
  readonly sessions: SessionHistoryStore;
  readonly bedrock: () => BedrockRuntimeClient;
  readonly createSessionManager: SessionManagerFactory;
  /** Time kept free before the function's timeout to save the turn. */
  readonly timeoutBufferMs: number;
  /** A memory retrieval slower than this is answered "memory is unavailable". */
  readonly memoryRetrieveTimeoutMs: number;
  readonly newSessionId: () => string;
}

export function buildDependencies(
  settings: RuntimeSettings,
  overrides: Partial<ConverseDependencies> = {},
): ConverseDependencies {
  return {
    settings,
    agents: new AgentDefinitionRepository({ tableName: settings.agentTableName, documentClient: dynamoDocumentClient }),
    sessions: new SessionHistoryStore(settings.sessionTableName, dynamoDocumentClient),
    bedrock: bedrockRuntimeClient,
    createSessionManager: (config) => new AgentCoreMemorySessionManager({ ...config, client: agentCoreClient() }),
    timeoutBufferMs: TIMEOUT_BUFFER_MS,
    memoryRetrieveTimeoutMs: MEMORY_RETRIEVE_TIMEOUT_MS,
    newSessionId: randomUUID,
    ...overrides,
  };
}

let containerDependencies: ConverseDependencies | undefined;

/** Built on the first invocation and kept, so the agent cache and clients outlive it. */
export function containerDependenciesFromEnvironment(): ConverseDependencies {
  containerDependencies ??= buildDependencies(readRuntimeSettings());
  return containerDependencies;
}
