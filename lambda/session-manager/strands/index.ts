/**
 * The Strands Agents (TypeScript) entry of the session manager. It imports
 * `@strands-agents/sdk`, an optional peer dependency, so it is a module of its own: code
 * that imports only the session manager never loads Strands.
 */
export {
  /** The session manager as a Strands plugin: restores, appends and retrieves for one agent. */
  AgentCoreMemoryPlugin,
} from './plugin.js';
export {
  /** The metadata key naming the agent of each event when several agents share a session (`multiAgent`). */
  AGENT_ID_METADATA_KEY,
  /** The XML tag around the memories shown to the model when the config names no `contextTag`. */
  DEFAULT_CONTEXT_TAG,
  /** The session manager's config plus the plugin's own options. */
  type AgentCoreMemoryPluginConfig,
} from './plugin-config.js';
export {
  /** The agent id the Python session manager uses by default, `default`, so mixed fleets share sessions. */
  PYTHON_DEFAULT_AGENT_ID,
} from './agent-state.js';
export {
  /** The Converse form of a Strands message. */
  toConversationMessage,
  /** The Strands message of a stored Converse message. */
  toStrandsMessage,
} from './message-mapping.js';
