import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsAccessError } from '../../../scripts/cli/aws-preflight.js';
import { main } from '../../../scripts/cli/index.js';
import { runInspectCli } from '../../../scripts/inspect/index.js';
import { collectingIo, inspectFixture, MEMORY_ID, target, type InspectFixture } from './inspect-fixture.js';

let fixture: InspectFixture;
beforeEach(() => {
  fixture = inspectFixture();
});

const run = async (argv: string[]) => {
  const io = collectingIo();
  const code = await runInspectCli(argv, io, fixture.dependencies);
  return { code, out: io.out(), err: io.err() };
};

const U1_TEXTS = [
  'Works night shifts as a nurse in Lyon.',
  'Has a beagle called Biscuit.',
  'Prefers window seats on long flights.',
  'Likes short answers, in French when possible.',
  'Planned a May trip to Lisbon and asked for flights with a window seat.',
];

describe('agentcore-memory inspect: the command and its help', () => {
  test('the bin lists inspect, and inspect --help lists every subcommand and --serve', async () => {
    const io = collectingIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/\n {2}inspect +see, search, correct, delete and export/);

    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['list', 'search', 'show', 'delete', 'edit', 'add', 'export', '--serve']) {
      expect(help.out).toMatch(new RegExp(`\\n  ${name} +\\S`));
    }
  });

  test('without a subcommand it prints the help and exits 2; an unknown one is named', async () => {
    expect((await run([])).code).toBe(2);
    const unknown = await run(['lst', ...target()]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      "unknown subcommand 'lst'; the subcommands are list, search, show, delete, edit, add, export, or --serve",
    );
  });

  test.each([
    ['list', '--sessions'],
    ['search', '--top-k <n>'],
    ['show', '--session <sessionId>'],
    ['delete', '--yes'],
    ['edit', '--text <new text>'],
    ['add', '--namespace <namespace>'],
    ['export', '--output <file>'],
    ['--serve', '--audit-log <file>'],
  ])('%s --help explains its options and exit codes', async (subcommand, option) => {
    const help = await run([subcommand, '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain(option);
    expect(help.out).toContain('Exit codes: 0');
    expect(fixture.calls()).toEqual([]);
  });

  test.each([
    [['list', ...target(), '--usr', 'u1'], "Unknown option '--usr'"],
    [['list', ...target(), 'stray'], "Unexpected argument 'stray'"],
    [['search', ...target()], '--query is required'],
    [['search', ...target(), '--query', 'x', '--top-k', '5'], '--top-k goes with --semantic'],
    [
      ['search', ...target(), '--query', 'x', '--semantic', '--top-k', '500'],
      "--top-k '500' is not a whole number from 1 to 100",
    ],
    [['show', ...target()], 'name what to show: --record or --session'],
    [['list', '--user', 'u1'], 'name the memory: --memory-id'],
    [['list', '--user', 'bad user', '--memory-id', MEMORY_ID], "--user 'bad user' is not a userId"],
    [['list', '--memory-id', MEMORY_ID], '--user is required'],
  ])('%j is a usage error naming what is wrong (exit 2), before any call', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(fixture.calls()).toEqual([]);
  });

  test('without credentials it exits 2 saying what to do', async () => {
    fixture = inspectFixture({
      access: async () => {
        throw new AwsAccessError({ type: 'NoCredentials', message: 'no AWS credentials found; set AWS_PROFILE' });
      },
    });
    const result = await run(['list', ...target()]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Could not inspect (NoCredentials): no AWS credentials found; set AWS_PROFILE');
  });

  test('a memory that does not exist is exit 2, with the service’s answer', async () => {
    const result = await run(['list', '--user', 'u1', '--memory-id', 'other_memory-0000000000']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Could not inspect (ResourceNotFoundException)');
  });
});

describe('inspect list', () => {
  test("prints the user's records grouped by strategy, and no other user's", async () => {
    const { code, out } = await run(['list', ...target()]);
    expect(code).toBe(0);
    expect(out).toContain(`Memory of u1 in ${MEMORY_ID}: 5 records in 3 strategies`);
    expect(out).toMatch(/facts-1a2b3c \(SEMANTIC\): 2 records\n.*\n {4}Works night shifts as a nurse in Lyon\./);
    expect(out).toContain('preferences-4d5e6f (USER_PREFERENCE): 2 records');
    expect(out).toContain('summaries-7a8b9c (SUMMARIZATION): 1 record\n');
    for (const text of U1_TEXTS) expect(out).toContain(text);
    expect(out).not.toContain('peanuts');
    expect(out).not.toContain('aisle');
  });

  test('--json prints the records, the strategies and who, and nothing else', async () => {
    const { code, out } = await run(['list', ...target(), '--json']);
    expect(code).toBe(0);
    const listed = JSON.parse(out);
    expect(listed).toMatchObject({ memoryId: MEMORY_ID, userId: 'u1', actorId: 'u1' });
    expect(listed.strategies.map((strategy: { strategyId: string }) => strategy.strategyId)).toHaveLength(3);
    expect(listed.records.map((record: { text: string }) => record.text).sort()).toEqual([...U1_TEXTS].sort());
    expect(listed.records[0]).toHaveProperty('memoryRecordId');
  });

  test('--strategy keeps one strategy; u10 sees only their own', async () => {
    const facts = JSON.parse((await run(['list', ...target(), '--strategy', 'facts-1a2b3c', '--json'])).out);
    expect(facts.records.map((record: { text: string }) => record.text).sort()).toEqual([
      'Has a beagle called Biscuit.',
      'Works night shifts as a nurse in Lyon.',
    ]);
    const u10 = JSON.parse((await run(['list', ...target('u10'), '--json'])).out);
    expect(u10.records.map((record: { text: string }) => record.text).sort()).toEqual([
      'Is allergic to peanuts.',
      'Prefers aisle seats.',
    ]);
  });

  test('--sessions lists the sessions, newest first', async () => {
    const text = await run(['list', ...target(), '--sessions']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /2 sessions, newest first\n {2}2026-12-01T07:45:00.000Z {2}dog-sitter\n {2}2026-11-21T18:02:00.000Z {2}trip-lisbon/,
    );
    const json = JSON.parse((await run(['list', ...target(), '--sessions', '--json'])).out);
    expect(json.sessions.map((session: { sessionId: string }) => session.sessionId)).toEqual([
      'dog-sitter',
      'trip-lisbon',
    ]);
  });

  test('--stack reads the memory and the session table from the stack’s outputs', async () => {
    const cloudFormation = mockClient(CloudFormationClient);
    cloudFormation.on(DescribeStacksCommand, { StackName: 'MyAgentStack' }).resolves({
      Stacks: [
        {
          StackName: 'MyAgentStack',
          CreationTime: new Date(0),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'MemoryId', OutputValue: MEMORY_ID },
            { OutputKey: 'SessionTableName', OutputValue: 'sessions-table' },
          ],
        },
      ],
    });
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const { code, out } = await run(['export', '--user', 'u1', '--stack', 'MyAgentStack']);
    expect(code).toBe(0);
    expect(JSON.parse(out).memoryId).toBe(MEMORY_ID);
    expect(dynamo.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({
      TableName: 'sessions-table',
      ExpressionAttributeValues: { ':userId': 'u1' },
    });
  });
});

