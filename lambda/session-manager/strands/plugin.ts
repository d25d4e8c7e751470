/**
 * The AgentCore Memory session manager as a Strands Agents (TypeScript) plugin:
 * `new Agent({ plugins: [new AgentCoreMemoryPlugin({ memoryId, sessionId, actorId })] })`.
 *
 * - When the agent starts it restores the session's messages (tool uses and results
 *   included); a session with nothing stored gets the agent's initial messages instead.
 * - Every message the agent adds is appended to the session manager, which sends it at
 *   once or buffers it (`batchSize`); the buffer is flushed when each invocation ends and
 *   when the plugin is disposed or closed. A user message (prompt or tool result) is
 *   appended once the model has answered it, so a guardrail's redaction of it is what is
 *   stored, never the blocked text.
 * - With a `retrievalConfig`, each user prompt is the query for the configured namespaces;
 *   the memories found, inside `<user_context>` tags, follow the last user message in every
 *   model call of that invocation, as per-call content after the prompt cache point. They
 *   are never in the system prompt (which stays byte-identical for every user, so it
 *   caches), nor stored, nor in `agent.messages`.
 * - The agent's `appState` and how many messages its conversation manager removed from the
 *   front are stored when they change (at the end of an invocation) and restored, so a
 *   restored agent sends what the running one would have sent. They are stored under
 *   `agentId`, the way the Python session manager stores an agent's state.
 * - One agent per session by default: a second agent started with the same plugin gets a
 *   warning. With `multiAgent`, several agents share the session: each agent's messages
 *   carry its `id` in the event metadata key `agentId`, and each agent restores only its
 *   own messages and state.
 * - Options beside the session manager's (see `AgentCoreMemoryPluginConfig`): a timed flush,
 *   non-blocking writes, a restore without tool exchanges, and a mode that stores nothing.
 */
import {
  AfterInvocationEvent,
  AfterModelCallEvent,
  HookOrder,
  InitializedEvent,
  InvokeModelStage,
  type LocalAgent,
  type Message,
  MessageAddedEvent,
  type Plugin,
} from '@strands-agents/sdk';
import type { EventMetadataFilterExpression } from '@aws-sdk/client-bedrock-agentcore';
import { defaultSessionManagerLogger } from '../logger.js';
import { AgentCoreMemorySessionManager } from '../session-manager.js';
import { withoutBlankText } from '../payload-codec.js';
import type { SessionManagerLogger } from '../types.js';
import { AgentStateKeeper, storedAgentId } from './agent-state.js';
import { FlushTimer } from './flush-timer.js';
import { HeldMessages } from './held-messages.js';
import { toConversationMessage, toStrandsMessage } from './message-mapping.js';
import {
  AGENT_ID_METADATA_KEY,
  type AgentCoreMemoryPluginConfig,
  DEFAULT_CONTEXT_TAG,
  validatePluginConfig,
} from './plugin-config.js';
import { withoutToolExchanges } from './restored-history.js';
import { withTrailingMemories } from './trailing-memories.js';

export class AgentCoreMemoryPlugin implements Plugin, AsyncDisposable {
  readonly name = 'agentcore-memory-session-manager';
  /** The session manager underneath (with `multiAgent`, the one for retrieval; each agent stores through its own). */
  readonly sessionManager: AgentCoreMemorySessionManager;
  readonly contextTag: string;

  private readonly logger?: SessionManagerLogger;
  private readonly configuredAgentId?: string;
  private readonly agentStates: AgentStateKeeper;
  private readonly flushTimer?: FlushTimer;
  /** With `nonBlockingWrites`, the writes under way that no hook waits for. */
  private readonly backgroundWrites = new Set<Promise<void>>();
  private readonly config: AgentCoreMemoryPluginConfig;
  /** With `multiAgent`, each agent's own session manager, which marks its events with the agent's id. */
  private readonly agentManagers = new Map<LocalAgent, AgentCoreMemorySessionManager>();
  private agent: LocalAgent | undefined;
  /** Each agent's memories for its current invocation, in their tags. */
  private readonly memories = new WeakMap<LocalAgent, string>();
  private readonly heldMessages = new HeldMessages((agent, message) =>
    this.managerOf(agent).appendMessage(toConversationMessage(message)),
  );

