/**
 * `inspect --serve`: the local web page over one user's memory. It prints the URL with its
 * one-time token and serves until Ctrl-C; changes made on the page go to the audit log
 * like the command line's.
 */
import { once } from 'node:events';
import { ExitCode } from '../cli/command-line.js';
import { inspectorSite } from './serve/api.js';
import { startInspectorServer } from './serve/server.js';
import { INSPECT_PERMISSIONS, type InspectSubcommand } from './subcommand.js';
import { CHANGE_OPTIONS, TARGET_OPTIONS } from './target.js';

/** Until Ctrl-C or SIGTERM. */
async function untilInterrupted(): Promise<void> {
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
}

export const SERVE: InspectSubcommand<Record<string, never>> = {
  spec: {
    name: 'inspect',
    summary: 'serves a local web page over one user’s memory: browse, search, correct, delete, export.',
    usage: [
      'inspect --serve --user <userId> (--memory-id <id> [--session-table <table>] | --stack <stack> | --env <env>)',
    ],
    options: {
      serve: { type: 'boolean', description: 'Start the local web page.' },
      ...TARGET_OPTIONS,
      ...CHANGE_OPTIONS,
    },
    notes: [
      'The server listens on 127.0.0.1 only, on a port the system picks, and prints a URL with a one-time token: open it once in your browser (the page then keeps a session cookie for this port). Requests without the session, from another origin, or naming another host are refused. The page lists the user’s memories by strategy with a search, the timeline of their sessions, corrects or deletes one memory after a confirmation, and downloads the export. Ctrl-C stops it.',
      'Exit codes: 0 the server ran and was stopped; 2 it could not start (a mistake in the options, no credentials, access denied, no such memory), with what to do.',
      `Permissions: ${INSPECT_PERMISSIONS}.`,
    ],
  },
  changes: true,
  parse: () => ({}),
  act: async (_args, { inspector, auditLogPath }, { io, dependencies }) => {
    const site = inspectorSite({
      inspector,
      auditLogPath,
      onRefused: (description) => io.stderr(`Refused ${description}\n`),
      onExportFailure: (error) =>
        io.stderr(`The export download failed midway: ${error instanceof Error ? error.message : String(error)}\n`),
    });
    const server = await startInspectorServer(site);
    io.stderr(
      [
        `Inspecting ${inspector.userId} (actor ${inspector.actorId}) in memory ${inspector.memoryId}.`,
        `Changes are audited in ${auditLogPath}.`,
        'Open this URL once in your browser (its token works once; the page keeps a session cookie):',
        '',
      ].join('\n'),
    );
    io.stdout(`${server.url}\n`);
    io.stderr('\nCtrl-C stops the server.\n');
    try {
      await (dependencies.serveUntil ?? untilInterrupted)();
    } finally {
      await server.close();
    }
    io.stderr('Stopped.\n');
    return ExitCode.ok;
  },
};
