/** The built-in long-term memory strategy kinds, shared by the constructs and the runtime. */
export const MEMORY_STRATEGY_KINDS = ['summary', 'userPreference', 'semantic', 'episodic'] as const;

export type MemoryStrategyKind = (typeof MEMORY_STRATEGY_KINDS)[number];
