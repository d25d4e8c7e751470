/** Named IAM action sets, like `MemoryPerms` of aws-bedrockagentcore. */
export const AgentMemoryPerms = {
  /**
   * What the converse runtime calls: CreateEvent (each finished turn, and the memory
   * tool's `record` action), RetrieveMemoryRecords (the memory tool's `retrieve`
   * action), and GetMemoryRecord with BatchDeleteMemoryRecords (the memory tool's
   * `forget` action, which reads each record to check it is the user's before deleting
   * it). It keeps session history in its own table and never reads events back.
   */
  AGENT_RUNTIME_PERMS: [
    'bedrock-agentcore:CreateEvent',
    'bedrock-agentcore:RetrieveMemoryRecords',
    'bedrock-agentcore:GetMemoryRecord',
    'bedrock-agentcore:BatchDeleteMemoryRecords',
  ] as readonly string[],

  /**
   * What the session manager's `restore()` calls to rebuild a conversation from
   * short-term memory: ListEvents. The converse runtime does not restore sessions.
   */
  SESSION_RESTORE_PERMS: ['bedrock-agentcore:ListEvents'] as readonly string[],

  /**
   * What forgetting a user calls: ListSessions, ListEvents and DeleteEvent for the
   * actor's short-term events, ListMemoryRecords and BatchDeleteMemoryRecords for the
   * long-term records under the actor's namespace roots, ListMemoryExtractionJobs for
   * extraction still pending for the actor, GetMemory for the memory's current strategies.
   */
  FORGET_PERMS: [
    'bedrock-agentcore:ListSessions',
    'bedrock-agentcore:ListEvents',
    'bedrock-agentcore:DeleteEvent',
    'bedrock-agentcore:ListMemoryRecords',
    'bedrock-agentcore:BatchDeleteMemoryRecords',
    'bedrock-agentcore:ListMemoryExtractionJobs',
    'bedrock-agentcore:GetMemory',
  ] as readonly string[],

  /**
   * What an operator role running `agentcore-memory inspect` calls: GetMemory for the
   * memory's strategies (the user's namespaces), ListMemoryRecords, RetrieveMemoryRecords
   * and GetMemoryRecord to list, search and show records, BatchCreateMemoryRecords,
   * BatchUpdateMemoryRecords and BatchDeleteMemoryRecords to add, correct and delete one,
   * ListSessions and ListEvents for the user's sessions. It lists no actors: it is given
   * the user.
   */
  INSPECT_PERMS: [
    'bedrock-agentcore:GetMemory',
    'bedrock-agentcore:ListMemoryRecords',
    'bedrock-agentcore:RetrieveMemoryRecords',
    'bedrock-agentcore:GetMemoryRecord',
    'bedrock-agentcore:BatchCreateMemoryRecords',
    'bedrock-agentcore:BatchUpdateMemoryRecords',
    'bedrock-agentcore:BatchDeleteMemoryRecords',
    'bedrock-agentcore:ListSessions',
    'bedrock-agentcore:ListEvents',
  ] as readonly string[],

  /**
   * Long-term extraction jobs: ListMemoryExtractionJobs to see what is still pending or
   * failed, StartMemoryExtractionJob to run a failed one again.
   */
  EXTRACTION_JOB_PERMS: [
    'bedrock-agentcore:ListMemoryExtractionJobs',
    'bedrock-agentcore:StartMemoryExtractionJob',
  ] as readonly string[],
} as const;
