/**
 * An agent's state kept with its session: `agent.appState`, and how many of the session's
 * first messages the conversation manager has removed from the agent (a sliding window
 * trims from the front). It is stored as the Python session manager's `SessionAgent` event
 * (`state`, `conversation_manager_state.removed_message_count`), so a Python agent with the
 * same id restores the same window and state, and the other way round. A new event is
 * written only when the state changed since the last one read or written.
 */
import type { JSONValue, LocalAgent } from '@strands-agents/sdk';
import type { PythonAgentState } from '../python-session-format.js';
import type { AgentCoreMemorySessionManager } from '../session-manager.js';

/** The agent id a Python agent uses unless it is given one. */
export const PYTHON_DEFAULT_AGENT_ID = 'default';
/** The agent id a Strands TypeScript agent has unless it is given one. */
const STRANDS_DEFAULT_AGENT_ID = 'agent';

/**
 * The id an agent's state is stored under: the configured one, else the agent's own; in
 * the Python format an agent that kept the SDK's default id takes Python's default id, so
 * a Python and a TypeScript agent, neither named, share the session.
 */
export function storedAgentId(agent: LocalAgent, configured: string | undefined, pythonFormat: boolean): string {
  if (configured !== undefined) return configured;
  return pythonFormat && agent.id === STRANDS_DEFAULT_AGENT_ID ? PYTHON_DEFAULT_AGENT_ID : agent.id;
}

interface TrackedAgent {
  readonly agentId: string;
  /** The agent's messages the session holds: restored or initial ones, and every one stored since. */
  sessionMessageCount: number;
  /** The last state read or written, as JSON, to write only changes. */
  lastStored: string;
}

export class AgentStateKeeper {
  private readonly tracked = new WeakMap<LocalAgent, TrackedAgent>();

  constructor(private readonly managerOf: (agent: LocalAgent) => AgentCoreMemorySessionManager) {}

  /** Puts the stored state into `agent.appState` and starts tracking the agent's messages. */
  begin(agent: LocalAgent, agentId: string, stored: PythonAgentState | undefined, sessionMessageCount: number): void {
    for (const [key, value] of Object.entries(stored?.state ?? {})) agent.appState.set(key, value as JSONValue);
    this.tracked.set(agent, {
      agentId,
      sessionMessageCount,
      lastStored: JSON.stringify(stored ?? { state: {}, removedMessageCount: 0 }),
    });
  }

  /** One more of the agent's messages is in the session. */
  countStoredMessage(agent: LocalAgent): void {
    const tracked = this.tracked.get(agent);
    if (tracked !== undefined) tracked.sessionMessageCount++;
  }

  /** Stores the agent's state if it changed: its app state and the messages removed from its front. */
  save(agent: LocalAgent): Promise<void> {
    return this.prepareSave(agent)();
  }

  /** Takes the agent's state now and returns its store, to run now or later. */
  prepareSave(agent: LocalAgent): () => Promise<void> {
    const tracked = this.tracked.get(agent);
    if (tracked === undefined) return () => Promise.resolve();
    const current: PythonAgentState = {
      state: agent.appState.getAll(),
      removedMessageCount: Math.max(0, tracked.sessionMessageCount - agent.messages.length),
    };
    const json = JSON.stringify(current);
    return async () => {
      if (json === tracked.lastStored) return;
      await this.managerOf(agent).writeAgentState(tracked.agentId, current);
      tracked.lastStored = json;
    };
  }
}
