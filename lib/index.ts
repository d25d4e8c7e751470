/**
 * The construct library entry (`agentcore-memory-agents`): the constructs, their props,
 * attributes and interfaces, the memory strategies, the app and stage builders, and the
 * defaults, patterns and IAM action sets users may build on. test/package/public-surface.test.ts
 * keeps the names, so changing them is a visible decision.
 */
export * from './agent-definitions/agent-definition-table.js';
export * from './agent-definitions/agent-definition-options.js';
export {
  AGENT_DEFINITION_RUNTIME_ACTIONS,
  type AgentDefinitionTableAttributes,
  type IAgentDefinitionTable,
} from './agent-definitions/agent-definition-table-base.js';
export { GUARDRAIL_RUNTIME_ACTIONS } from './agent-definitions/guardrail-grants.js';
export * from './config/environment-config.js';
export * from './converse/converse-function.js';
export * from './forget/forget-function.js';
export * from './memory/agent-memory.js';
export * from './memory/agent-memory-base.js';
export * from './memory/agent-memory-perms.js';
export type { AgentMemoryAttributes } from './memory/imported-agent-memory.js';
export * from './memory/memory-limits.js';
export type {
  AgentMemoryIndexedKey,
  AgentMemoryMetadataExtraction,
  AgentMemoryMetadataField,
  AgentMemoryMetadataType,
  AgentMemoryNamespaceKey,
} from './memory/memory-metadata.js';
export * from './memory/strategy-options.js';
export * from './models/bedrock-model-id.js';
export * from './observability/agent-monitoring.js';
export * from './sessions/session-history-table.js';
export * from './stages/agent-app.js';
export * from './stages/environment-stage.js';
export { NAME_PREFIX_PATTERN, namePrefixError } from './stages/physical-names.js';
export type { NagAcknowledgment } from './nag/acknowledge.js';
export { DEFAULT_FUNCTION_RUNTIME, LATEST_RUNTIME_RULES } from './nag/function-runtime.js';
export { AgentMemoryMetrics, AGENTCORE_METRIC_NAMESPACE } from './observability/memory-metrics.js';
export type { ImportedTableAttributes } from './tables/import-table.js';