  /** @throws SessionManagerConfigError listing every invalid session manager field; TypeError for a plugin option */
  constructor(config: AgentCoreMemoryPluginConfig) {
    this.sessionManager = new AgentCoreMemorySessionManager(config);
    validatePluginConfig(config);
    this.contextTag = config.contextTag ?? DEFAULT_CONTEXT_TAG;
    this.logger = config.logger;
    this.configuredAgentId = config.agentId;
    const { flushIntervalSeconds } = config;
    if (flushIntervalSeconds !== undefined) {
      this.flushTimer = new FlushTimer(
        flushIntervalSeconds * 1000,
        () => this.flush(),
        (error) =>
          this.warn('A timed flush failed; its messages stay pending for the next flush', {
            error: error instanceof Error ? error.name : String(error),
          }),
      );
    }
    this.config = config;
    this.agentStates = new AgentStateKeeper((agent) => this.managerOf(agent));
  }

  /**
   * Called by the agent. Without `multiAgent`, a second agent is warned about (and not
   * refused), as in the Python manager; with it, each agent gets its own session manager.
   */
  initAgent(agent: LocalAgent): void {
    if (this.config.multiAgent === true) {
      this.agentManagers.set(agent, this.agentManager(agent));
    } else if (this.agent === undefined) {
      this.agent = agent;
    } else if (this.agent !== agent) {
      this.warn('Only one agent per session is supported; a second agent was started with this session manager', {
        registeredAgent: this.agent.id,
        newAgent: agent.id,
      });
    }
    agent.addHook(InitializedEvent, () => this.restore(agent));
    agent.addHook(MessageAddedEvent, (event) => this.onMessageAdded(agent, event.message));
    agent.addHook(AfterModelCallEvent, (event) => this.onModelCallEnd(agent, event));
    // After the SDK's own hooks, so a conversation manager has trimmed the messages by then.
    agent.addHook(AfterInvocationEvent, () => this.onInvocationEnd(agent), { order: HookOrder.SDK_LAST + 1 });
    agent.addMiddleware(InvokeModelStage.Input, (context) => {
      const memories = this.memories.get(agent);
      return memories === undefined ? context : withTrailingMemories(context, memories);
    });
  }

  /** Sends every buffered message; see {@link AgentCoreMemorySessionManager.flush}. */
  async flush(): Promise<void> {
    await Promise.all([...this.backgroundWrites]);
    await Promise.all([this.sessionManager, ...this.agentManagers.values()].map((manager) => manager.flush()));
  }

  /** Stores the messages still waiting for a model answer, and flushes. The plugin stays usable; closing twice is harmless. */
  async close(): Promise<void> {
    this.flushTimer?.stop();
    await this.heldMessages.releaseAll();
    await this.flush();
  }

  /** `await using memory = new AgentCoreMemoryPlugin(...)` flushes on scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async restore(agent: LocalAgent): Promise<void> {
    if (!this.persists) return;
    const pythonFormat = this.sessionManager.messageFormat === 'strands-python';
    const agentId = storedAgentId(agent, this.configuredAgentId, pythonFormat);
    const manager = this.managerOf(agent);
    const [stored, storedState] = await Promise.all([
      manager.listMessages(this.config.multiAgent === true ? { eventMetadata: [agentIdIs(agentId)] } : {}),
      manager.readAgentState(agentId),
    ]);
    // A model that keeps the conversation server-side gets no history from the client.
    const stateful = (agent as { model?: { stateful?: boolean } }).model?.stateful === true;
    let sessionMessageCount = stored.length;
    if (stored.length === 0) {
      for (const message of agent.messages) {
        const conversationMessage = toConversationMessage(message);
        if (withoutBlankText(conversationMessage) !== undefined) sessionMessageCount++;
        await manager.appendMessage(conversationMessage);
      }
    } else if (!stateful) {
      if (agent.messages.length > 0) {
        this.warn('The agent had initial messages; they were replaced by the stored session', { agent: agent.id });
      }
      // The messages the conversation manager had removed stay out, as they were for the running agent.
      const removedMessageCount = Math.min(storedState?.removedMessageCount ?? 0, stored.length);
      let kept = stored.slice(removedMessageCount);
      if (this.config.filterRestoredToolContext === true) {
        kept = withoutToolExchanges(kept);
        // Counted against what the agent holds, so the removed count stays the stored messages' offset.
        sessionMessageCount = removedMessageCount + kept.length;
      }
      const restored = kept.map((message) =>
        toStrandsMessage(message, (block) =>
          this.warn('Skipped a stored content block Strands has no form for', { block }),
        ),
      );
      agent.messages.splice(0, agent.messages.length, ...restored);
    }
    this.agentStates.begin(agent, agentId, storedState, sessionMessageCount);
    if (pythonFormat) await this.sessionManager.ensurePythonAgentState(agentId);
  }

  /** Stores the message and, for a user prompt, retrieves its memories at the same time. */
  private async onMessageAdded(agent: LocalAgent, message: Message): Promise<void> {
    const query = promptText(message);
    if (this.persists) this.flushTimer?.start();
    if (withoutBlankText(toConversationMessage(message)) !== undefined) this.agentStates.countStoredMessage(agent);
    await Promise.all([
      this.persists ? this.written(this.heldMessages.add(agent, message)) : undefined,
      query === undefined ? undefined : this.retrieveFor(agent, query),
    ]);
  }