describe('inspect search', () => {
  test('by text: the records holding the words, ignoring case', async () => {
    const { code, out } = await run(['search', ...target(), '--query', 'WINDOW SEAT', '--json']);
    expect(code).toBe(0);
    const found = JSON.parse(out);
    expect(found).toMatchObject({ userId: 'u1', query: 'WINDOW SEAT', mode: 'text' });
    expect(found.records.map((record: { text: string }) => record.text).sort()).toEqual([
      'Planned a May trip to Lisbon and asked for flights with a window seat.',
      'Prefers window seats on long flights.',
    ]);
  });

  test('by meaning: RetrieveMemoryRecords over the user’s namespaces, with scores, at most --top-k', async () => {
    const { code, out } = await run(['search', ...target(), '--query', 'seats', '--semantic', '--top-k', '2']);
    expect(code).toBe(0);
    expect(out).toContain('Records of u1 matching "seats" (semantic)');
    expect(out).toMatch(/score \d\.\d{3}/);
    expect(out).not.toContain('aisle');
    expect(fixture.calls()).toContain('RetrieveMemoryRecords');
  });
});

describe('inspect show', () => {
  test('one record of the user (0); another user’s is refused (1); an unknown id is not found (1)', async () => {
    const own = await run(['show', ...target(), '--record', fixture.recordId('Has a beagle called Biscuit.')]);
    expect(own.code).toBe(0);
    expect(own.out).toContain('/facts/u1/\n    Has a beagle called Biscuit.');

    const other = await run(['show', ...target(), '--record', fixture.recordId('Is allergic to peanuts.'), '--json']);
    expect(other.code).toBe(1);
    expect(JSON.parse(other.out)).toEqual({ status: 'refused', reason: 'notTheUsersRecord' });
    expect(other.err).toContain("is not u1's alone");

    const missing = await run(['show', ...target(), '--record', 'record-none']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`no record record-none in memory ${MEMORY_ID}`);
  });

  test('a session’s events, oldest first; another user’s session shows nothing (1)', async () => {
    const session = await run(['show', ...target(), '--session', 'trip-lisbon']);
    expect(session.code).toBe(0);
    expect(session.out).toMatch(
      /Session trip-lisbon: 2 events, oldest first\n {2}2026-11-21T18:02:00.000Z {2}user: Find me a flight.*\n {2}2026-11-21T18:02:40.000Z {2}assistant: Here are three/,
    );
    const other = await run(['show', ...target(), '--session', 'menu']);
    expect(other.code).toBe(1);
    expect(other.out).not.toContain('peanuts');
  });
});
