/**
 * Shared setup for inspector tests: the AgentCore stand-in (data plane and GetMemory), a
 * session table in dynalite, and two users whose namespaces are adjacent: `u1` and `u10`
 * (`/facts/u1/` is a string prefix of `/facts/u10`). Call `inspectorHarness()` at the top of a
 * test file; it registers its own hooks and gives each test fresh state.
 */
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuditEntry,
  type AuditLog,
  type MemoryInspector,
  type MemoryInspectorOptions,
  openMemoryInspector,
} from '../../../lambda/inspector/index.js';
import {
  type FakeAgentCore,
  type StandInStrategy,
  installControlStandIn,
  installFakeAgentCore,
} from '../../support/agentcore-stand-in.js';
import { createSessionTable, putSession } from '../forget/history-fixture.js';

const startDynalite: (options: { createTableMs: number }) => Server = require('dynalite');

export const MEMORY_ID = 'agent_memory_test-AbCdEf1234';
export const STRATEGIES: readonly StandInStrategy[] = [
  { strategyId: 'facts-1', type: 'SEMANTIC', namespaceTemplates: ['/facts/{actorId}/'] },
  { strategyId: 'prefs-1', type: 'USER_PREFERENCE', namespaceTemplates: ['/preferences/{actorId}/'] },
  { strategyId: 'summaries-1', type: 'SUMMARIZATION', namespaceTemplates: ['/summaries/{actorId}/{sessionId}/'] },
];
export const FIXED_NOW = new Date('2026-06-01T12:00:00.000Z');

/** An audit log kept in memory, to read back what was recorded. */
export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];

  append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
}

/** What each user was seeded with: record ids by user, and the record both users' namespaces hold. */
export interface Seeded {
  readonly records: Record<'u1' | 'u10', string[]>;
  readonly shared: string;
}

/** `pageSize`: items per page of the stand-in and `maxResults` of the inspector's list calls. */
export function inspectorHarness(pageSize = 2) {
  const agentCoreMock = mockClient(BedrockAgentCoreClient);
  const controlMock = mockClient(BedrockAgentCoreControlClient);
  let server: Server;
  let tableCounter = 0;
  const state = {} as {
    dynamo: DynamoDBDocumentClient;
    tableName: string;
    agentCore: FakeAgentCore;
    control: { readonly getMemoryCalls: () => number };
    audit: MemoryAuditLog;
  };

  beforeAll(async () => {
    server = startDynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    state.dynamo = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    );
  });

  afterAll(async () => {
    agentCoreMock.restore();
    controlMock.restore();
    state.dynamo.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(async () => {
    agentCoreMock.reset();
    controlMock.reset();
    state.agentCore = installFakeAgentCore(agentCoreMock, MEMORY_ID, pageSize, { payloadsAllowed: true });
    state.control = installControlStandIn(controlMock, MEMORY_ID, STRATEGIES);
    state.tableName = `sessions-${tableCounter++}`;
    await createSessionTable(state.dynamo, state.tableName);
    state.audit = new MemoryAuditLog();
  });

  /** Opens the inspector for `userId` with the stand-ins, the session table and the in-memory audit log. */
  const open = (userId: string, options: Partial<MemoryInspectorOptions> = {}): Promise<MemoryInspector> =>
    openMemoryInspector({
      memoryId: MEMORY_ID,
      userId,
      operator: 'operator@example.com',
      agentCore: new BedrockAgentCoreClient({ region: 'us-east-1' }),
      control: new BedrockAgentCoreControlClient({ region: 'us-east-1' }),
      sessionTable: { dynamo: state.dynamo, tableName: state.tableName },
      auditLog: state.audit,
      pageSize,
      now: () => FIXED_NOW,
      ...options,
    });

  /**
   * Both users get the same layout: two facts, a preference and a summary per session, two
   * AgentCore sessions with three events each, and two history sessions with two turns.
   * One record is filed under both users' facts.
   */
  const seedBothUsers = async (): Promise<Seeded> => {
    const records = { u1: [] as string[], u10: [] as string[] };
    for (const user of ['u1', 'u10'] as const) {
      const add = (namespace: string, text: string, strategyId: string) =>
        records[user].push(
          state.agentCore.addRecord(namespace, { text, strategyId, createdAt: new Date('2026-01-02T00:00:00Z') }),
        );
      add(`/facts/${user}/`, `${user} drinks green tea`, 'facts-1');
      add(`/facts/${user}/`, `${user} lives in Lyon`, 'facts-1');
      add(`/preferences/${user}/`, `${user} prefers short answers about tea`, 'prefs-1');
      add(`/summaries/${user}/s-${user}-a/`, `${user} asked about trains`, 'summaries-1');
      for (const session of ['a', 'b']) {
        state.agentCore.addEvents(user, `s-${user}-${session}`, 3);
        await putSession(state.dynamo, state.tableName, `h-${user}-${session}`, user, 2);
      }
    }
    const shared = state.agentCore.addRecord('/facts/u1/', {
      text: 'a tea fact filed for both users',
      strategyId: 'facts-1',
      namespaces: ['/facts/u1/', '/facts/u10/'],
    });
    return { records, shared };
  };

  return { state, open, seedBothUsers };
}

/** Every item of an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
