/**
 * `agentcore-memory inspect`: what an agent's memory holds about one user, from the
 * command line (list, search, show, delete, edit, add, export) or on a local web page
 * (`--serve`). Every subcommand has its own options and `--help`.
 */
import { BIN, ExitCode, processIo, type CommandIo } from '../cli/command-line.js';
import { ADD, DELETE, EDIT } from './change-commands.js';
import { EXPORT } from './export-command.js';
import { LIST, SEARCH, SHOW } from './read-commands.js';
import { SERVE } from './serve-command.js';
import { runSubcommand, type InspectCliDependencies, type InspectSubcommand } from './subcommand.js';

interface Runnable {
  readonly summary: string;
  readonly run: (argv: readonly string[], io: CommandIo, dependencies: InspectCliDependencies) => Promise<ExitCode>;
}

const runnable = <Args>(subcommand: InspectSubcommand<Args>): Runnable => ({
  summary: subcommand.spec.summary,
  run: (argv, io, dependencies) => runSubcommand(subcommand, argv, io, dependencies),
});

const SUBCOMMANDS: Readonly<Record<string, Runnable>> = {
  list: runnable(LIST),
  search: runnable(SEARCH),
  show: runnable(SHOW),
  delete: runnable(DELETE),
  edit: runnable(EDIT),
  add: runnable(ADD),
  export: runnable(EXPORT),
};

export const INSPECT_HELP = [
  `${BIN} inspect: what the memory holds about one user: see it, search it, correct or delete one record, add one, export everything.`,
  '',
  'Usage:',
  `  ${BIN} inspect <subcommand> --user <userId> (--memory-id <id> | --stack <stack> | --env <env>) [options]`,
  `  ${BIN} inspect --serve --user <userId> (--memory-id <id> | --stack <stack> | --env <env>)`,
  `  ${BIN} inspect <subcommand> --help`,
  '',
  'Subcommands:',
  ...Object.entries(SUBCOMMANDS).map(([name, { summary }]) => `  ${name.padEnd(10)}${summary}`),
  `  ${'--serve'.padEnd(10)}${SERVE.spec.summary}`,
  '',
  'Exit codes: 0 ok; 1 the answer is no (no such record, another user’s record refused, a change declined); 2 could not inspect or change, with what to do.',
  '',
].join('\n');

export function runInspectCli(
  argv: readonly string[],
  io: CommandIo = processIo,
  dependencies: InspectCliDependencies = {},
): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first !== undefined && Object.hasOwn(SUBCOMMANDS, first)) {
    return SUBCOMMANDS[first].run(rest, io, dependencies);
  }
  if (argv.includes('--serve')) return runSubcommand(SERVE, argv, io, dependencies);
  if (first === undefined || first === '--help' || first === '-h') {
    io.stdout(INSPECT_HELP);
    return Promise.resolve(first === undefined ? ExitCode.couldNotCheck : ExitCode.ok);
  }
  io.stderr(
    `${BIN} inspect: unknown subcommand '${first}'; the subcommands are ${Object.keys(SUBCOMMANDS).join(', ')}, or --serve (${BIN} inspect --help)\n`,
  );
  return Promise.resolve(ExitCode.couldNotCheck);
}
