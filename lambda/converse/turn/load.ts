import { toolLimitsOf, type AgentDefinition } from '../../contract/index.js';
import type { TurnDeadlines } from '../../platform/deadlines.js';
import { NOT_FOUND, loaded, refused, type Outcome } from '../../platform/outcome.js';
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

/** Why the session refuses the turn: it is another user's, or the user's but started with another agent. */
export type SessionRefusal = 'forbidden' | 'otherAgent';

/** A session's stored turns, oldest first (none for a new session), or why the turn may not use it. */
export type SessionHistory = Outcome<readonly StoredTurn[], SessionRefusal>;

/** All a turn needs to run. */
export interface ReadyTurn {
  readonly agent: AgentDefinition;
  /** The session's stored turns, oldest first; empty for a new session. */
  readonly history: readonly StoredTurn[];
  readonly newSession: boolean;
  readonly memory: TurnMemory | undefined;
  /** The new-session retrieval, run ahead of the first model call; never rejects. */
  readonly prefetch: Promise<PrefetchedRetrieval | undefined>;
}

/** What loading found: the turn is ready, its agent was not found, or its session refuses it. */
export type LoadedTurn = Outcome<ReadyTurn, SessionRefusal>;

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
  const sessionLoad: Promise<SessionHistory> = request.sessionId
    ? deadlines
        .whileAnswering('session history read', dynamoDbMs, (abortSignal) =>
          dependencies.sessions.load(identity.sessionId, request, { abortSignal }),
        )
        .then(sessionHistory)
    : Promise.resolve(loaded([]));
  const memoryLoad = agentLoad.then((agent) =>
    agent ? memoryFor(agent, request, identity, dependencies, deadlines) : undefined,
  );
  const prefetch = prefetchNewSessionMemories(request.message, memoryLoad, sessionLoad);
  // The awaits below may return before these settle; their failures surface there or not at all.
  for (const pending of [sessionLoad, memoryLoad]) pending.catch(() => undefined);

  const agent = await agentLoad;
  if (agent === undefined) return NOT_FOUND;
  const session = await sessionLoad;
  if (session.status !== 'loaded') return session;
  const memory = await memoryLoad;
  memory?.tool.rememberRetrievedIn(session.value);
  return loaded({
    agent,
    history: session.value,
    newSession: session.value.length === 0,
    memory,
    prefetch,
  });
}

/** The session store's answer as the turn's one result shape. */
function sessionHistory(lookup: SessionLookup): SessionHistory {
  return lookup.status === 'owned' ? loaded(lookup.turns) : refused(lookup.status);
}

function memoryFor(
  agent: AgentDefinition,
  request: ConverseRequest,
  identity: TurnIdentity,
  dependencies: ConverseDependencies,
  deadlines: TurnDeadlines,
): TurnMemory | undefined {
  const memorySettings = memorySettingsFor(agent, logger);
  if (memorySettings.status !== 'loaded') return undefined;
  const settings = memorySettings.value;
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
