/**
 * The runtime package entry (`agentcore-memory-agents/runtime`): everything a Lambda of
 * your own needs to give a Bedrock agent AgentCore memory, without aws-cdk-lib.
 */
export * from './contract/index.js';
export * from './session-manager/index.js';
export { createConverseHandler, type ConverseHandler, type ConverseHandlerOptions } from './converse/handler.js';
export {
  CUSTOM_TOOL_RESULT_MAX_LENGTH,
  DEFAULT_CUSTOM_TOOL_TIMEOUT_MS,
  MAX_CUSTOM_TOOLS,
  TOOL_NAME_PATTERN,
  ToolRegistry,
  ToolRegistryError,
  type CustomTool,
  type CustomToolResult,
} from './converse/tools/registry.js';
export type { ToolRunContext } from './converse/tools/tool.js';
export {
  buildDependencies,
  containerDependenciesFromEnvironment,
  type ConverseDependencies,
} from './converse/dependencies.js';
export {
  callWithDeadline,
  DeadlineExceededError,
  DEFAULT_TURN_LIMITS,
  TurnDeadlines,
  type TurnLimits,
} from './platform/deadlines.js';
export { isTransientError, RETRY_AFTER_SECONDS, type TurnFailure } from './converse/failures.js';
export {
  AGENT_CORE_MEMORY_TOOL_NAME,
  AGENT_CORE_MEMORY_TOOL_SPEC,
  AgentCoreMemoryTool,
  memoryToolInputSchema,
  RECORD_EVENT_METADATA,
  type MemoryScope,
  type MemorySessionManager,
  type MemoryToolInput,
  type RetrievalOutcome,
  type SessionManagerFactory,
} from './converse/memory/tool.js';
export {
  buildSystemPrompt,
  MEMORY_SYSTEM_PROMPT_ADDITION,
  messageForModel,
  NEW_SESSION_MEMORY_NUDGE,
  userContentForModel,
} from './converse/memory/prompts.js';
export {
  framedMemories,
  NEUTRALISED_MARKER,
  neutraliseRuntimeMarkers,
  RUNTIME_NOTE_MARKER,
  type FramedMemory,
} from './converse/memory/framing.js';
export {
  DEFAULT_SECOND_SWEEP_DELAY_SECONDS,
  forgetUser,
  type ForgetClients,
  type ForgetOptions,
} from './forget/forget-user.js';
export { type ForgetTarget } from './forget/target.js';
export {
  formatForgetReport,
  type AlreadyGoneCounts,
  type ForgetFailure,
  type ForgetReport,
  type PendingExtraction,
  type SweepCounts,
} from './forget/report.js';
