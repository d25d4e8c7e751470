import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InspectorInputError,
  InspectorWriteError,
  JsonLinesAuditLog,
  type AuditEntry,
} from '../../../lambda/inspector/index.js';
import { FIXED_NOW, MEMORY_ID, collect, inspectorHarness } from './inspector-harness.js';

const { state, open, seedBothUsers } = inspectorHarness();

const WRITES = ['BatchCreateMemoryRecords', 'BatchUpdateMemoryRecords', 'BatchDeleteMemoryRecords'] as const;
const writeCalls = () => WRITES.reduce((total, operation) => total + state.agentCore.count(operation), 0);
const textOf = (memoryRecordId: string) =>
  state.agentCore.records.find((record) => record.memoryRecordId === memoryRecordId)?.text;

const auditedFor = (fields: Partial<AuditEntry>): AuditEntry => ({
  at: FIXED_NOW.toISOString(),
  operator: 'operator@example.com',
  result: 'done',
  memoryId: MEMORY_ID,
  userId: 'u1',
  actorId: 'u1',
  action: 'delete',
  ...fields,
});

describe('deleting a record', () => {
  it("deletes u1's record in its own namespace and audits the text it held", async () => {
    const { records } = await seedBothUsers();
    const outcome = await (await open('u1')).deleteRecord(records.u1[0]);

    expect(outcome).toEqual({
      status: 'loaded',
      value: {
        action: 'delete',
        memoryRecordId: records.u1[0],
        namespace: '/facts/u1/',
        before: 'u1 drinks green tea',
      },
    });
    expect(state.agentCore.deleted.records).toEqual([records.u1[0]]);
    expect(state.agentCore.requests.at(-1)!.input.records).toEqual([
      { memoryRecordId: records.u1[0], namespace: '/facts/u1/' },
    ]);
    expect(state.audit.entries).toEqual([
      auditedFor({ memoryRecordId: records.u1[0], namespace: '/facts/u1/', before: 'u1 drinks green tea' }),
    ]);
  });

  it("refuses u10's record and the shared one without any write, and audits the refusal", async () => {
    const { records, shared } = await seedBothUsers();
    const inspector = await open('u1');

    expect(await inspector.deleteRecord(records.u10[0])).toEqual({ status: 'refused', reason: 'notTheUsersRecord' });
    expect(await inspector.deleteRecord(shared)).toEqual({ status: 'refused', reason: 'notTheUsersRecord' });
    expect(writeCalls()).toBe(0);
    expect(state.agentCore.deleted.records).toEqual([]);
    expect(state.audit.entries.map((entry) => [entry.result, entry.reason, entry.memoryRecordId])).toEqual([
      ['refused', 'notTheUsersRecord', records.u10[0]],
      ['refused', 'notTheUsersRecord', shared],
    ]);
  });

  it("deletes only the user's own of a mixed batch, in one call, and refuses more than 100 ids before sending", async () => {
    const { records } = await seedBothUsers();
    const inspector = await open('u1');
    const outcomes = await inspector.deleteRecords([records.u1[0], records.u10[1], records.u1[1], 'record-unknown']);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['loaded', 'refused', 'loaded', 'notFound']);
    expect(state.agentCore.batchSizes).toEqual([2]);
    expect(state.agentCore.deleted.records).toEqual([records.u1[0], records.u1[1]]);
    await expect(inspector.deleteRecords(Array.from({ length: 101 }, (_, i) => `record-${i}`))).rejects.toThrow(
      InspectorInputError,
    );
    expect(state.agentCore.count('BatchDeleteMemoryRecords')).toBe(1);
  });

  it('raises the failure AgentCore reports for a record, after auditing what was deleted', async () => {
    const { records } = await seedBothUsers();
    state.agentCore.failItem(records.u1[1], 1);
    await expect((await open('u1')).deleteRecords([records.u1[0], records.u1[1]])).rejects.toThrow(InspectorWriteError);
    expect(state.audit.entries.map((entry) => entry.memoryRecordId)).toEqual([records.u1[0]]);
  });
});

