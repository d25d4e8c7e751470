/**
 * The runtime package entry (`agentcore-memory-agents/runtime`): everything a Lambda of
 * your own needs to give a Bedrock agent AgentCore memory, without aws-cdk-lib.
 *
 * This list is the published surface: what is not exported here (deadlines, retries,
 * error classification, the runtime's own markers and nudges) may change in any release.
 * test/package/public-surface.test.ts keeps the names, so changing them is a visible decision.
 */

/** The contract shared with the constructs: agent items, identifiers, namespaces, AgentCore limits, table layouts. */
export * from './contract/index.js';
/** The session manager: short-term events and long-term retrieval of one actor's session. */
export * from './session-manager/index.js';

export {
  /** Builds the Function URL handler that runs one turn per request. */
  createConverseHandler,
  /** The streaming Function URL handler `createConverseHandler` returns. */
  type ConverseHandler,
  /** What `createConverseHandler` takes beside its dependencies: tools of your own. */
  type ConverseHandlerOptions,
} from './converse/handler.js';
export {
  /** The dependencies of a turn from settings, each replaceable through `overrides`. */
  buildDependencies,
  /** The dependencies built once per container from the function's environment. */
  containerDependenciesFromEnvironment,
  /** Everything a turn needs from outside: tables, clients, session managers, time limits. */
  type ConverseDependencies,
} from './converse/dependencies.js';
export {
  /** The table names and memory id a converse function works with. */
  type RuntimeSettings,
} from './converse/settings.js';
export {
  /** How long each part of a turn may take, as a converse function uses by default. */
  DEFAULT_TURN_LIMITS,
  /** How long each part of a turn and each dependency call may take (`ConverseDependencies.limits`). */
  type TurnLimits,
} from './platform/deadlines.js';
export {
  /** Longest text a tool of your own may return; longer text is cut. */
  CUSTOM_TOOL_RESULT_MAX_LENGTH,
  /** How long a tool of your own may run when it names no `timeoutMs`. */
  DEFAULT_CUSTOM_TOOL_TIMEOUT_MS,
  /** Most tools of your own one function may register. */
  MAX_CUSTOM_TOOLS,
  /** Names Bedrock accepts for a tool. */
  TOOL_NAME_PATTERN,
  /** Thrown when the handler is created with invalid tools of your own; names every problem. */
  ToolRegistryError,
  /** A tool of your own, offered to the model beside the memory tool. */
  type CustomTool,
  /** What a tool of your own answers. */
  type CustomToolResult,
} from './converse/tools/registry.js';
export {
  /** What a running tool is told about its time: an abort signal and a deadline. */
  type ToolRunContext,
} from './converse/tools/tool.js';
export {
  /** The memory tool's name, `agent_core_memory`. */
  AGENT_CORE_MEMORY_TOOL_NAME,
  /** The memory tool's specification, the same for every user of an agent. */
  AGENT_CORE_MEMORY_TOOL_SPEC,
  /** The schema of the memory tool's input (`retrieve` or `record`). */
  memoryToolInputSchema,
  /** The CreateEvent metadata of every memory the model saves with `record`. */
  RECORD_EVENT_METADATA,
  /** The session manager operations a turn uses (`ConverseDependencies.createSessionManager`). */
  type MemorySessionManager,
  /** The memory tool's input, parsed. */
  type MemoryToolInput,
  /** Creates the session manager of one turn (`ConverseDependencies.createSessionManager`). */
  type SessionManagerFactory,
} from './converse/memory/tool.js';
export {
  /** The system prompt: the agent's prompt, plus the memory addition when memory is active. */
  buildSystemPrompt,
  /** What memory adds to an agent's system prompt. */
  MEMORY_SYSTEM_PROMPT_ADDITION,
  /** The user's message as one text for the model, for an agent loop of your own. */
  messageForModel,
  /** The user's message as content blocks for the model, for an agent loop of your own. */
  userContentForModel,
} from './converse/memory/prompts.js';
export {
  /** Retrieved memories as the JSON document the model reads, their text unable to pose as instructions. */
  framedMemories,
  /** One memory as the model reads it. */
  type FramedMemory,
} from './converse/memory/framing.js';
export {
  /** Removes everything a user left in a memory and a session table. */
  forgetUser,
  /** The AWS clients `forgetUser` calls. */
  type ForgetClients,
  /** A dry run, the sweeps' timing and bounds. */
  type ForgetOptions,
} from './forget/forget-user.js';
export {
  /** Where a user's data lives: the memory, its namespace templates and the session table. */
  type ForgetTarget,
} from './forget/target.js';
export {
  /** The report of `forgetUser` as lines for a person to read. */
  formatForgetReport,
  /** Deletes that found the item already gone, per kind. */
  type AlreadyGoneCounts,
  /** A call or item forgetting could not complete. */
  type ForgetFailure,
  /** What forgetting a user removed, failed to remove, and still waits on. */
  type ForgetReport,
  /** An extraction job AgentCore still lists for the user after the last sweep: it may yet write records. */
  type PendingExtraction,
  /** What was removed, per kind. */
  type SweepCounts,
} from './forget/report.js';
