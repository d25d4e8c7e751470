/**
 * `inspect delete`, `inspect edit`, `inspect add`: changes to one of a user's records, each
 * appended to the audit log. Deleting and correcting show the record and ask first (`--yes`
 * answers for scripts; without a terminal and without it they refuse to start). A record
 * that is not the user's is still handed to the library, which refuses it without writing
 * and audits the attempt.
 */
import type { ChangeOutcome, MemoryInspector } from '../../lambda/inspector/index.js';
import { ExitCode, stringOption, UsageError, type CommandIo } from '../cli/command-line.js';
import { renderChange, renderRecord } from './render.js';
import {
  confirmationOption,
  INSPECT_PERMISSIONS,
  type InspectSubcommand,
  type SubcommandContext,
} from './subcommand.js';
import { CHANGE_OPTIONS, TARGET_OPTIONS } from './target.js';

const TARGET_USAGE = '--user <userId> (--memory-id <id> | --stack <stack> | --env <env>)';
const YES_OPTION = {
  type: 'boolean',
  description: 'Make the change without asking (for scripts; without a terminal the change needs it).',
} as const;
const JSON_OPTION = {
  type: 'boolean',
  description:
    'Print the outcome as JSON on stdout: {"status":"loaded","value":{change}}, or "refused" with its reason, or "notFound", or "declined".',
} as const;
const CHANGE_NOTES = [
  'Exit codes: 0 the change was made; 1 it was not: no such record, the record or namespace is not this user’s alone (refused without a write, and audited), or the confirmation was answered no; 2 could not change (a mistake in the options, no terminal to confirm without --yes, no credentials, access denied, a text AgentCore would reject), with what to do.',
  'The audit log gets one JSON line per change, made or refused: when, who (--operator), what (action, memory, user, actor, record, namespace), before and after.',
  `Permissions: ${INSPECT_PERMISSIONS}.`,
];

const REFUSALS: Record<string, string> = {
  notTheUsersRecord: 'the record is not this user’s alone',
  notTheUsersNamespace: 'the namespace is not one of this user’s own',
  noAuditLog: 'there is no audit log to record the change in',
};

/** Prints a change's outcome (and where it is audited) and returns its exit code. */
function report(
  outcome: ChangeOutcome,
  what: string,
  auditLogPath: string | undefined,
  io: CommandIo,
  json: boolean,
): ExitCode {
  if (json) io.stdout(`${JSON.stringify(outcome)}\n`);
  if (outcome.status === 'loaded') {
    if (!json) io.stdout(renderChange(outcome.value));
    io.stderr(`Audited in ${auditLogPath}\n`);
    return ExitCode.ok;
  }
  if (outcome.status === 'notFound') io.stderr(`no ${what}; nothing was changed\n`);
  else
    io.stderr(
      `refused: ${REFUSALS[outcome.reason] ?? outcome.reason}; nothing was changed (audited in ${auditLogPath})\n`,
    );
  return ExitCode.no;
}

/** Shows the user's record and asks; true when the change may go ahead. */
async function confirmed(
  inspector: MemoryInspector,
  recordId: string,
  question: string,
  yes: boolean,
  context: SubcommandContext,
): Promise<boolean> {
  if (yes) return true;
  const found = await inspector.record(recordId);
  // Not the user's, or gone: the library refuses or reports it without a write; nothing to confirm.
  if (found.status !== 'loaded') return true;
  context.io.stderr(`Record of ${inspector.userId}:\n${renderRecord(found.value)}`);
  if (await context.confirm(question)) return true;
  if (context.json) context.io.stdout(`${JSON.stringify({ status: 'declined' })}\n`);
  context.io.stderr('Nothing was changed.\n');
  return false;
}