describe('correcting a record', () => {
  it("replaces the text of u1's record and audits before and after", async () => {
    const { records } = await seedBothUsers();
    const outcome = await (await open('u1')).correctRecord(records.u1[1], 'u1 lives in Paris');

    expect(outcome.status).toBe('loaded');
    expect(textOf(records.u1[1])).toBe('u1 lives in Paris');
    expect(state.audit.entries).toEqual([
      auditedFor({
        action: 'correct',
        memoryRecordId: records.u1[1],
        namespace: '/facts/u1/',
        before: 'u1 lives in Lyon',
        after: 'u1 lives in Paris',
      }),
    ]);
  });

  it("refuses u10's record without any write, whatever text is given", async () => {
    const { records } = await seedBothUsers();
    const outcome = await (await open('u1')).correctRecord(records.u10[1], 'rewritten by u1');
    expect(outcome).toEqual({ status: 'refused', reason: 'notTheUsersRecord' });
    expect(writeCalls()).toBe(0);
    expect(textOf(records.u10[1])).toBe('u10 lives in Lyon');
  });

  it('checks the record text limit before loading or sending anything', async () => {
    const { records } = await seedBothUsers();
    const inspector = await open('u1');
    const callsBefore = state.agentCore.calls.length;
    await expect(inspector.correctRecord(records.u1[0], 'x'.repeat(16_001))).rejects.toThrow(/at most 16000/);
    await expect(inspector.correctRecord(records.u1[0], ' ')).rejects.toThrow(InspectorInputError);
    expect(state.agentCore.calls.length).toBe(callsBefore);
  });
});

describe('adding a record', () => {
  it("adds to one of u1's namespaces with the strategy that files there, lists it, and audits it", async () => {
    await seedBothUsers();
    const inspector = await open('u1');
    const outcome = await inspector.addRecord({ namespace: '/preferences/u1/', text: 'u1 likes jasmine tea' });

    expect(outcome.status).toBe('loaded');
    const added = outcome.status === 'loaded' ? outcome.value.memoryRecordId : '';
    expect(state.agentCore.records.find((record) => record.memoryRecordId === added)).toEqual(
      expect.objectContaining({
        namespaces: ['/preferences/u1/'],
        strategyId: 'prefs-1',
        text: 'u1 likes jasmine tea',
      }),
    );
    expect((await collect(inspector.records())).map((record) => record.memoryRecordId)).toContain(added);
    expect(state.audit.entries).toEqual([
      auditedFor({
        action: 'add',
        memoryRecordId: added,
        namespace: '/preferences/u1/',
        after: 'u1 likes jasmine tea',
      }),
    ]);
  });

  it("refuses u10's namespace, the parent of every user's, and a malformed path without any write", async () => {
    await seedBothUsers();
    const inspector = await open('u1');
    for (const namespace of ['/facts/u10/', '/facts/', '/other/u1/']) {
      expect(await inspector.addRecord({ namespace, text: 'planted' })).toEqual({
        status: 'refused',
        reason: 'notTheUsersNamespace',
      });
    }
    await expect(inspector.addRecord({ namespace: '/facts/u1/../u10/', text: 'planted' })).rejects.toThrow(
      InspectorInputError,
    );
    expect(writeCalls()).toBe(0);
    expect(state.audit.entries).toHaveLength(3);
  });
});

describe('the audit log', () => {
  it('refuses every change when the inspector has none, without any call that writes', async () => {
    const { records } = await seedBothUsers();
    const inspector = await open('u1', { auditLog: undefined });
    expect(await inspector.deleteRecord(records.u1[0])).toEqual({ status: 'refused', reason: 'noAuditLog' });
    expect(await inspector.correctRecord(records.u1[0], 'changed')).toEqual({
      status: 'refused',
      reason: 'noAuditLog',
    });
    expect(await inspector.addRecord({ namespace: '/facts/u1/', text: 'new' })).toEqual({
      status: 'refused',
      reason: 'noAuditLog',
    });
    expect(writeCalls()).toBe(0);
  });

  it('writes one JSON line per change to its file', async () => {
    const { records } = await seedBothUsers();
    const directory = await mkdtemp(join(tmpdir(), 'inspector-audit-'));
    try {
      const path = join(directory, 'nested', 'audit.jsonl');
      const inspector = await open('u1', { auditLog: new JsonLinesAuditLog(path) });
      await inspector.correctRecord(records.u1[0], 'u1 drinks black tea');
      await inspector.deleteRecord(records.u10[0]);

      const lines = (await readFile(path, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEntry);
      expect(lines).toEqual([
        auditedFor({
          action: 'correct',
          memoryRecordId: records.u1[0],
          namespace: '/facts/u1/',
          before: 'u1 drinks green tea',
          after: 'u1 drinks black tea',
        }),
        auditedFor({ result: 'refused', reason: 'notTheUsersRecord', memoryRecordId: records.u10[0] }),
      ]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
