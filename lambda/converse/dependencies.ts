import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { randomUUID } from 'node:crypto';
import { AgentCoreMemorySessionManager } from '../session-manager/index.js';
import { AgentDefinitionRepository } from './agents/repository.js';
import { agentCoreClient, bedrockRuntimeClient, dynamoDocumentClient } from './clients.js';
import { DEFAULT_TURN_LIMITS, type TurnLimits } from '../platform/deadlines.js';
import type { SessionManagerFactory } from './memory/tool.js';
import { SessionHistoryStore } from './sessions/store.js';
import { readRuntimeSettings, type RuntimeSettings } from './settings.js';
import type { ToolRegistry } from './tools/registry.js';

/** Everything a turn needs from outside; tests build their own. */
export interface ConverseDependencies {
  readonly settings: RuntimeSettings;
  readonly agents: AgentDefinitionRepository;
  readonly sessions: SessionHistoryStore;
  readonly bedrock: () => BedrockRuntimeClient;
  readonly createSessionManager: SessionManagerFactory;
  /** How long each part of a turn and each dependency call may take. */
  readonly limits: TurnLimits;
  readonly newSessionId: () => string;
  /** Tools of your own offered to the agents beside the memory tool and the built-in tools. @default - none */
  readonly tools?: ToolRegistry;
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
    limits: DEFAULT_TURN_LIMITS,
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
