import { toolLimitsOf, type AgentDefinition } from '../../contract/index.js';
import type { TurnDeadlines } from '../deadlines.js';
import type { ConverseDependencies } from '../dependencies.js';
import type { ConverseRequest } from '../http/request.js';
import { memorySettingsFor } from '../memory/activation.js';
import { prefetchNewSessionMemories, type PrefetchedRetrieval } from '../memory/first-turn-retrieval.js';
import { AgentCoreMemoryTool, type MemoryScope } from '../memory/tool.js';
import { logger } from '../observability.js';
import type { SessionLookup, StoredTurn } from '../sessions/store.js';

/** The memory a turn works with, when its agent has memory active. */
export interface TurnMemory {
  readonly scope: MemoryScope;
  readonly tool: AgentCoreMemoryTool;
}

/** Who the turn is for, fixed before anything is loaded. */
export interface TurnIdentity {
  readonly sessionId: string;
  readonly actorId: string;
}

/**
 * What loading found: the turn cannot run (`notFound`; `forbidden`: another user's session;
 * `otherAgent`: the user's session, started with another agent), or all it needs.
 */
export type LoadedTurn =
  | { readonly status: 'notFound' }
  | { readonly status: 'forbidden' }
  | { readonly status: 'otherAgent' }
  | {
      readonly status: 'ready';
      readonly agent: AgentDefinition;
      /** The session's stored turns, oldest first; empty for a new session. */
      readonly history: readonly StoredTurn[];
      readonly newSession: boolean;
      readonly memory: TurnMemory | undefined;
      /** The new-session retrieval, run ahead of the first model call; never rejects. */
      readonly prefetch: Promise<PrefetchedRetrieval | undefined>;
    };

/**
 * Loads the agent and the session's history in parallel with the new-session memory
 * retrieval: none waits for another unless it needs its result. Resolves as soon as the
 * agent and the session are known; the retrieval may still be running then. Each read is
 * cut off at its limit and at the turn's answer deadline.
 * @throws MalformedAgentDefinitionError, DeadlineExceededError, or whatever DynamoDB throws
 */
export async function loadTurn(
  request: ConverseRequest,
  identity: TurnIdentity,
  dependencies: ConverseDependencies,
  deadlines: TurnDeadlines,
): Promise<LoadedTurn> {
  const { dynamoDbMs } = deadlines.limits;
  const agentLoad = deadlines.whileAnswering('agent definition read', dynamoDbMs, (abortSignal) =>
    dependencies.agents.get(request.agentId, { abortSignal }),
  );
  const sessionLoad: Promise<SessionLookup> = request.sessionId
    ? deadlines.whileAnswering('session history read', dynamoDbMs, (abortSignal) =>
        dependencies.sessions.load(identity.sessionId, request, { abortSignal }),
      )
    : Promise.resolve({ status: 'owned', turns: [] });
  const memoryLoad = agentLoad.then((agent) =>
    agent ? memoryFor(agent, request, identity, dependencies, deadlines) : undefined,
  );
  const prefetch = prefetchNewSessionMemories(request.message, memoryLoad, sessionLoad);
  // The awaits below may return before these settle; their failures surface there or not at all.
  for (const pending of [sessionLoad, memoryLoad]) pending.catch(() => undefined);

  const agent = await agentLoad;
  if (agent === undefined) return { status: 'notFound' };
  const session = await sessionLoad;
  if (session.status !== 'owned') return { status: session.status };
  const memory = await memoryLoad;
  memory?.tool.rememberRetrievedIn(session.turns);
  return {
    status: 'ready',
    agent,
    history: session.turns,
    newSession: session.turns.length === 0,
    memory,
    prefetch,
  };
}

function memoryFor(
  agent: AgentDefinition,
  request: ConverseRequest,
  identity: TurnIdentity,
  dependencies: ConverseDependencies,
  deadlines: TurnDeadlines,
): TurnMemory | undefined {
  const settings = memorySettingsFor(agent, logger);
  if (!settings.active) return undefined;
  if (dependencies.settings.memoryId !== undefined && dependencies.settings.memoryId !== settings.memoryId) {
    logger.warn(
      'agent memory_id differs from MEMORY_ID, the memory this function is granted; AgentCore may deny the calls',
    );
  }
  const scope: MemoryScope = {
    settings,
    sessionId: identity.sessionId,
    actorId: identity.actorId,
    incognito: (request.memory ?? settings.defaultMode) === 'incognito',
  };
  return {
    scope,
    tool: new AgentCoreMemoryTool(
      scope,
      dependencies.createSessionManager,
      logger,
      deadlines,
      toolLimitsOf(agent).forgets_per_turn,
    ),
  };
}
