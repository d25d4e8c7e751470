/**
 * How every `inspect` subcommand runs: its options parsed strictly and checked before any
 * call (a mistake is exit 2 naming the option), the user's memory opened, then the
 * subcommand's work. A failure to reach AWS or an input AgentCore would reject is exit 2
 * with what to do; the subcommand itself answers 0 or 1.
 */
import { createInterface } from 'node:readline/promises';
import { InspectorInputError } from '../../lambda/inspector/index.js';
import { describeAwsFailure } from '../cli/aws-preflight.js';
import {
  ExitCode,
  runCommand,
  UsageError,
  type CommandIo,
  type CommandSpec,
  type ParsedOptions,
} from '../cli/command-line.js';
import { StackNotFoundError } from '../doctor/deployed.js';
import { openInspector, type InspectDependencies, type OpenedInspector } from './target.js';

export const INSPECT_PERMISSIONS =
  'bedrock-agentcore:GetMemory, ListMemoryRecords, GetMemoryRecord, RetrieveMemoryRecords, ListSessions and ListEvents on the memory; to change records BatchDeleteMemoryRecords, BatchUpdateMemoryRecords or BatchCreateMemoryRecords; dynamodb:Query on the session table and its by-owner index; cloudformation:DescribeStacks with --stack or --env';

export interface InspectCliDependencies extends InspectDependencies {
  /** Whether a person can answer a confirmation (stdin is a terminal). */
  readonly interactive?: boolean;
  /** Asks a yes/no question; resolves true for yes. */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** `--serve`: resolves when the server should stop (default: Ctrl-C or SIGTERM). */
  readonly serveUntil?: () => Promise<void>;
}

export interface SubcommandContext {
  readonly io: CommandIo;
  readonly json: boolean;
  readonly confirm: (question: string) => Promise<boolean>;
  readonly dependencies: InspectCliDependencies;
}

export interface InspectSubcommand<Args> {
  readonly spec: CommandSpec;
  /** Whether the subcommand changes records (and so writes to the audit log). */
  readonly changes: boolean;
  /** The subcommand's own options, checked before anything is called. */
  readonly parse: (values: ParsedOptions, interactive: boolean) => Args;
  readonly act: (args: Args, opened: OpenedInspector, context: SubcommandContext) => Promise<ExitCode>;
}

/** Runs one subcommand with `argv` (the options after its name). */
export function runSubcommand<Args>(
  subcommand: InspectSubcommand<Args>,
  argv: readonly string[],
  io: CommandIo,
  dependencies: InspectCliDependencies,
): Promise<ExitCode> {
  return runCommand(subcommand.spec, argv, io, async (values) => {
    const interactive = dependencies.interactive ?? process.stdin.isTTY === true;
    const args = subcommand.parse(values, interactive);
    const context: SubcommandContext = {
      io,
      json: values.json === true,
      confirm: dependencies.confirm ?? askOnTerminal,
      dependencies,
    };
    try {
      const opened = await openInspector(values, dependencies, subcommand.changes);
      return await subcommand.act(args, opened, context);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const failure =
        error instanceof InspectorInputError || error instanceof StackNotFoundError
          ? { type: error.name, message: error.message }
          : describeAwsFailure(error, INSPECT_PERMISSIONS);
      io.stderr(`Could not inspect (${failure.type}): ${failure.message}\n`);
      return ExitCode.couldNotCheck;
    }
  });
}

/**
 * A destructive subcommand's `--yes`, or the refusal to go on without one: with no person
 * at a terminal to answer, the change would be made unconfirmed.
 */
export function confirmationOption(values: ParsedOptions, interactive: boolean, change: string): boolean {
  const yes = values.yes === true;
  if (!yes && !interactive) {
    throw new UsageError(`${change} asks for a confirmation and there is no terminal to answer it; pass --yes`);
  }
  return yes;
}

async function askOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(`${question} [y/N] `)).trim());
  } finally {
    terminal.close();
  }
}
