/**
 * The AgentCore Memory session manager as a Strands Agents (TypeScript) plugin:
 * `new Agent({ plugins: [new AgentCoreMemoryPlugin({ memoryId, sessionId, actorId })] })`.
 *
 * - When the agent starts it restores the session's messages (tool uses and results
 *   included); a session with nothing stored gets the agent's initial messages instead.
 * - Every message the agent adds is appended to the session manager, which sends it at
 *   once or buffers it (`batchSize`); the buffer is flushed when each invocation ends and
 *   when the plugin is disposed or closed.
 * - With a `retrievalConfig`, each user prompt is the query for the configured namespaces;
 *   the memories found are prepended to that prompt, inside `<user_context>` tags, in what
 *   the model is sent for this invocation only. They are never in the system prompt (which
 *   stays byte-identical for every user, so it caches), nor stored, nor in `agent.messages`.
 * - One agent per session: a second agent started with the same plugin gets a warning.
 */
import {
  AfterInvocationEvent,
  InitializedEvent,
  type InvokeModelContext,
  InvokeModelStage,
  type LocalAgent,
  Message,
  MessageAddedEvent,
  type Plugin,
  TextBlock,
} from '@strands-agents/sdk';
import { defaultSessionManagerLogger } from '../logger.js';
import { AgentCoreMemorySessionManager } from '../session-manager.js';
import type { AgentCoreMemorySessionManagerConfig, SessionManagerLogger } from '../types.js';
import { toConversationMessage, toStrandsMessage } from './message-mapping.js';

export const DEFAULT_CONTEXT_TAG = 'user_context';
const CONTEXT_TAG_PATTERN = /^[A-Za-z][\w.-]*$/;

export interface AgentCoreMemoryPluginConfig extends AgentCoreMemorySessionManagerConfig {
  /** XML tag around the long-term memories given to the model. @default 'user_context' */
  readonly contextTag?: string;
}

/** The memories retrieved for one prompt, shown to the model with that prompt. */
interface PromptContext {
  readonly prompt: Message;
  readonly text: string;
}

export class AgentCoreMemoryPlugin implements Plugin, AsyncDisposable {
  readonly name = 'agentcore-memory-session-manager';
  /** The session manager underneath: flush, pendingMessageCount, listMessages, retrieve. */
  readonly sessionManager: AgentCoreMemorySessionManager;
  readonly contextTag: string;

  private readonly logger?: SessionManagerLogger;
  private agent: LocalAgent | undefined;
  /** Each agent's current prompt and the memories retrieved for it. */
  private readonly promptContexts = new WeakMap<LocalAgent, PromptContext>();

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
    agent.addHook(AfterInvocationEvent, () => this.onInvocationEnd(agent));
    agent.addMiddleware(InvokeModelStage.Input, (context) => this.withPromptContext(agent, context));
  }

  /** Sends every buffered message; see {@link AgentCoreMemorySessionManager.flush}. */
  flush(): Promise<void> {
    return this.sessionManager.flush();
  }

  /** Flushes. The plugin stays usable; closing twice is harmless. */
  close(): Promise<void> {
    return this.sessionManager.close();
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
      this.sessionManager.appendMessage(toConversationMessage(message)),
      query === undefined ? undefined : this.retrieveFor(agent, message, query),
    ]);
  }

  /** Without a retrievalConfig this makes no call and finds nothing. */
  private async retrieveFor(agent: LocalAgent, prompt: Message, query: string): Promise<void> {
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
    if (texts.length === 0) {
      this.promptContexts.delete(agent);
    } else {
      this.promptContexts.set(agent, { prompt, text: `<${this.contextTag}>${texts.join('\n')}</${this.contextTag}>` });
    }
  }

  private async onInvocationEnd(agent: LocalAgent): Promise<void> {
    this.promptContexts.delete(agent);
    await this.sessionManager.flush();
  }

  /** What the model is sent: the prompt with its memories first, for this invocation only. */
  private withPromptContext(agent: LocalAgent, context: InvokeModelContext): InvokeModelContext {
    const promptContext = this.promptContexts.get(agent);
    if (promptContext === undefined) return context;
    // The model is sent copies of the agent's messages; a copy keeps the tracking id.
    const index = context.messages.findIndex((message) => message.trackingId === promptContext.prompt.trackingId);
    if (index === -1) return context;
    const prompt = context.messages[index];
    const messages = [...context.messages];
    messages[index] = new Message({
      role: prompt.role,
      content: [new TextBlock(promptContext.text), ...prompt.content],
      trackingId: prompt.trackingId,
      ...(prompt.metadata !== undefined && { metadata: prompt.metadata }),
    });
    return { ...context, messages };
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
