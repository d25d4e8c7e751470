/**
 * An in-memory stand-in for the AgentCore calls forgetting makes, behind
 * aws-sdk-client-mock: sessions and events per actor, long-term records by namespace with
 * ListMemoryRecords matching by prefix as the service does, small pages so every listing
 * paginates, the 100-record limit of BatchDeleteMemoryRecords enforced, and failures that
 * can be scheduled per operation.
 */
import {
  BatchDeleteMemoryRecordsCommand,
  type BatchDeleteMemoryRecordsCommandInput,
  type BedrockAgentCoreClient,
  DeleteEventCommand,
  type DeleteEventCommandInput,
  ListEventsCommand,
  type ListEventsCommandInput,
  ListMemoryRecordsCommand,
  type ListMemoryRecordsCommandInput,
  ListSessionsCommand,
  type ListSessionsCommandInput,
} from '@aws-sdk/client-bedrock-agentcore';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** Items per page, whatever maxResults asks: small, so tests cross page boundaries. */
export const PAGE_SIZE = 2;

export interface StoredEvent {
  readonly actorId: string;
  readonly sessionId: string;
  readonly eventId: string;
}

export interface StoredRecord {
  readonly memoryRecordId: string;
  readonly namespace: string;
}

export type Operation =
  'ListSessions' | 'ListEvents' | 'DeleteEvent' | 'ListMemoryRecords' | 'BatchDeleteMemoryRecords';

export interface FakeAgentCore {
  readonly events: StoredEvent[];
  readonly records: StoredRecord[];
  /** Sizes of each BatchDeleteMemoryRecords request. */
  readonly batchSizes: number[];
  /** The next `count` calls of `operation` fail with an error of this name (throttling by default). */
  failNext(operation: Operation, count: number, name?: string): void;
  addEvents(actorId: string, sessionId: string, count: number): void;
  addRecord(namespace: string): void;
}

function serviceError(name: string): Error {
  const status = name === 'ThrottledException' ? 429 : name === 'AccessDeniedException' ? 403 : 500;
  return Object.assign(new Error(`${name} from the stand-in`), { name, $metadata: { httpStatusCode: status } });
}

/** `pageSize` caps every page (the service's own cap is maxResults, at most 100). */
export function installFakeAgentCore(
  mock: AwsClientStub<BedrockAgentCoreClient>,
  memoryId: string,
  pageSize = PAGE_SIZE,
): FakeAgentCore {
  const page = <T>(items: T[], nextToken: string | undefined, maxResults = 100): { items: T[]; nextToken?: string } => {
    const start = nextToken === undefined ? 0 : Number(nextToken);
    const end = start + Math.min(pageSize, maxResults);
    return { items: items.slice(start, end), ...(end < items.length && { nextToken: String(end) }) };
  };
  const events: StoredEvent[] = [];
  const records: StoredRecord[] = [];
  const batchSizes: number[] = [];
  const failures = new Map<Operation, { count: number; name: string }>();
  let counter = 0;

  const maybeFail = (operation: Operation) => {
    const pending = failures.get(operation);
    if (pending === undefined || pending.count === 0) return;
    pending.count--;
    throw serviceError(pending.name);
  };
  const checkMemory = (input: { memoryId?: string }) => {
    if (input.memoryId !== memoryId) throw serviceError('ResourceNotFoundException');
  };

  mock.on(ListSessionsCommand).callsFake((input: ListSessionsCommandInput) => {
    maybeFail('ListSessions');
    checkMemory(input);
    const sessions = [...new Set(events.filter((e) => e.actorId === input.actorId).map((e) => e.sessionId))];
    const { items, nextToken } = page(sessions, input.nextToken, input.maxResults);
    return {
      sessionSummaries: items.map((sessionId) => ({ sessionId, actorId: input.actorId, createdAt: new Date(0) })),
      nextToken,
    };
  });
  mock.on(ListEventsCommand).callsFake((input: ListEventsCommandInput) => {
    maybeFail('ListEvents');
    checkMemory(input);
    if (input.includePayloads !== false) throw serviceError('ValidationException');
    const matching = events.filter((e) => e.actorId === input.actorId && e.sessionId === input.sessionId);
    const { items, nextToken } = page(matching, input.nextToken, input.maxResults);
    return { events: items.map((e) => ({ ...e, memoryId, eventTimestamp: new Date(0), payload: [] })), nextToken };
  });
  mock.on(DeleteEventCommand).callsFake((input: DeleteEventCommandInput) => {
    maybeFail('DeleteEvent');
    checkMemory(input);
    const index = events.findIndex(
      (e) => e.eventId === input.eventId && e.actorId === input.actorId && e.sessionId === input.sessionId,
    );
    if (index === -1) throw serviceError('ResourceNotFoundException');
    events.splice(index, 1);
    return { eventId: input.eventId };
  });
  mock.on(ListMemoryRecordsCommand).callsFake((input: ListMemoryRecordsCommandInput) => {
    maybeFail('ListMemoryRecords');
    checkMemory(input);
    // The service matches namespaces that start with the given prefix.
    const matching = records.filter((record) => record.namespace.startsWith(input.namespace!));
    const { items, nextToken } = page(matching, input.nextToken, input.maxResults);
    return {
      memoryRecordSummaries: items.map((record) => ({
        memoryRecordId: record.memoryRecordId,
        namespaces: [record.namespace],
        content: { text: 'a memory' },
        memoryStrategyId: 'strategy-1',
        createdAt: new Date(0),
      })),
      nextToken,
    };
  });
  mock.on(BatchDeleteMemoryRecordsCommand).callsFake((input: BatchDeleteMemoryRecordsCommandInput) => {
    maybeFail('BatchDeleteMemoryRecords');
    checkMemory(input);
    const requested = input.records ?? [];
    if (requested.length > 100) throw serviceError('ValidationException');
    batchSizes.push(requested.length);
    const successfulRecords = [];
    const failedRecords = [];
    for (const { memoryRecordId } of requested) {
      const index = records.findIndex((record) => record.memoryRecordId === memoryRecordId);
      if (index === -1) {
        failedRecords.push({ memoryRecordId, status: 'FAILED' as const, errorCode: 404, errorMessage: 'not found' });
      } else {
        records.splice(index, 1);
        successfulRecords.push({ memoryRecordId, status: 'SUCCEEDED' as const });
      }
    }
    return { successfulRecords, failedRecords };
  });

  return {
    events,
    records,
    batchSizes,
    failNext(operation, count, name = 'ThrottledException') {
      failures.set(operation, { count, name });
    },
    addEvents(actorId, sessionId, count) {
      for (let i = 0; i < count; i++) events.push({ actorId, sessionId, eventId: `event-${counter++}` });
    },
    addRecord(namespace) {
      records.push({ memoryRecordId: `record-${counter++}`, namespace });
    },
  };
}
