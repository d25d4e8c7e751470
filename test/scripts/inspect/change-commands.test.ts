import { readFileSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { EXPORT_FORMAT } from '../../../lambda/inspector/index.js';
import { runInspectCli } from '../../../scripts/inspect/index.js';
import type { InspectCliDependencies } from '../../../scripts/inspect/subcommand.js';
import { collectingIo, inspectFixture, MEMORY_ID, target, type InspectFixture } from './inspect-fixture.js';

let fixture: InspectFixture;
beforeEach(() => {
  fixture = inspectFixture();
});

const run = async (argv: string[], overrides: Partial<InspectCliDependencies> = {}) => {
  const io = collectingIo();
  const code = await runInspectCli(argv, io, { ...fixture.dependencies, ...overrides });
  return { code, out: io.out(), err: io.err() };
};

/** A terminal where the operator answers `answer`; the questions asked are kept. */
function terminal(answer: boolean) {
  const questions: string[] = [];
  return {
    questions,
    overrides: {
      interactive: true,
      confirm: async (question: string) => {
        questions.push(question);
        return answer;
      },
    },
  };
}

const BISCUIT = 'Has a beagle called Biscuit.';
const PEANUTS = 'Is allergic to peanuts.';
const texts = () => fixture.standIn.records.map((record) => record.text);
const audited = (auditLog: string) => ['--audit-log', auditLog];

describe('inspect delete', () => {
  test('without a terminal and without --yes it refuses to start (exit 2): nothing is read, written or audited', async () => {
    const { code, err } = await run(['delete', ...target(), '--record', fixture.recordId(BISCUIT)]);
    expect(code).toBe(2);
    expect(err).toContain('delete asks for a confirmation and there is no terminal to answer it; pass --yes');
    expect(fixture.calls()).toEqual([]);
    expect(fixture.audit()).toEqual([]);
  });

  test('at a terminal it shows the record and asks; "no" changes nothing (exit 1)', async () => {
    const { questions, overrides } = terminal(false);
    const { code, err } = await run(
      ['delete', ...target(), '--record', fixture.recordId(BISCUIT), ...audited(fixture.auditLogPath)],
      overrides,
    );
    expect(code).toBe(1);
    expect(questions).toEqual(['Delete this record?']);
    expect(err).toContain(`Record of u1:\n  ${fixture.recordId(BISCUIT)}`);
    expect(err).toContain('Nothing was changed.');
    expect(texts()).toContain(BISCUIT);
    expect(fixture.standIn.count('BatchDeleteMemoryRecords')).toBe(0);
  });

  test('"yes" deletes the record and audits it (exit 0)', async () => {
    const { overrides } = terminal(true);
    const id = fixture.recordId(BISCUIT);
    const { code, out, err } = await run(
      ['delete', ...target(), '--record', id, ...audited(fixture.auditLogPath)],
      overrides,
    );
    expect(code).toBe(0);
    expect(out).toContain(`Deleted record ${id} in /facts/u1/\n  before:\n    ${BISCUIT}`);
    expect(err).toContain(`Audited in ${fixture.auditLogPath}`);
    expect(fixture.standIn.deleted.records).toEqual([id]);
    expect(fixture.audit()).toEqual([
      expect.objectContaining({
        action: 'delete',
        result: 'done',
        memoryId: MEMORY_ID,
        userId: 'u1',
        memoryRecordId: id,
        namespace: '/facts/u1/',
        before: BISCUIT,
        operator: expect.any(String),
        at: expect.any(String),
      }),
    ]);
  });

  test('--yes --json deletes without asking and prints the outcome', async () => {
    const { questions, overrides } = terminal(false);
    const id = fixture.recordId(BISCUIT);
    const { code, out } = await run(
      [
        'delete',
        ...target(),
        '--record',
        id,
        '--yes',
        '--json',
        ...audited(fixture.auditLogPath),
        '--operator',
        'ops-bot',
      ],
      overrides,
    );
    expect(code).toBe(0);
    expect(questions).toEqual([]);
    expect(JSON.parse(out)).toEqual({
      status: 'loaded',
      value: { action: 'delete', memoryRecordId: id, namespace: '/facts/u1/', before: BISCUIT },
    });
    expect(fixture.audit()[0]).toMatchObject({ operator: 'ops-bot' });
  });

  test('another user’s record is refused without a write, and the attempt audited (exit 1)', async () => {
    const id = fixture.recordId(PEANUTS);
    const { code, out, err } = await run([
      'delete',
      ...target(),
      '--record',
      id,
      '--yes',
      '--json',
      ...audited(fixture.auditLogPath),
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ status: 'refused', reason: 'notTheUsersRecord' });
    expect(err).toContain('refused: the record is not this user’s alone; nothing was changed');
    expect(fixture.standIn.count('BatchDeleteMemoryRecords')).toBe(0);
    expect(texts()).toContain(PEANUTS);
    expect(fixture.audit()).toEqual([
      expect.objectContaining({ action: 'delete', result: 'refused', reason: 'notTheUsersRecord', memoryRecordId: id }),
    ]);
  });

  test('an id that does not exist: nothing to delete (exit 1)', async () => {
    const { code, err } = await run([
      'delete',
      ...target(),
      '--record',
      'record-none',
      '--yes',
      ...audited(fixture.auditLogPath),
    ]);
    expect(code).toBe(1);
    expect(err).toContain('no record record-none; nothing was changed');
  });

  test('the default audit log is named in --help', async () => {
    const { out } = await run(['delete', '--help']);
    expect(out).toMatch(/--audit-log <file>\n[^-]*\(default: \S*\.agentcore-memory\/inspect-audit\.jsonl\)/);
  });
});

describe('inspect edit', () => {
  test('asks with the new text, corrects the record and audits before and after', async () => {
    const { questions, overrides } = terminal(true);
    const id = fixture.recordId(BISCUIT);
    const corrected = 'Has a beagle called Biscuit, who is nine.';
    const { code, out } = await run(
      ['edit', ...target(), '--record', id, '--text', corrected, ...audited(fixture.auditLogPath)],
      overrides,
    );
    expect(code).toBe(0);
    expect(questions).toEqual([`Replace its text with:\n    ${corrected}\n?`]);
    expect(out).toContain(
      `Corrected record ${id} in /facts/u1/\n  before:\n    ${BISCUIT}\n  after:\n    ${corrected}`,
    );
    expect(texts()).toContain(corrected);
    expect(texts()).not.toContain(BISCUIT);
    expect(fixture.audit()).toEqual([
      expect.objectContaining({
        action: 'correct',
        result: 'done',
        memoryRecordId: id,
        before: BISCUIT,
        after: corrected,
      }),
    ]);
  });

  test('needs --text and a confirmation; another user’s record is refused (exit 1)', async () => {
    const id = fixture.recordId(BISCUIT);
    expect((await run(['edit', ...target(), '--record', id, '--yes'])).err).toContain('--text is required');
    expect((await run(['edit', ...target(), '--record', id, '--text', 'x'])).code).toBe(2);
    const other = await run([
      'edit',
      ...target(),
      '--record',
      fixture.recordId(PEANUTS),
      '--text',
      'x',
      '--yes',
      ...audited(fixture.auditLogPath),
    ]);
    expect(other.code).toBe(1);
    expect(fixture.standIn.count('BatchUpdateMemoryRecords')).toBe(0);
    expect(texts()).toContain(PEANUTS);
  });

  test('a text longer than a record holds is exit 2, before any write', async () => {
    const { code, err } = await run([
      'edit',
      ...target(),
      '--record',
      fixture.recordId(BISCUIT),
      '--text',
      'x'.repeat(16_001),
      '--yes',
      ...audited(fixture.auditLogPath),
    ]);
    expect(code).toBe(2);
    expect(err).toContain('Could not inspect (InspectorInputError): the text is 16001 characters');
    expect(fixture.standIn.count('BatchUpdateMemoryRecords')).toBe(0);
  });
});

describe('inspect add', () => {
  test('adds a record to one of the user’s namespaces, with the strategy that files there, and audits it', async () => {
    const { code, out } = await run([
      'add',
      ...target(),
      '--namespace',
      '/preferences/u1/',
      '--text',
      'Prefers trains to planes under four hours.',
      '--json',
      ...audited(fixture.auditLogPath),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      status: 'loaded',
      value: { action: 'add', namespace: '/preferences/u1/' },
    });
    expect(fixture.standIn.records.at(-1)).toMatchObject({
      namespace: '/preferences/u1/',
      text: 'Prefers trains to planes under four hours.',
      strategyId: 'preferences-4d5e6f',
    });
    expect(fixture.audit()[0]).toMatchObject({
      action: 'add',
      result: 'done',
      after: 'Prefers trains to planes under four hours.',
    });
  });

  test('the adjacent user’s namespace is refused without a write (exit 1)', async () => {
    const { code, err } = await run([
      'add',
      ...target(),
      '--namespace',
      '/preferences/u10/',
      '--text',
      'x',
      ...audited(fixture.auditLogPath),
    ]);
    expect(code).toBe(1);
    expect(err).toContain('refused: the namespace is not one of this user’s own');
    expect(fixture.standIn.count('BatchCreateMemoryRecords')).toBe(0);
    expect(fixture.audit()[0]).toMatchObject({ action: 'add', result: 'refused', reason: 'notTheUsersNamespace' });
  });
});

describe('inspect export', () => {
  test('writes the whole document to --output, readable by the owner alone', async () => {
    const file = path.join(fixture.directory, 'u1.json');
    const { code, err } = await run(['export', ...target(), '--output', file]);
    expect(code).toBe(0);
    expect(err).toMatch(new RegExp(`Exported u1 to ${file}: \\d+ bytes in \\d+\\.\\d s`));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported).toMatchObject({ format: EXPORT_FORMAT, memoryId: MEMORY_ID, userId: 'u1', actorId: 'u1' });
    expect(exported.records).toHaveLength(5);
    expect(exported.sessions.map((session: { sessionId: string }) => session.sessionId).sort()).toEqual([
      'dog-sitter',
      'trip-lisbon',
    ]);
    expect(exported.counts).toMatchObject({ records: 5, sessions: 2, events: 4 });
    expect(JSON.stringify(exported)).not.toContain('peanuts');
  });

  test('without --output the document goes to stdout; a failure midway removes the partial file (exit 2)', async () => {
    const { code, out } = await run(['export', ...target()]);
    expect(code).toBe(0);
    expect(JSON.parse(out).counts.records).toBe(5);

    const file = path.join(fixture.directory, 'broken.json');
    fixture.standIn.failNext('ListEvents', 10, 'AccessDeniedException');
    const failed = await run(['export', ...target(), '--output', file]);
    expect(failed.code).toBe(2);
    expect(failed.err).toContain('Could not inspect (AccessDenied');
    expect(existsSync(file)).toBe(false);
  });
});
