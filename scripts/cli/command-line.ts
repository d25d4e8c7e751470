/**
 * What every Day-2 command shares: its options declared once (parsed strictly, and
 * explained by `--help` from the same declaration), its exit codes, and where it writes.
 */
import { parseArgs } from 'node:util';

/** 0: ok. 1: the answer is no (drift, an error answer, a refusal). 2: could not check. */
export const ExitCode = { ok: 0, no: 1, couldNotCheck: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where a command writes: its result on stdout, everything else (progress, errors) on stderr. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** One or more sentences; `--help` prints them under the option. */
  readonly description: string;
  /** The placeholder `--help` shows for a string option's value. */
  readonly value?: string;
  readonly default?: string;
}

export interface CommandSpec {
  /** As typed after the bin: `doctor`, `chat`, `forget`. */
  readonly name: string;
  readonly summary: string;
  /** Usage lines, each starting with the command. */
  readonly usage: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Paragraphs after the options: exit codes, permissions. */
  readonly notes: readonly string[];
}

export const BIN = 'agentcore-memory';

/** A mistake in how the command was called; the message names the option. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The `--help` text. */
export function helpText(spec: CommandSpec): string {
  const lines = [`${BIN} ${spec.name}: ${spec.summary}`, '', 'Usage:'];
  for (const usage of spec.usage) lines.push(`  ${BIN} ${usage}`);
  lines.push('', 'Options:');
  for (const [name, option] of Object.entries({ ...spec.options, help: HELP_OPTION })) {
    lines.push(`  --${name}${option.type === 'string' ? ` <${option.value ?? 'value'}>` : ''}`);
    const defaults = option.default === undefined ? '' : ` (default: ${option.default})`;
    lines.push(...wrap(`${option.description}${defaults}`, 72).map((line) => `      ${line}`));
  }
  for (const note of spec.notes) lines.push('', ...wrap(note, 78));
  return `${lines.join('\n')}\n`;
}

const HELP_OPTION: OptionSpec = { type: 'boolean', description: 'Print this help and exit.' };

export type ParsedOptions = Record<string, string | boolean | undefined>;

/**
 * Parses `argv` against the command's options: an unknown option, a missing value or a
 * stray argument is a UsageError naming it. Returns undefined for `--help`.
 */
export function parseOptions(spec: CommandSpec, argv: readonly string[]): ParsedOptions | undefined {
  const options = Object.fromEntries(
    Object.entries({ ...spec.options, help: HELP_OPTION }).map(([name, option]) => [
      name,
      { type: option.type, ...(option.default === undefined ? {} : { default: option.default }) },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  if (parsed.values.help) return undefined;
  return parsed.values;
}

/** A positive number of seconds from a string option, or a UsageError naming the option. */
export function secondsOption(values: ParsedOptions, name: string): number {
  const raw = values[name];
  const seconds = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--${name} '${String(raw)}' is not a positive number of seconds`);
  }
  return seconds;
}

/** A whole number at least 0 from a string option, or a UsageError naming the option. */
export function countOption(values: ParsedOptions, name: string): number {
  const raw = values[name];
  const count = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || count > 100) {
    throw new UsageError(`--${name} '${String(raw)}' is not a whole number from 0 to 100`);
  }
  return count;
}

export const stringOption = (values: ParsedOptions, name: string): string | undefined =>
  typeof values[name] === 'string' ? values[name] : undefined;

/**
 * Runs one command: `--help` prints the help (exit 0), a UsageError prints its message and
 * how to get help (exit 2), anything else unexpected is reported without a stack trace.
 */
export async function runCommand(
  spec: CommandSpec,
  argv: readonly string[],
  io: CommandIo,
  body: (values: ParsedOptions) => Promise<ExitCode>,
): Promise<ExitCode> {
  try {
    const values = parseOptions(spec, argv);
    if (values === undefined) {
      io.stdout(helpText(spec));
      return ExitCode.ok;
    }
    return await body(values);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${BIN} ${spec.name}: ${error.message}\nRun '${BIN} ${spec.name} --help' for every option.\n`);
    } else {
      io.stderr(`${BIN} ${spec.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return ExitCode.couldNotCheck;
  }
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
