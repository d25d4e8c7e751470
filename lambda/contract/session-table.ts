/** Key schema of the session-history table, shared by the construct and the runtime. */
export const SessionTableKeys = {
  partitionKey: 'session_id',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB's TTL removes the item. */
  timeToLiveAttribute: 'expires_at',
  /**
   * The owner's userId, on EVERY item of a session: the owner item (`~meta`) and each turn
   * item, so a user's turn items are found even once their owner item is gone.
   */
  ownerAttribute: 'user_id',
  /**
   * Global secondary index keyed by {@link ownerAttribute}: an entry per item of each of the
   * user's sessions (owner and turn items), so a user's sessions and turns are found with a
   * Query rather than a table scan.
   */
  ownerIndexName: 'by-owner',
} as const;

/** Key schema of the agent-definition table. */
export const AgentTableKeys = {
  partitionKey: 'agent_id',
} as const;
