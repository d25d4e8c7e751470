/**
 * The user's short-term memory (AgentCore sessions and events, listed by the user's actorId)
 * and session history (the session table's turn items, found through the owner index).
 */
import {
  type BedrockAgentCoreClient,
  type Event,
  paginateListEvents,
  paginateListSessions,
} from '@aws-sdk/client-bedrock-agentcore';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { SessionTableKeys, isValidSessionId } from '../contract/index.js';
import { InspectorInputError } from '../platform/errors.js';
import type {
  HistoryItem,
  InspectedEvent,
  InspectedPayload,
  InspectedSession,
  InspectedSessionTable,
} from './types.js';
import type { UserScope } from './user-scope.js';

export interface SessionReader {
  readonly scope: UserScope;
  readonly agentCore: BedrockAgentCoreClient;
  readonly pageSize: number;
  readonly sessionTable?: InspectedSessionTable;
}

const TURN_SORT_KEY_PREFIX = 'turn#';
const { partitionKey, sortKey, ownerAttribute, ownerIndexName, ownerItemSortKey } = SessionTableKeys;

export async function* listSessions(reader: SessionReader): AsyncGenerator<InspectedSession> {
  const { scope, agentCore, pageSize } = reader;
  const pages = paginateListSessions(
    { client: agentCore, pageSize },
    { memoryId: scope.memoryId, actorId: scope.actorId },
  );
  for await (const page of pages) {
    for (const session of page.sessionSummaries ?? []) {
      // Listed by the user's actorId; one naming another actor is not the user's.
      if (session.sessionId === undefined || (session.actorId ?? scope.actorId) !== scope.actorId) continue;
      yield {
        sessionId: session.sessionId,
        ...(session.createdAt !== undefined && { createdAt: session.createdAt.toISOString() }),
      };
    }
  }
}

function payloadOf(event: Event): InspectedPayload[] {
  return (event.payload ?? []).flatMap((item): InspectedPayload[] => {
    if (item.conversational !== undefined) {
      return [{ role: item.conversational.role ?? 'OTHER', text: item.conversational.content?.text ?? '' }];
    }
    if (item.json !== undefined) return [{ json: item.json }];
    return item.blob === undefined ? [] : [{ blob: item.blob }];
  });
}

function metadataOf(event: Event): Record<string, string> | undefined {
  const entries = Object.entries(event.metadata ?? {}).flatMap(([key, value]) =>
    value.stringValue === undefined ? [] : [[key, value.stringValue] as const],
  );
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The session's events with their payloads, as ListEvents returns them for the user's actorId. */
export async function* listEvents(reader: SessionReader, sessionId: string): AsyncGenerator<InspectedEvent> {
  if (!isValidSessionId(sessionId)) throw new InspectorInputError(`'${sessionId}' is not an AgentCore session id`);
  const { scope, agentCore, pageSize } = reader;
  const pages = paginateListEvents(
    { client: agentCore, pageSize },
    { memoryId: scope.memoryId, actorId: scope.actorId, sessionId, includePayloads: true },
  );
  for await (const page of pages) {
    for (const event of page.events ?? []) {
      if (event.eventId === undefined || (event.actorId ?? scope.actorId) !== scope.actorId) continue;
      const metadata = metadataOf(event);
      yield {
        eventId: event.eventId,
        sessionId,
        ...(event.eventTimestamp !== undefined && { eventTimestamp: event.eventTimestamp.toISOString() }),
        payload: payloadOf(event),
        ...(metadata !== undefined && { metadata }),
      };
    }
  }
}

/** The ids of the sessions with an item of the user in the session table, each once. */
async function historySessionIds(table: InspectedSessionTable, userId: string): Promise<string[]> {
  const sessionIds = new Set<string>();
  const pages = paginateQuery(
    { client: table.dynamo },
    {
      TableName: table.tableName,
      IndexName: ownerIndexName,
      KeyConditionExpression: '#owner = :userId',
      ExpressionAttributeNames: { '#owner': ownerAttribute },
      ExpressionAttributeValues: { ':userId': userId },
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) sessionIds.add(String(item[partitionKey]));
  return [...sessionIds].sort();
}

function historyItemOf(sessionId: string, item: Record<string, unknown>): HistoryItem {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const agentId = text(item.agent_id);
  const createdAt = text(item.created_at);
  const userMessage = text(item.user_message);
  const assistantMessage = text(item.assistant_message);
  return {
    sessionId,
    key: String(item[sortKey]),
    ...(agentId !== undefined && { agentId }),
    ...(createdAt !== undefined && { createdAt }),
    ...(userMessage !== undefined && { userMessage }),
    ...(assistantMessage !== undefined && { assistantMessage }),
    ...(item.incomplete === true && { incomplete: true }),
  };
}

/**
 * The user's turns, session by session (sessions by id, turns oldest first; turns written
 * before turn items named their owner come last in their session). Each session is read and only
 * the user's items are kept: those naming the user, and those naming nobody (written before
 * turn items carried their owner) in a session whose owner item is the user's.
 */
export async function* listHistory(reader: SessionReader): AsyncGenerator<HistoryItem> {
  const table = reader.sessionTable;
  if (table === undefined) return;
  const { userId } = reader.scope;
  for (const sessionId of await historySessionIds(table, userId)) {
    const pages = paginateQuery(
      { client: table.dynamo },
      {
        TableName: table.tableName,
        KeyConditionExpression: '#pk = :sessionId',
        ExpressionAttributeNames: { '#pk': partitionKey },
        ExpressionAttributeValues: { ':sessionId': sessionId },
        ConsistentRead: true,
      },
    );
    let ownedSession: boolean | undefined;
    const ownerless: Record<string, unknown>[] = [];
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const key = String(item[sortKey]);
        const owner: unknown = item[ownerAttribute];
        if (key === ownerItemSortKey) ownedSession = owner === userId;
        if (!key.startsWith(TURN_SORT_KEY_PREFIX)) continue;
        if (owner === userId) yield historyItemOf(sessionId, item);
        else if (owner === undefined) ownerless.push(item);
      }
    }
    // The owner item sorts after every turn, so ownerless turns are known to be the user's only at the end.
    if (ownedSession === true) for (const item of ownerless) yield historyItemOf(sessionId, item);
  }
}
