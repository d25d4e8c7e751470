/** Environment variables the converse function reads; the CDK constructs set exactly these. */
export const RuntimeEnvironment = {
  agentTableName: 'AGENT_TABLE_NAME',
  sessionTableName: 'SESSION_TABLE_NAME',
  memoryId: 'MEMORY_ID',
  /** The `service` of the runtime's logs and metric dimension; Powertools' own variable. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

export type RuntimeEnvironmentVariable = (typeof RuntimeEnvironment)[keyof typeof RuntimeEnvironment];

/** Environment variables the forget function reads; `ForgetFunction` sets exactly these. */
export const ForgetEnvironment = {
  memoryId: 'MEMORY_ID',
  sessionTableName: 'SESSION_TABLE_NAME',
  /** JSON list of every namespace template the memory's strategies write records to. */
  namespaceTemplates: 'MEMORY_NAMESPACE_TEMPLATES',
  /**
   * JSON list of further namespace templates with `{actorId}` whose actor-level roots are
   * swept too (namespaces of strategies since removed from the memory).
   */
  extraNamespaceTemplates: 'FORGET_EXTRA_NAMESPACE_TEMPLATES',
  /** Seconds between the first sweep and the second, which catches records extracted meanwhile. */
  secondSweepDelaySeconds: 'SECOND_SWEEP_DELAY_SECONDS',
} as const;
