#!/usr/bin/env node
/**
 * The `agentcore-memory` command: `agentcore-memory <doctor|chat|forget|inspect> [options]`.
 * One bin for the Day-2 tools: one name in an adopter's node_modules/.bin, one `--help`
 * that lists them, and the same options, credentials check and exit codes for each.
 */
import { runChatCli } from '../chat/index.js';
import { runDoctorCli } from '../doctor/index.js';
import { runForgetCli } from '../forget.js';
import { runInspectCli } from '../inspect/index.js';
import { BIN, ExitCode, processIo, type CommandIo } from './command-line.js';

const COMMANDS = {
  doctor: { run: runDoctorCli, summary: 'check a deployed memory, its agents and the converse function' },
  chat: { run: runChatCli, summary: 'talk to a deployed converse function' },
  forget: { run: runForgetCli, summary: 'forget one user through the forget function' },
  inspect: {
    run: runInspectCli,
    summary: 'see, search, correct, delete and export what the memory holds about one user',
  },
} as const;

export const MAIN_HELP = [
  `${BIN}: Day-2 tools for agentcore-memory-agents deployments.`,
  '',
  'Usage:',
  `  ${BIN} <command> [options]`,
  `  ${BIN} <command> --help`,
  '',
  'Commands:',
  ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(8)}${command.summary}`),
  '',
  'Exit codes: 0 ok; 1 the answer is no (drift, an error answer, a refusal, an incomplete report); 2 could not check, with what to do.',
  '',
].join('\n');

export async function main(argv: readonly string[], io: CommandIo = processIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(MAIN_HELP);
    return command === undefined ? ExitCode.couldNotCheck : ExitCode.ok;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    io.stderr(
      `${BIN}: unknown command '${command}'; the commands are ${Object.keys(COMMANDS).join(', ')} (${BIN} --help)\n`,
    );
    return ExitCode.couldNotCheck;
  }
  return COMMANDS[command as keyof typeof COMMANDS].run(rest, io);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${BIN}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = ExitCode.couldNotCheck;
    },
  );
}
