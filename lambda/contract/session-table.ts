/** Key schema of the session-history table, shared by the construct and the runtime. */
export const SessionTableKeys = {
  partitionKey: 'session_id',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB's TTL removes the item. */
  timeToLiveAttribute: 'expires_at',
} as const;

/** Key schema of the agent-definition table. */
export const AgentTableKeys = {
  partitionKey: 'agent_id',
} as const;
