/**
 * The Strands Agents (TypeScript) entry of the session manager. It imports
 * `@strands-agents/sdk`, an optional peer dependency, so it is a module of its own: code
 * that imports only the session manager never loads Strands.
 */
export { AgentCoreMemoryPlugin } from './plugin.js';
export { AGENT_ID_METADATA_KEY, DEFAULT_CONTEXT_TAG } from './plugin-config.js';
export type { AgentCoreMemoryPluginConfig } from './plugin-config.js';
export { PYTHON_DEFAULT_AGENT_ID } from './agent-state.js';
export { toConversationMessage, toStrandsMessage } from './message-mapping.js';
