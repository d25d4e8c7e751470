/** Key schema of the session-history table, shared by the construct and the runtime. */
export const SessionTableKeys = {
  partitionKey: 'session_id',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB's TTL removes the item. */
  timeToLiveAttribute: 'expires_at',
  /** The owner's userId, on each session's owner item only (the turn items do not carry it). */
  ownerAttribute: 'user_id',
  /**
   * Global secondary index keyed by {@link ownerAttribute}: one entry per session, its
   * owner item, so a user's sessions are found with a Query rather than a table scan.
   */
  ownerIndexName: 'by-owner',
} as const;

/** Key schema of the agent-definition table. */
export const AgentTableKeys = {
  partitionKey: 'agent_id',
} as const;