export const DELETE: InspectSubcommand<{ record: string; yes: boolean }> = {
  spec: {
    name: 'inspect delete',
    summary: 'deletes one of a user’s long-term records, after a confirmation.',
    usage: [`inspect delete ${TARGET_USAGE} --record <recordId> [--yes] [--json]`],
    options: {
      ...TARGET_OPTIONS,
      record: { type: 'string', value: 'recordId', description: 'The record to delete.' },
      yes: YES_OPTION,
      json: JSON_OPTION,
      ...CHANGE_OPTIONS,
    },
    notes: CHANGE_NOTES,
  },
  changes: true,
  parse: (values, interactive) => {
    const record = stringOption(values, 'record');
    if (record === undefined) throw new UsageError('--record is required');
    return { record, yes: confirmationOption(values, interactive, 'delete') };
  },
  act: async ({ record, yes }, { inspector, auditLogPath }, context) => {
    if (!(await confirmed(inspector, record, 'Delete this record?', yes, context))) return ExitCode.no;
    return report(await inspector.deleteRecord(record), `record ${record}`, auditLogPath, context.io, context.json);
  },
};

export const EDIT: InspectSubcommand<{ record: string; text: string; yes: boolean }> = {
  spec: {
    name: 'inspect edit',
    summary: 'corrects the text of one of a user’s long-term records, after a confirmation.',
    usage: [`inspect edit ${TARGET_USAGE} --record <recordId> --text <new text> [--yes] [--json]`],
    options: {
      ...TARGET_OPTIONS,
      record: { type: 'string', value: 'recordId', description: 'The record to correct.' },
      text: {
        type: 'string',
        value: 'new text',
        description: 'The record’s corrected text (it replaces the old one).',
      },
      yes: YES_OPTION,
      json: JSON_OPTION,
      ...CHANGE_OPTIONS,
    },
    notes: CHANGE_NOTES,
  },
  changes: true,
  parse: (values, interactive) => {
    const record = stringOption(values, 'record');
    const text = stringOption(values, 'text');
    if (record === undefined) throw new UsageError('--record is required');
    if (text === undefined || text.trim() === '') throw new UsageError('--text is required (the corrected text)');
    return { record, text, yes: confirmationOption(values, interactive, 'edit') };
  },
  act: async ({ record, text, yes }, { inspector, auditLogPath }, context) => {
    const question = `Replace its text with:\n    ${text.split('\n').join('\n    ')}\n?`;
    if (!(await confirmed(inspector, record, question, yes, context))) return ExitCode.no;
    return report(
      await inspector.correctRecord(record, text),
      `record ${record}`,
      auditLogPath,
      context.io,
      context.json,
    );
  },
};

export const ADD: InspectSubcommand<{ namespace: string; text: string; strategyId?: string }> = {
  spec: {
    name: 'inspect add',
    summary: 'adds a long-term record to one of a user’s own namespaces.',
    usage: [`inspect add ${TARGET_USAGE} --namespace <namespace> --text <text> [--strategy <id>] [--json]`],
    options: {
      ...TARGET_OPTIONS,
      namespace: {
        type: 'string',
        value: 'namespace',
        description: 'One of the user’s own namespaces, such as /facts/<actorId>/ (inspect list --json shows them).',
      },
      text: { type: 'string', value: 'text', description: 'The record’s text.' },
      strategy: {
        type: 'string',
        value: 'strategyId',
        description: 'The strategy the record belongs to (default: the one whose namespace it is, when exactly one).',
      },
      json: JSON_OPTION,
      ...CHANGE_OPTIONS,
    },
    notes: CHANGE_NOTES,
  },
  changes: true,
  parse: (values) => {
    const namespace = stringOption(values, 'namespace');
    const text = stringOption(values, 'text');
    const strategyId = stringOption(values, 'strategy');
    if (namespace === undefined) throw new UsageError('--namespace is required');
    if (text === undefined || text.trim() === '') throw new UsageError('--text is required');
    return { namespace, text, ...(strategyId !== undefined && { strategyId }) };
  },
  act: async (input, { inspector, auditLogPath }, { io, json }) =>
    report(await inspector.addRecord(input), `namespace ${input.namespace}`, auditLogPath, io, json),
};
