import { type ForgetReport, formatForgetReport } from '../../../lambda/forget/index.js';

const counts = { agentCoreSessions: 1, events: 4, memoryRecords: 2, historySessions: 1, historyItems: 3 };
const report: ForgetReport = {
  userId: 'bo',
  actorId: 'bo',
  memoryId: 'agent_memory_dev-AbCdEf1234',
  sessionTableName: 'sessions',
  dryRun: false,
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 183_000,
  namespacePrefixes: ['/facts/bo/'],
  namespacesTouched: ['/facts/bo/'],
  firstSweep: counts,
  secondSweep: { ...counts, agentCoreSessions: 0, events: 0, memoryRecords: 1, historySessions: 0, historyItems: 0 },
  secondSweepDelaySeconds: 90,
  sweeps: 3,
  total: { ...counts, memoryRecords: 3 },
  alreadyGone: { events: 1, memoryRecords: 2, historyItems: 0 },
  pendingExtractions: [{ jobId: 'job-1', sessionId: 's-1', status: 'FAILED', failureReason: 'throttled' }],
  calls: { DeleteEvent: 4 },
  failures: [],
  complete: false,
};

describe('the printed report', () => {
  test('says what was already gone, how many sweeps ran, and which extraction is still pending', () => {
    const text = formatForgetReport(report);
    expect(text).toContain('  already gone: 1 events, 2 long-term records, 0 history items');
    expect(text).toContain('(2 sweeps after the first)');
    expect(text).toContain('  PENDING: 1 extraction job(s) may still write records; run forget again later:');
    expect(text).toContain('    - job job-1 of session s-1 (FAILED: throttled)');
    expect(text).not.toContain('complete: the user has nothing left');
  });

  test('reads a report of a function deployed before sweeps, alreadyGone and pendingExtractions existed', () => {
    const { sweeps: _sweeps, alreadyGone: _gone, pendingExtractions: _pending, ...older } = report;
    const text = formatForgetReport({ ...older, complete: true });
    expect(text).toContain('  already gone: 0 events, 0 long-term records, 0 history items');
    expect(text).not.toContain('PENDING');
    expect(text).toContain('  complete: the user has nothing left');
  });
});