  /** Without a retrievalConfig this makes no call and finds nothing. */
  private async retrieveFor(agent: LocalAgent, query: string): Promise<void> {
    const { records, failures, foreignRecords } = await this.sessionManager.retrieve(query);
    for (const { namespace, error } of failures) {
      this.warn('Long-term memory retrieval failed for a namespace', { namespace, error: error.name });
    }
    if (foreignRecords.length > 0) {
      this.warn("Left out retrieved memory records that are not under the actor's own namespaces", {
        actorId: this.sessionManager.actorId,
        records: foreignRecords,
      });
    }
    const texts = records.map((record) => record.text.trim()).filter((text) => text !== '');
    if (texts.length === 0) this.memories.delete(agent);
    else this.memories.set(agent, `<${this.contextTag}>${texts.join('\n')}</${this.contextTag}>`);
  }

  /** The model answered: a redaction has been applied by now, so what waited is stored. */
  private async onModelCallEnd(agent: LocalAgent, event: AfterModelCallEvent): Promise<void> {
    if (event.stopData !== undefined) await this.written(this.heldMessages.release(agent));
  }

  private async onInvocationEnd(agent: LocalAgent): Promise<void> {
    this.memories.delete(agent);
    // Messages and state as they are now, however late a background write runs.
    const storeHeld = this.heldMessages.take(agent);
    const saveState = this.agentStates.prepareSave(agent);
    await this.written(
      (async () => {
        await storeHeld();
        await this.managerOf(agent).flush();
        await saveState();
      })(),
    );
  }

  /** The write to wait for; with `nonBlockingWrites`, nothing: the write goes on in the background. */
  private written(write: Promise<void>): Promise<void> {
    if (this.config.nonBlockingWrites !== true) return write;
    const background: Promise<void> = write
      .catch((error: unknown) =>
        this.warn('A background write failed; its messages stay pending for the next flush', {
          error: error instanceof Error ? error.name : String(error),
        }),
      )
      .finally(() => this.backgroundWrites.delete(background));
    this.backgroundWrites.add(background);
    return Promise.resolve();
  }

  private get persists(): boolean {
    return this.config.persistence !== 'none';
  }

  private managerOf(agent: LocalAgent): AgentCoreMemorySessionManager {
    return this.agentManagers.get(agent) ?? this.sessionManager;
  }

  /** A session manager like the plugin's whose events carry the agent's id. */
  private agentManager(agent: LocalAgent): AgentCoreMemorySessionManager {
    const taken = [...this.agentManagers.keys()].find((other) => other !== agent && other.id === agent.id);
    if (taken !== undefined) {
      throw new TypeError(`multiAgent needs a distinct id for each agent; '${agent.id}' is taken`);
    }
    return new AgentCoreMemorySessionManager({
      ...this.config,
      eventMetadata: { ...this.config.eventMetadata, [AGENT_ID_METADATA_KEY]: { stringValue: agent.id } },
    });
  }

  private warn(message: string, attributes: Record<string, unknown>): void {
    (this.logger ?? defaultSessionManagerLogger()).warn(message, {
      ...attributes,
      memoryId: this.sessionManager.memoryId,
      sessionId: this.sessionManager.sessionId,
    });
  }
}

function agentIdIs(agentId: string): EventMetadataFilterExpression {
  return {
    left: { metadataKey: AGENT_ID_METADATA_KEY },
    operator: 'EQUALS_TO',
    right: { metadataValue: { stringValue: agentId } },
  };
}

/** The text of a user prompt (not a tool result), which is what retrieval searches for. */
function promptText(message: Message): string | undefined {
  if (message.role !== 'user' || message.content.some((block) => block.type === 'toolResultBlock')) return undefined;
  const text = message.content
    .flatMap((block) => (block.type === 'textBlock' ? [block.text] : []))
    .join('\n')
    .trim();
  return text === '' ? undefined : text;
}
