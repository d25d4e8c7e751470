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
 * - One agent per session: a second agent started with the same plugin gets a warning.
 */
import {
  AfterInvocationEvent,
  AfterModelCallEvent,
  InitializedEvent,
  InvokeModelStage,
  type LocalAgent,
  type Message,
  MessageAddedEvent,
  type Plugin,
} from '@strands-agents/sdk';
import { defaultSessionManagerLogger } from '../logger.js';
import { AgentCoreMemorySessionManager } from '../session-manager.js';
import type { AgentCoreMemorySessionManagerConfig, SessionManagerLogger } from '../types.js';
import { HeldMessages } from './held-messages.js';
import { toConversationMessage, toStrandsMessage } from './message-mapping.js';
import { withTrailingMemories } from './trailing-memories.js';

export const DEFAULT_CONTEXT_TAG = 'user_context';
const CONTEXT_TAG_PATTERN = /^[A-Za-z][\w.-]*$/;

export interface AgentCoreMemoryPluginConfig extends AgentCoreMemorySessionManagerConfig {
  /** XML tag around the long-term memories given to the model. @default 'user_context' */
  readonly contextTag?: string;
}

export class AgentCoreMemoryPlugin implements Plugin, AsyncDisposable {
  readonly name = 'agentcore-memory-session-manager';
  /** The session manager underneath: flush, pendingMessageCount, listMessages, retrieve. */
  readonly sessionManager: AgentCoreMemorySessionManager;
  readonly contextTag: string;

  private readonly logger?: SessionManagerLogger;
  private agent: LocalAgent | undefined;
  /** Each agent's memories for its current invocation, in their tags. */
  private readonly memories = new WeakMap<LocalAgent, string>();
  private readonly heldMessages = new HeldMessages((message) =>
    this.sessionManager.appendMessage(toConversationMessage(message)),
  );

  /** @throws SessionManagerConfigError listing every invalid field */
  constructor(config: AgentCoreMemoryPluginConfig) {
    this.sessionManager = new AgentCoreMemorySessionManager(config);
    this.contextTag = config.contextTag ?? DEFAULT_CONTEXT_TAG;
    if (!CONTEXT_TAG_PATTERN.test(this.contextTag)) {
      throw new TypeError('contextTag must be an XML name: a letter, then letters, digits, _, - or .');
    }
    this.logger = config.logger;
  }

  /** Called by the agent. A second agent is warned about (and not refused), as in the Python manager. */
  initAgent(agent: LocalAgent): void {
    if (this.agent === undefined) {
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
    agent.addHook(AfterInvocationEvent, () => this.onInvocationEnd(agent));
    agent.addMiddleware(InvokeModelStage.Input, (context) => {
      const memories = this.memories.get(agent);
      return memories === undefined ? context : withTrailingMemories(context, memories);
    });
  }

  /** Sends every buffered message; see {@link AgentCoreMemorySessionManager.flush}. */
  flush(): Promise<void> {
    return this.sessionManager.flush();
  }

  /** Stores the messages still waiting for a model answer, and flushes. The plugin stays usable; closing twice is harmless. */
  async close(): Promise<void> {
    await this.heldMessages.releaseAll();
    await this.sessionManager.close();
  }

  /** `await using memory = new AgentCoreMemoryPlugin(...)` flushes on scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async restore(agent: LocalAgent): Promise<void> {
    const stored = await this.sessionManager.listMessages();
    // A model that keeps the conversation server-side gets no history from the client.
    const stateful = (agent as { model?: { stateful?: boolean } }).model?.stateful === true;
    if (stored.length === 0) {
      for (const message of agent.messages) await this.sessionManager.appendMessage(toConversationMessage(message));
    } else if (!stateful) {
      if (agent.messages.length > 0) {
        this.warn('The agent had initial messages; they were replaced by the stored session', { agent: agent.id });
      }
      const restored = stored.map((message) =>
        toStrandsMessage(message, (block) =>
          this.warn('Skipped a stored content block Strands has no form for', { block }),
        ),
      );
      agent.messages.splice(0, agent.messages.length, ...restored);
    }
    if (this.sessionManager.messageFormat === 'strands-python') {
      await this.sessionManager.ensurePythonAgentState(agent.id);
    }
  }

  /** Stores the message and, for a user prompt, retrieves its memories at the same time. */
  private async onMessageAdded(agent: LocalAgent, message: Message): Promise<void> {
    const query = promptText(message);
    await Promise.all([
      this.heldMessages.add(agent, message),
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
    if (event.stopData !== undefined) await this.heldMessages.release(agent);
  }

  private async onInvocationEnd(agent: LocalAgent): Promise<void> {
    this.memories.delete(agent);
    await this.heldMessages.release(agent);
    await this.sessionManager.flush();
  }

  private warn(message: string, attributes: Record<string, unknown>): void {
    (this.logger ?? defaultSessionManagerLogger()).warn(message, {
      ...attributes,
      memoryId: this.sessionManager.memoryId,
      sessionId: this.sessionManager.sessionId,
    });
  }
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
