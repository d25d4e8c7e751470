import { DeadlineExceededError, TurnDeadlines, callWithDeadline } from '../../../lambda/platform/deadlines.js';
import { AgentCoreMemoryError } from '../../../lambda/platform/errors.js';

describe('callWithDeadline', () => {
  it('passes the result of a call that finishes in time, and does not abort it', async () => {
    let signal: AbortSignal | undefined;

    const result = await callWithDeadline('quick read', Date.now() + 1_000, async (abortSignal) => {
      signal = abortSignal;
      return 'value';
    });

    expect(result).toBe('value');
    expect(signal?.aborted).toBe(false);
  });

  it("passes the call's own failure", async () => {
    await expect(
      callWithDeadline('failing read', Date.now() + 1_000, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    await expect(
      callWithDeadline('throwing read', Date.now() + 1_000, () => {
        throw new Error('thrown');
      }),
    ).rejects.toThrow('thrown');
  });

  it('at the deadline aborts the call and rejects, even when the call ignores its signal', async () => {
    let signal: AbortSignal | undefined;
    const startedAt = Date.now();

    const outcome = callWithDeadline('hung write', startedAt + 50, (abortSignal) => {
      signal = abortSignal;
      return new Promise<never>(() => undefined);
    });

    await expect(outcome).rejects.toThrow(DeadlineExceededError);
    await expect(outcome).rejects.toThrow('hung write did not finish in time');
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(DeadlineExceededError);
  });

  it('rejects with the runtime error base, named and carrying the operation it cut off', async () => {
    const failure = await callWithDeadline('slow read', Date.now(), () => new Promise<never>(() => undefined)).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(AgentCoreMemoryError);
    expect(failure).toMatchObject({ name: 'DeadlineExceededError', operation: 'slow read' });
  });
});

describe('TurnDeadlines', () => {
  const limits = {
    reserveMs: 30_000,
    responseEndMs: 2_000,
    dynamoDbMs: 5_000,
    memoryRetrieveMs: 5_000,
    memoryWriteMs: 12_000,
  };

  it('stops the answer the reserve before the function times out, and every write the response-end margin before it', () => {
    const deadlines = TurnDeadlines.start(1_000_000, 300_000, limits);

    expect(deadlines.answerBy).toBe(1_000_000 + 300_000 - 30_000);
    expect(deadlines.finishBy).toBe(1_000_000 + 300_000 - 2_000);
  });

  it('cuts a call off at its own limit or at the phase deadline, whichever comes first', async () => {
    const deadlines = TurnDeadlines.start(Date.now(), 30_100, limits); // the answer must stop in 100 ms
    const startedAt = Date.now();

    await expect(
      deadlines.whileAnswering('slow read', 5_000, () => new Promise<never>(() => undefined)),
    ).rejects.toThrow(DeadlineExceededError);

    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });
});
