/** `inspect list`, `inspect search`, `inspect show`: what the memory holds about a user; nothing changes. */
import { ExitCode, stringOption, UsageError, type ParsedOptions } from '../cli/command-line.js';
import { collect, newestFirst, renderEvents, renderRecord, renderRecordList, renderSessions } from './render.js';
import { INSPECT_PERMISSIONS, type InspectSubcommand } from './subcommand.js';
import { TARGET_OPTIONS } from './target.js';

const JSON_OPTION = {
  type: 'boolean',
  description: 'Print the answer as JSON on stdout, and nothing else there.',
} as const;
const TARGET_USAGE = '--user <userId> (--memory-id <id> | --stack <stack> | --env <env>)';
const READ_NOTES = [
  'Exit codes: 0 the answer is printed; 1 (show) no such record or session of this user, or the record is another user’s; 2 could not inspect (no credentials or region, access denied, no such memory or stack), with what to do.',
  `Permissions: ${INSPECT_PERMISSIONS}.`,
];

export const LIST: InspectSubcommand<{ strategyId?: string; sessions: boolean }> = {
  spec: {
    name: 'inspect list',
    summary: 'lists a user’s long-term records, grouped by strategy, or their sessions.',
    usage: [`inspect list ${TARGET_USAGE} [--strategy <id>] [--json]`, `inspect list --sessions ${TARGET_USAGE}`],
    options: {
      ...TARGET_OPTIONS,
      strategy: { type: 'string', value: 'strategyId', description: 'Only the records of this strategy.' },
      sessions: { type: 'boolean', description: 'List the user’s short-term sessions instead, newest first.' },
      json: JSON_OPTION,
    },
    notes: READ_NOTES,
  },
  changes: false,
  parse: (values) => {
    const strategyId = stringOption(values, 'strategy');
    if (strategyId !== undefined && values.sessions === true)
      throw new UsageError('--strategy lists records, not --sessions');
    return { ...(strategyId !== undefined && { strategyId }), sessions: values.sessions === true };
  },
  act: async (args, { inspector }, { io, json }) => {
    const who = { memoryId: inspector.memoryId, userId: inspector.userId, actorId: inspector.actorId };
    if (args.sessions) {
      const sessions = (await collect(inspector.sessions())).sort(newestFirst);
      io.stdout(json ? `${JSON.stringify({ ...who, sessions }, null, 2)}\n` : renderSessions(sessions));
      return ExitCode.ok;
    }
    const records = await collect(
      inspector.records(args.strategyId === undefined ? {} : { strategyId: args.strategyId }),
    );
    io.stdout(
      json
        ? `${JSON.stringify({ ...who, strategies: inspector.strategies, records }, null, 2)}\n`
        : renderRecordList(inspector, records, `Memory of ${inspector.userId} in ${inspector.memoryId}`),
    );
    return ExitCode.ok;
  },
};

export const SEARCH: InspectSubcommand<{ query: string; semantic: boolean; topK?: number }> = {
  spec: {
    name: 'inspect search',
    summary: 'searches a user’s long-term records, by words in their text or by meaning.',
    usage: [`inspect search ${TARGET_USAGE} --query <text> [--semantic [--top-k <n>]] [--json]`],
    options: {
      ...TARGET_OPTIONS,
      query: { type: 'string', value: 'text', description: 'What to look for.' },
      semantic: {
        type: 'boolean',
        description:
          'Search by meaning with AgentCore’s RetrieveMemoryRecords (most relevant first, with a score); without it, records whose text holds the query, ignoring case.',
      },
      'top-k': { type: 'string', value: 'n', description: 'With --semantic: how many records, 1-100 (default 10).' },
      json: JSON_OPTION,
    },
    notes: READ_NOTES,
  },
  changes: false,
  parse: (values) => {
    const query = stringOption(values, 'query');
    if (query === undefined || query.trim() === '') throw new UsageError('--query is required');
    const semantic = values.semantic === true;
    const rawTopK = stringOption(values, 'top-k');
    if (rawTopK === undefined) return { query, semantic };
    if (!semantic) throw new UsageError('--top-k goes with --semantic');
    const topK = Number(rawTopK);
    if (!/^\d+$/.test(rawTopK) || topK < 1 || topK > 100) {
      throw new UsageError(`--top-k '${rawTopK}' is not a whole number from 1 to 100`);
    }
    return { query, semantic, topK };
  },
  act: async ({ query, semantic, topK }, { inspector }, { io, json }) => {
    const records = semantic
      ? await inspector.searchSemantic(query, topK === undefined ? {} : { topK })
      : await inspector.searchText(query);
    const mode = semantic ? 'semantic' : 'text';
    io.stdout(
      json
        ? `${JSON.stringify({ userId: inspector.userId, query, mode, records }, null, 2)}\n`
        : renderRecordList(inspector, records, `Records of ${inspector.userId} matching "${query}" (${mode})`),
    );
    return ExitCode.ok;
  },
};

type ShowArgs = { readonly record: string } | { readonly session: string };

export const SHOW: InspectSubcommand<ShowArgs> = {
  spec: {
    name: 'inspect show',
    summary: 'shows one record of a user, or the events of one of their sessions.',
    usage: [
      `inspect show ${TARGET_USAGE} --record <recordId> [--json]`,
      `inspect show ${TARGET_USAGE} --session <sessionId>`,
    ],
    options: {
      ...TARGET_OPTIONS,
      record: { type: 'string', value: 'recordId', description: 'The record to show.' },
      session: { type: 'string', value: 'sessionId', description: 'The session whose events to show, oldest first.' },
      json: JSON_OPTION,
    },
    notes: READ_NOTES,
  },
  changes: false,
  parse: (values: ParsedOptions): ShowArgs => {
    const record = stringOption(values, 'record');
    const session = stringOption(values, 'session');
    if (record !== undefined && session === undefined) return { record };
    if (session !== undefined && record === undefined) return { session };
    throw new UsageError('name what to show: --record or --session (one of them)');
  },
  act: async (args, { inspector }, { io, json }) => {
    if ('session' in args) {
      const events = (await collect(inspector.events(args.session))).reverse();
      if (events.length === 0) {
        if (json) io.stdout(`${JSON.stringify({ sessionId: args.session, events })}\n`);
        io.stderr(`${inspector.userId} has no events in session ${args.session}\n`);
        return ExitCode.no;
      }
      io.stdout(
        json ? `${JSON.stringify({ sessionId: args.session, events }, null, 2)}\n` : renderEvents(args.session, events),
      );
      return ExitCode.ok;
    }
    const found = await inspector.record(args.record);
    if (found.status === 'loaded') {
      io.stdout(json ? `${JSON.stringify(found.value, null, 2)}\n` : renderRecord(found.value));
      return ExitCode.ok;
    }
    if (json) io.stdout(`${JSON.stringify(found)}\n`);
    io.stderr(
      found.status === 'notFound'
        ? `no record ${args.record} in memory ${inspector.memoryId}\n`
        : `record ${args.record} is not ${inspector.userId}'s alone; the inspector shows only this user's records\n`,
    );
    return ExitCode.no;
  },
};
