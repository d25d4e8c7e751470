import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { allItems, putSession } from './history-fixture.js';
import { forgetHarness } from './forget-harness.js';

const { state, forget } = forgetHarness();

const items = () => allItems(state.dynamo, state.target.sessionTableName);

describe("forgetting a user's session history", () => {
  test('finds and removes turn items whose owner item is gone (TTL removed it first)', async () => {
    await putSession(state.dynamo, state.target.sessionTableName, 'orphaned', 'bo', 3, { ownerItem: false });
    await putSession(state.dynamo, state.target.sessionTableName, 'bobs', 'bob', 2);

    const report = await forget('bo');

    expect(await items()).toEqual([
      'bobs/turn#2026-01-01T00:00:00.000Z#request-0',
      'bobs/turn#2026-01-01T00:00:01.000Z#request-1',
      'bobs/~meta',
    ]);
    expect(report.total).toMatchObject({ historySessions: 1, historyItems: 3 });
    expect(report.complete).toBe(true);
  });

  test("removes turn items written before they carried their owner, in a session whose owner item is the user's", async () => {
    await putSession(state.dynamo, state.target.sessionTableName, 'legacy', 'bo', 4, { ownerOnTurns: false });

    const report = await forget('bo');

    expect(await items()).toEqual([]);
    expect(report.total).toMatchObject({ historySessions: 1, historyItems: 5 });
  });

  test("leaves another user's items, with or without their owner, in a session the index lists under the user", async () => {
    await putSession(state.dynamo, state.target.sessionTableName, 'taken-over', 'bob', 2, { ownerOnTurns: false });
    // An item of bo's left in the session bob took over after it expired: the index lists the session under bo.
    await state.dynamo.send(
      new PutCommand({
        TableName: state.target.sessionTableName,
        Item: { session_id: 'taken-over', sk: 'turn#2025-01-01T00:00:00.000Z#old', user_id: 'bo' },
      }),
    );

    const report = await forget('bo');

    expect(await items()).toEqual([
      'taken-over/turn#2026-01-01T00:00:00.000Z#request-0',
      'taken-over/turn#2026-01-01T00:00:01.000Z#request-1',
      'taken-over/~meta',
    ]);
    expect(report.total).toMatchObject({ historySessions: 1, historyItems: 1 });
  });

  test("a delete never removes an item that is no longer the user's when it arrives", async () => {
    await putSession(state.dynamo, state.target.sessionTableName, 'contested', 'bo', 1);
    const original = state.dynamo.send.bind(state.dynamo);
    let overwritten = false;
    jest.spyOn(state.dynamo, 'send').mockImplementation((async (command: { constructor: { name: string } }) => {
      if (command.constructor.name === 'DeleteCommand' && !overwritten) {
        overwritten = true;
        // Between the read and the delete, the owner item changes hands (the session expired and was taken over).
        await original(
          new PutCommand({
            TableName: state.target.sessionTableName,
            Item: { session_id: 'contested', sk: '~meta', user_id: 'bob' },
          }),
        );
        await original(
          new PutCommand({
            TableName: state.target.sessionTableName,
            Item: { session_id: 'contested', sk: 'turn#2026-01-01T00:00:00.000Z#request-0', user_id: 'bob' },
          }),
        );
      }
      return original(command as never);
    }) as never);

    const report = await forget('bo');
    jest.restoreAllMocks();

    expect(await items()).toEqual(['contested/turn#2026-01-01T00:00:00.000Z#request-0', 'contested/~meta']);
    expect(report.total.historyItems).toBe(0);
    expect(report.alreadyGone?.historyItems).toBe(2);
  });

  test('keeps the owner item while a turn item could not be deleted, so nobody else can claim the session', async () => {
    await putSession(state.dynamo, state.target.sessionTableName, 'stuck', 'bo', 2);
    const original = state.dynamo.send.bind(state.dynamo);
    jest.spyOn(state.dynamo, 'send').mockImplementation((async (command: {
      constructor: { name: string };
      input: { Key?: { sk?: string } };
    }) => {
      if (command.constructor.name === 'DeleteCommand' && command.input.Key?.sk?.endsWith('#request-0')) {
        throw Object.assign(new Error('internal failure'), { name: 'InternalServerError' });
      }
      return original(command as never);
    }) as never);

    const report = await forget('bo');
    jest.restoreAllMocks();

    expect(await items()).toEqual(['stuck/turn#2026-01-01T00:00:00.000Z#request-0', 'stuck/~meta']);
    expect(report.complete).toBe(false);
    expect(report.total.historyItems).toBe(1);
  });

  test('sends conditional deletes: the owner on the item, or no owner on a legacy item', async () => {
    await putSession(state.dynamo, state.target.sessionTableName, 'mixed', 'bo', 1, { ownerOnTurns: false });
    const sent: unknown[] = [];
    const original = state.dynamo.send.bind(state.dynamo);
    jest.spyOn(state.dynamo, 'send').mockImplementation(((command: {
      constructor: { name: string };
      input: unknown;
    }) => {
      if (command.constructor.name === 'DeleteCommand') sent.push(command.input);
      return original(command as never);
    }) as never);

    await forget('bo');
    jest.restoreAllMocks();

    expect(sent).toEqual([
      {
        TableName: state.target.sessionTableName,
        Key: { session_id: 'mixed', sk: 'turn#2026-01-01T00:00:00.000Z#request-0' },
        ConditionExpression: 'attribute_exists(#sk) AND attribute_not_exists(#owner)',
        ExpressionAttributeNames: { '#sk': 'sk', '#owner': 'user_id' },
      },
      {
        TableName: state.target.sessionTableName,
        Key: { session_id: 'mixed', sk: '~meta' },
        ConditionExpression: '#owner = :userId',
        ExpressionAttributeNames: { '#owner': 'user_id' },
        ExpressionAttributeValues: { ':userId': 'bo' },
      },
    ]);
  });
});
