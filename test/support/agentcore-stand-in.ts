/**
 * A local, in-memory AgentCore Memory behind aws-sdk-client-mock, shared by the tests of
 * forgetting, the inspector and the session manager: sessions and events per actor (with
 * payloads); long-term records with text, strategy and namespaces, where ListMemoryRecords
 * and RetrieveMemoryRecords match `namespacePath` as a string prefix and `namespace` exactly
 * (so code that asks for a subtree with `namespace` finds nothing below it); extraction jobs
 * per actor; small pages so every listing paginates; the service's batch limits; failures per
 * operation, page or item; a log of every call and of what was really deleted.
 * The control plane's GetMemory is answered by {@link installControlStandIn}.
 */
import type { BedrockAgentCoreClient, PayloadType } from '@aws-sdk/client-bedrock-agentcore';
import { type BedrockAgentCoreControlClient, GetMemoryCommand } from '@aws-sdk/client-bedrock-agentcore-control';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { serviceError } from './stand-in-errors.js';
import { installEventCommands } from './stand-in-events.js';
import { installRecordCommands } from './stand-in-records.js';

export { serviceError } from './stand-in-errors.js';

/** Items per page, whatever maxResults asks: small, so tests cross page boundaries. */
export const PAGE_SIZE = 2;

export interface StoredEvent {
  readonly actorId: string;
  readonly sessionId: string;
  readonly eventId: string;
  readonly eventTimestamp?: Date;
  readonly payload?: PayloadType[];
}

export interface StoredRecord {
  readonly memoryRecordId: string;
  /** The first namespace the record is filed under. */
  readonly namespace: string;
  /** Every namespace, when the record is filed under more than one. @default [namespace] */
  namespaces?: string[];
  /** @default 'a memory' */
  text?: string;
  /** @default 'strategy-1' */
  strategyId?: string;
  createdAt?: Date;
}

export interface StoredJob {
  readonly jobID: string;
  readonly actorId: string;
  readonly sessionId: string;
}

export type Operation =
  | 'ListSessions'
  | 'ListEvents'
  | 'CreateEvent'
  | 'DeleteEvent'
  | 'ListMemoryRecords'
  | 'GetMemoryRecord'
  | 'RetrieveMemoryRecords'
  | 'BatchCreateMemoryRecords'
  | 'BatchUpdateMemoryRecords'
  | 'BatchDeleteMemoryRecords'
  | 'ListMemoryExtractionJobs';

export interface StandInOptions {
  /** Items per page at most. @default PAGE_SIZE */
  readonly pageSize?: number;
  /** ListEvents may return payloads; otherwise it insists on `includePayloads: false`, as forgetting sends. @default false */
  readonly payloadsAllowed?: boolean;
}

export interface FakeAgentCore {
  readonly events: StoredEvent[];
  readonly records: StoredRecord[];
  readonly jobs: StoredJob[];
  /** What DeleteEvent and BatchDeleteMemoryRecords really removed, in order. */
  readonly deleted: { readonly events: string[]; readonly records: string[] };
  /** Sizes of each BatchDeleteMemoryRecords request. */
  readonly batchSizes: number[];
  /** Every call received, in order, failed ones included. */
  readonly calls: Operation[];
  /** Every call received with its input, in order. */
  readonly requests: { readonly operation: Operation; readonly input: Record<string, unknown> }[];
  /** The next `count` calls of `operation` fail with an error of this name (throttling by default). */
  failNext(operation: Operation, count: number, name?: string): void;
  /** The next `count` requests of `operation` for the page at `nextToken` fail with throttling. */
  failPage(operation: Operation, nextToken: string, count: number): void;
  /** The next `count` deletes of this event or record fail (a record: reported in failedRecords with code 500). */
  failItem(id: string, count: number): void;
  /** Still listed, but already deleted by someone else: its delete answers "not found". */
  vanish(id: string): void;
  addEvents(actorId: string, sessionId: string, count: number): string[];
  addRecord(namespace: string, fields?: Omit<StoredRecord, 'memoryRecordId' | 'namespace'>): string;
  addJob(actorId: string, sessionId: string): string;
  /** The job ends, and the record it extracted appears. */
  finishJob(jobID: string, namespace: string): void;
  /** How many calls of `operation` were received. */
  count(operation: Operation): number;
}

/** What the command handlers share: the state, paging, failures and the memory's id. */
export interface StandInState extends FakeAgentCore {
  readonly memoryId: string;
  readonly payloadsAllowed: boolean;
  nextId(prefix: string): string;
  page<T>(items: T[], nextToken: string | undefined, maxResults?: number): { items: T[]; nextToken?: string };
  /** Logs the call, then throws when a failure was arranged for it or the memory is not this one. */
  receive(operation: Operation, input: { memoryId?: string; nextToken?: string }): void;
  itemFails(id: string): boolean;
  readonly vanished: Set<string>;
}

