/**
 * The contract entry (`agentcore-memory-agents/contract`): what the constructs, the runtime
 * and code of your own must agree on. All of it is public: each module below is a rule of
 * the service or of this package's stored data, not an implementation detail.
 */
/** The agent definition item: its schema, memory feature, inference settings, cache TTLs, built-in tools. */
export * from './agent-definition.js';
/** The environment variables the functions read, as the constructs set them. */
export * from './environment.js';
/** AgentCore's identifier rules and the mapping from a userId to an actorId. */
export * from './identifiers.js';
/** AgentCore Memory's own limits. */
export * from './limits.js';
/** Filters on long-term records' metadata: their shape, operators and validation. */
export * from './metadata-filters.js';
/** The runtime's CloudWatch namespace, dimension and metric names. */
export * from './metrics.js';
/** Whether a namespace layout keeps actors apart, and whether a record lies under an actor's roots. */
export * from './namespace-isolation.js';
/** Namespace templates: the default layout, validation, resolution and the prefixes searched. */
export * from './namespaces.js';
/** Retrieval settings (topK, relevance score) and their defaults, bounds and stored form. */
export * from './retrieval.js';
/** The key layout of the session-history table and the agent table. */
export * from './session-table.js';
/** The long-term memory strategy kinds. */
export * from './strategies.js';
/** Time budgets the constructs and the runtime agree on. */
export * from './timing.js';
/** Text lengths counted in code points, as AgentCore counts them. */
export * from './unicode.js';
/** The Bedrock guardrail of an agent: identifier and version rules, settings schema. */
export * from './guardrail.js';
/** How many tool uses a turn runs, and the AgentCore calls that bounds. */
export * from './tool-limits.js';
