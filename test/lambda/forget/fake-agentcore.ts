/**
 * An in-memory stand-in for the AgentCore calls forgetting makes, behind
 * aws-sdk-client-mock: sessions and events per actor; long-term records by namespace,
 * where ListMemoryRecords matches `namespacePath` as a subtree and `namespace` exactly (so
 * code that asks for a subtree with `namespace` finds nothing below it); extraction jobs
 * per actor; small pages so every listing paginates; the 100-record limit of
 * BatchDeleteMemoryRecords; failures per operation or per item; and a log of what was
 * really deleted, to hold the report against.
 */
import {
  BatchDeleteMemoryRecordsCommand,
  type BatchDeleteMemoryRecordsCommandInput,
  type BedrockAgentCoreClient,
  DeleteEventCommand,
  type DeleteEventCommandInput,
  ListEventsCommand,
  type ListEventsCommandInput,
  ListMemoryExtractionJobsCommand,
  type ListMemoryExtractionJobsCommandInput,
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

export interface StoredJob {
  readonly jobID: string;
  readonly actorId: string;
  readonly sessionId: string;
}

export type Operation =
  | 'ListSessions'
  | 'ListEvents'
  | 'DeleteEvent'
  | 'ListMemoryRecords'
  | 'BatchDeleteMemoryRecords'
  | 'ListMemoryExtractionJobs';

export interface FakeAgentCore {
  readonly events: StoredEvent[];
  readonly records: StoredRecord[];
  readonly jobs: StoredJob[];
  /** What DeleteEvent and BatchDeleteMemoryRecords really removed, in order. */
  readonly deleted: { readonly events: string[]; readonly records: string[] };
  /** Sizes of each BatchDeleteMemoryRecords request. */
  readonly batchSizes: number[];
  /** The next `count` calls of `operation` fail with an error of this name (throttling by default). */
  failNext(operation: Operation, count: number, name?: string): void;
  /** The next `count` requests of `operation` for the page at `nextToken` fail with throttling. */
  failPage(operation: Operation, nextToken: string, count: number): void;
  /** The next `count` deletes of this event or record fail (a record: reported in failedRecords with code 500). */
  failItem(id: string, count: number): void;
  /** Still listed, but already deleted by someone else: its delete answers "not found". */
  vanish(id: string): void;
  addEvents(actorId: string, sessionId: string, count: number): string[];
  addRecord(namespace: string): string;
  addJob(actorId: string, sessionId: string): string;
  /** The job ends, and the record it extracted appears. */
  finishJob(jobID: string, namespace: string): void;
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
  const jobs: StoredJob[] = [];
  const deleted = { events: [] as string[], records: [] as string[] };
  const batchSizes: number[] = [];
  const failures = new Map<Operation, { count: number; name: string }>();
  const itemFailures = new Map<string, number>();
  const vanished = new Set<string>();
  let counter = 0;

  const pageFailures = new Map<string, number>();
  const maybeFail = (operation: Operation, input?: { nextToken?: string }) => {
    const pageKey = `${operation} ${input?.nextToken}`;
    const pageLeft = pageFailures.get(pageKey) ?? 0;
    if (pageLeft > 0) {
      pageFailures.set(pageKey, pageLeft - 1);
      throw serviceError('ThrottledException');
    }
    const pending = failures.get(operation);
    if (pending === undefined || pending.count === 0) return;
    pending.count--;
    throw serviceError(pending.name);
  };
  const itemFails = (id: string) => {
    const left = itemFailures.get(id) ?? 0;
    if (left > 0) itemFailures.set(id, left - 1);
    return left > 0;
  };
  const checkMemory = (input: { memoryId?: string }) => {
    if (input.memoryId !== memoryId) throw serviceError('ResourceNotFoundException');
  };

  mock.on(ListSessionsCommand).callsFake((input: ListSessionsCommandInput) => {
    maybeFail('ListSessions', input);
    checkMemory(input);
    const sessions = [...new Set(events.filter((e) => e.actorId === input.actorId).map((e) => e.sessionId))];
    const { items, nextToken } = page(sessions, input.nextToken, input.maxResults);
    return {
      sessionSummaries: items.map((sessionId) => ({ sessionId, actorId: input.actorId, createdAt: new Date(0) })),
      nextToken,
    };
  });
  mock.on(ListEventsCommand).callsFake((input: ListEventsCommandInput) => {
    maybeFail('ListEvents', input);
    checkMemory(input);
    if (input.includePayloads !== false) throw serviceError('ValidationException');
    const matching = events.filter((e) => e.actorId === input.actorId && e.sessionId === input.sessionId);
    const { items, nextToken } = page(matching, input.nextToken, input.maxResults);
    return { events: items.map((e) => ({ ...e, memoryId, eventTimestamp: new Date(0), payload: [] })), nextToken };
  });
  mock.on(DeleteEventCommand).callsFake((input: DeleteEventCommandInput) => {
    maybeFail('DeleteEvent');
    checkMemory(input);
    if (itemFails(input.eventId!)) throw serviceError('InternalServerException');
    const index = events.findIndex(
      (e) => e.eventId === input.eventId && e.actorId === input.actorId && e.sessionId === input.sessionId,
    );
    if (index === -1 || vanished.has(input.eventId!)) {
      if (index !== -1) events.splice(index, 1);
      throw serviceError('ResourceNotFoundException');
    }
    events.splice(index, 1);
    deleted.events.push(input.eventId!);
    return { eventId: input.eventId };
  });
  mock.on(ListMemoryRecordsCommand).callsFake((input: ListMemoryRecordsCommandInput) => {
    maybeFail('ListMemoryRecords', input);
    checkMemory(input);
    const { namespace, namespacePath } = input;
    if ((namespace === undefined) === (namespacePath === undefined)) throw serviceError('ValidationException');
    const matching = records.filter((record) =>
      namespacePath !== undefined ? record.namespace.startsWith(namespacePath) : record.namespace === namespace,
    );
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
    for (const { memoryRecordId, namespace } of requested) {
      const index = records.findIndex((record) => record.memoryRecordId === memoryRecordId);
      if (itemFails(memoryRecordId!)) {
        failedRecords.push({ memoryRecordId, status: 'FAILED' as const, errorCode: 500, errorMessage: 'internal' });
      } else if (index === -1 || vanished.has(memoryRecordId!) || records[index].namespace !== namespace) {
        if (index !== -1 && vanished.has(memoryRecordId!)) records.splice(index, 1);
        failedRecords.push({ memoryRecordId, status: 'FAILED' as const, errorCode: 404, errorMessage: 'not found' });
      } else {
        records.splice(index, 1);
        deleted.records.push(memoryRecordId!);
        successfulRecords.push({ memoryRecordId, status: 'SUCCEEDED' as const });
      }
    }
    return { successfulRecords, failedRecords };
  });
  mock.on(ListMemoryExtractionJobsCommand).callsFake((input: ListMemoryExtractionJobsCommandInput) => {
    maybeFail('ListMemoryExtractionJobs', input);
    checkMemory(input);
    const { actorId, sessionId } = input.filter ?? {};
    const matching = jobs.filter(
      (job) =>
        (actorId === undefined || job.actorId === actorId) && (sessionId === undefined || job.sessionId === sessionId),
    );
    const { items, nextToken } = page(matching, input.nextToken, input.maxResults);
    return {
      jobs: items.map((job) => ({
        ...job,
        status: 'FAILED' as const,
        failureReason: 'model throttled',
        strategyId: 'strategy-1',
        messages: { messagesList: [] },
      })),
      nextToken,
    };
  });

  return {
    events,
    records,
    jobs,
    deleted,
    batchSizes,
    failNext(operation, count, name = 'ThrottledException') {
      failures.set(operation, { count, name });
    },
    failPage(operation, nextToken, count) {
      pageFailures.set(`${operation} ${nextToken}`, count);
    },
    failItem(id, count) {
      itemFailures.set(id, count);
    },
    vanish(id) {
      vanished.add(id);
    },
    addEvents(actorId, sessionId, count) {
      const added = Array.from({ length: count }, () => ({ actorId, sessionId, eventId: `event-${counter++}` }));
      events.push(...added);
      return added.map((event) => event.eventId);
    },
    addRecord(namespace) {
      const memoryRecordId = `record-${counter++}`;
      records.push({ memoryRecordId, namespace });
      return memoryRecordId;
    },
    addJob(actorId, sessionId) {
      const jobID = `job-${counter++}`;
      jobs.push({ jobID, actorId, sessionId });
      return jobID;
    },
    finishJob(jobID, namespace) {
      const index = jobs.findIndex((job) => job.jobID === jobID);
      if (index !== -1) jobs.splice(index, 1);
      records.push({ memoryRecordId: `record-${counter++}`, namespace });
    },
  };
}