/** Installs the stand-in on a mock of the data-plane client. `pageSize` caps every page. */
export function installFakeAgentCore(
  mock: AwsClientStub<BedrockAgentCoreClient>,
  memoryId: string,
  pageSize = PAGE_SIZE,
  options: Omit<StandInOptions, 'pageSize'> = {},
): FakeAgentCore {
  const failures = new Map<Operation, { count: number; name: string }>();
  const pageFailures = new Map<string, number>();
  const itemFailures = new Map<string, number>();
  let counter = 0;
  const state: StandInState = {
    memoryId,
    payloadsAllowed: options.payloadsAllowed ?? false,
    events: [],
    records: [],
    jobs: [],
    deleted: { events: [], records: [] },
    batchSizes: [],
    calls: [],
    requests: [],
    vanished: new Set(),
    nextId: (prefix) => `${prefix}-${counter++}`,
    page(items, nextToken, maxResults = 100) {
      const start = nextToken === undefined ? 0 : Number(nextToken);
      const end = start + Math.min(pageSize, maxResults);
      return { items: items.slice(start, end), ...(end < items.length && { nextToken: String(end) }) };
    },
    receive(operation, input) {
      state.calls.push(operation);
      state.requests.push({ operation, input });
      const pageKey = `${operation} ${input.nextToken}`;
      const pageLeft = pageFailures.get(pageKey) ?? 0;
      if (pageLeft > 0) {
        pageFailures.set(pageKey, pageLeft - 1);
        throw serviceError('ThrottledException');
      }
      const pending = failures.get(operation);
      if (pending !== undefined && pending.count > 0) {
        pending.count--;
        throw serviceError(pending.name);
      }
      if (input.memoryId !== memoryId) throw serviceError('ResourceNotFoundException');
    },
    itemFails(id) {
      const left = itemFailures.get(id) ?? 0;
      if (left > 0) itemFailures.set(id, left - 1);
      return left > 0;
    },
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
      state.vanished.add(id);
    },
    addEvents(actorId, sessionId, count) {
      const added = Array.from({ length: count }, () => ({ actorId, sessionId, eventId: state.nextId('event') }));
      state.events.push(...added);
      return added.map((event) => event.eventId);
    },
    addRecord(namespace, fields = {}) {
      const memoryRecordId = state.nextId('record');
      state.records.push({ memoryRecordId, namespace, ...fields });
      return memoryRecordId;
    },
    addJob(actorId, sessionId) {
      const jobID = state.nextId('job');
      state.jobs.push({ jobID, actorId, sessionId });
      return jobID;
    },
    finishJob(jobID, namespace) {
      const index = state.jobs.findIndex((job) => job.jobID === jobID);
      if (index !== -1) state.jobs.splice(index, 1);
      state.records.push({ memoryRecordId: state.nextId('record'), namespace });
    },
    count: (operation) => state.calls.filter((call) => call === operation).length,
  };
  installEventCommands(mock, state);
  installRecordCommands(mock, state);
  return state;
}

/** A strategy as GetMemory describes it. */
export interface StandInStrategy {
  readonly strategyId: string;
  readonly type?: 'SEMANTIC' | 'SUMMARIZATION' | 'USER_PREFERENCE' | 'EPISODIC' | 'CUSTOM';
  readonly namespaceTemplates: readonly string[];
}

/** Answers GetMemory for `memoryId` with these strategies; counts its calls. */
export function installControlStandIn(
  mock: AwsClientStub<BedrockAgentCoreControlClient>,
  memoryId: string,
  strategies: readonly StandInStrategy[],
): { readonly getMemoryCalls: () => number } {
  let calls = 0;
  mock.on(GetMemoryCommand).callsFake((input: { memoryId?: string }) => {
    calls++;
    if (input.memoryId !== memoryId) throw serviceError('ResourceNotFoundException');
    return {
      memory: {
        id: memoryId,
        arn: `arn:aws:bedrock-agentcore:us-east-1:123456789012:memory/${memoryId}`,
        name: memoryId.split('-')[0],
        status: 'ACTIVE',
        eventExpiryDuration: 90,
        createdAt: new Date(0),
        updatedAt: new Date(0),
        strategies: strategies.map((strategy) => ({
          strategyId: strategy.strategyId,
          name: strategy.strategyId,
          type: strategy.type ?? 'SEMANTIC',
          namespaces: [...strategy.namespaceTemplates],
          namespaceTemplates: [...strategy.namespaceTemplates],
          status: 'ACTIVE',
        })),
      },
    };
  });
  return { getMemoryCalls: () => calls };
}
