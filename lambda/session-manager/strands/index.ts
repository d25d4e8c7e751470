/**
 * The Strands Agents (TypeScript) entry of the session manager. It imports
 * `@strands-agents/sdk`, an optional peer dependency, so it is a module of its own: code
 * that imports only the session manager never loads Strands.
 */
export { AGENT_ID_METADATA_KEY, AgentCoreMemoryPlugin, DEFAULT_CONTEXT_TAG } from './plugin.js';
export { PYTHON_DEFAULT_AGENT_ID } from './agent-state.js';
export type { AgentCoreMemoryPluginConfig } from './plugin.js';
export { toConversationMessage, toStrandsMessage } from './message-mapping.js';
