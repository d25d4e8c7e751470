/** Key schema of the session-history table, shared by the construct and the runtime. */
export const SessionTableKeys = {
  partitionKey: 'session_id',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB's TTL removes the item. */
  timeToLiveAttribute: 'expires_at',
  /** The owner's userId, on every item of a session: its owner item and each turn item. */
  ownerAttribute: 'user_id',
  /**
   * Global secondary index keyed by {@link ownerAttribute}, projecting the keys: every item
   * of a user, so forgetting finds them all with a Query rather than a table scan.
   */
  ownerIndexName: 'by-owner',
  /**
   * Sort key of a session's owner item, which records the session's owner and bound agent;
   * sorts after every turn's key.
   */
  ownerItemSortKey: '~meta',
} as const;

/** Key schema of the agent-definition table. */
export const AgentTableKeys = {
  partitionKey: 'agent_id',
} as const;
