/**
 * The converse runtime's own CloudWatch metrics: the one place that names them, read by the
 * runtime that publishes them (Powertools Metrics, embedded metric format) and by the
 * constructs that alarm on them.
 */

/** The CloudWatch namespace of the runtime's metrics. */
export const RUNTIME_METRIC_NAMESPACE = 'AgentCoreMemoryAgents';

/**
 * The `service` dimension when the function sets no service name of its own. Powertools
 * Metrics adds `service` to every metric it publishes, so a metric is found only with it.
 */
export const DEFAULT_RUNTIME_SERVICE_NAME = 'converse';

/** The dimension Powertools Metrics puts the service name in. */
export const RUNTIME_SERVICE_DIMENSION = 'service';

/** The metric names the runtime publishes, each once per request or event. */
export const RuntimeMetricName = {
  /** Turns that ran (Count, one per turn). */
  turns: 'Turns',
  /** Turns that ended with an `error` event or a 500 before streaming (Count). */
  turnErrors: 'TurnErrors',
  /** How long a memory `retrieve` took (Milliseconds). */
  memoryRetrieveLatency: 'MemoryRetrieveLatency',
  /** Failed AgentCore calls: retrieve, record, or writing the turn to short-term memory (Count). */
  memoryErrors: 'MemoryErrors',
  /** Turns the session-history table did not save (Count). */
  historyWriteErrors: 'HistoryWriteErrors',
  /**
   * Turns whose agent has memory switched off because its retrieval templates, as a set,
   * would let one user's namespaces cover another's (Count).
   */
  unsafeNamespaceLayouts: 'UnsafeNamespaceLayouts',
  /** Retrieved memory records left out because they are not under the user's own namespaces (Count). */
  foreignMemoryRecords: 'ForeignMemoryRecordsDropped',
  /** Requests answered 400 before any model call (Count). */
  rejectedRequests: 'RejectedRequests',
  /** Model input tokens of a turn, cache reads and writes excluded (Count, as Bedrock reports them). */
  inputTokens: 'InputTokens',
  /** Input tokens of a turn read from the Bedrock prompt cache (Count). */
  cacheReadInputTokens: 'CacheReadInputTokens',
  /** Input tokens of a turn written to the Bedrock prompt cache (Count). */
  cacheWriteInputTokens: 'CacheWriteInputTokens',
} as const;

export type RuntimeMetricName = (typeof RuntimeMetricName)[keyof typeof RuntimeMetricName];
