/** The Strands plugin's options beside the session manager's, and their checks. */
import type { AgentCoreMemorySessionManagerConfig } from '../types.js';

export const DEFAULT_CONTEXT_TAG = 'user_context';
const CONTEXT_TAG_PATTERN = /^[A-Za-z][\w.-]*$/;

export interface AgentCoreMemoryPluginConfig extends AgentCoreMemorySessionManagerConfig {
  /** XML tag around the long-term memories given to the model. @default 'user_context' */
  readonly contextTag?: string;
  /**
   * The id the agent's state is stored under. A Python agent and a TypeScript one share a
   * session's state when they use the same id. @default the agent's `id`; with
   * `messageFormat: 'strands-python'`, an agent that kept the SDK's default id (`agent`)
   * uses Python's default, `default`
   */
  readonly agentId?: string;
  /**
   * Several agents (a graph's or a swarm's) share the session, each under its own `id`:
   * each restores only its own messages. Not with `agentId` (each agent has its own), nor
   * with `messageFormat: 'strands-python'` (a Python agent restores every message of the
   * session, whichever agent wrote it). @default false
   */
  readonly multiAgent?: boolean;
  /**
   * Restores the conversation without its tool uses and tool results (text, images and
   * documents stay), merged so that Bedrock Converse accepts it. @default false
   */
  readonly filterRestoredToolContext?: boolean;
  /**
   * `'none'` stores nothing and restores nothing (no messages, no agent state), for an agent
   * that only retrieves long-term memories. @default 'full'
   */
  readonly persistence?: 'full' | 'none';
  /**
   * Also flushes buffered messages (`batchSize` above 1) every this many seconds while the
   * plugin is in use, until it is closed. @default no timer: flushes at the end of each
   * invocation and on close only
   */
  readonly flushIntervalSeconds?: number;
  /**
   * The agent does not wait for AgentCore: messages and state are sent in the background. A
   * failed send is warned about and its messages stay pending; `flush()` waits for what is
   * under way and sends what is pending, and `close()` does too, so nothing is lost.
   * @default false
   */
  readonly nonBlockingWrites?: boolean;
}

/** The event metadata key that names the agent a message belongs to, with `multiAgent`. */
export const AGENT_ID_METADATA_KEY = 'agentId';

/** @throws TypeError naming the first invalid plugin option */
export function validatePluginConfig(config: AgentCoreMemoryPluginConfig): void {
  if (!CONTEXT_TAG_PATTERN.test(config.contextTag ?? DEFAULT_CONTEXT_TAG)) {
    throw new TypeError('contextTag must be an XML name: a letter, then letters, digits, _, - or .');
  }
  if (config.agentId !== undefined && (typeof config.agentId !== 'string' || config.agentId === '')) {
    throw new TypeError('agentId must be a non-empty string');
  }
  if (config.multiAgent === true && (config.agentId !== undefined || config.messageFormat === 'strands-python')) {
    throw new TypeError(
      "multiAgent names each agent by its id and cannot be used with agentId or messageFormat 'strands-python'",
    );
  }
  if (config.eventMetadata !== undefined && Object.hasOwn(config.eventMetadata, AGENT_ID_METADATA_KEY)) {
    throw new TypeError(`eventMetadata must not set '${AGENT_ID_METADATA_KEY}': the plugin names the agent with it`);
  }
  if (config.persistence !== undefined && config.persistence !== 'full' && config.persistence !== 'none') {
    throw new TypeError("persistence must be 'full' or 'none'");
  }
  const { flushIntervalSeconds } = config;
  if (flushIntervalSeconds !== undefined) {
    if (
      typeof flushIntervalSeconds !== 'number' ||
      !(flushIntervalSeconds > 0) ||
      !Number.isFinite(flushIntervalSeconds)
    ) {
      throw new TypeError('flushIntervalSeconds must be a positive number of seconds');
    }
  }
}
