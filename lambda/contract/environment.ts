/** Environment variables the converse function reads; the CDK constructs set exactly these. */
export const RuntimeEnvironment = {
  agentTableName: 'AGENT_TABLE_NAME',
  sessionTableName: 'SESSION_TABLE_NAME',
  memoryId: 'MEMORY_ID',
  /** The `service` of the runtime's logs and metric dimension; Powertools' own variable. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

export type RuntimeEnvironmentVariable = (typeof RuntimeEnvironment)[keyof typeof RuntimeEnvironment];
