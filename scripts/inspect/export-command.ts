/** `inspect export`: everything held about a user as one JSON document, streamed to a file or stdout. */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { EXPORT_FORMAT } from '../../lambda/inspector/index.js';
import { ExitCode, processIo, stringOption, type CommandIo } from '../cli/command-line.js';
import { writeExport } from './export-writer.js';
import { INSPECT_PERMISSIONS, type InspectSubcommand } from './subcommand.js';
import { TARGET_OPTIONS } from './target.js';

/** Where `io.stdout` goes: the process's own stdout keeps its backpressure; a test's collector takes strings. */
function stdoutStream(io: CommandIo): Writable {
  if (io === processIo) return process.stdout;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      io.stdout(chunk.toString('utf8'));
      callback();
    },
  });
}

export const EXPORT: InspectSubcommand<{ output?: string }> = {
  spec: {
    name: 'inspect export',
    summary: 'exports everything held about a user as one JSON document.',
    usage: ['inspect export --user <userId> (--memory-id <id> | --stack <stack> | --env <env>) [--output <file>]'],
    options: {
      ...TARGET_OPTIONS,
      output: {
        type: 'string',
        value: 'file',
        description: 'Write the export to this file (created readable by you alone); without it, to stdout.',
      },
    },
    notes: [
      `The document (format "${EXPORT_FORMAT}") holds the user's long-term records, their sessions with every event, their turns in the session table, and counts; it is written as it is read, so a large user is never held in memory. The README describes it field by field.`,
      'Exit codes: 0 the export is complete; 2 it could not be made (no credentials, access denied, a call that failed midway: an incomplete file is removed), with what to do.',
      `Permissions: ${INSPECT_PERMISSIONS}.`,
    ],
  },
  changes: false,
  parse: (values) => {
    const output = stringOption(values, 'output');
    return output === undefined ? {} : { output };
  },
  act: async ({ output }, { inspector }, { io }) => {
    const started = Date.now();
    if (output === undefined) {
      const bytes = await writeExport(inspector, stdoutStream(io));
      io.stderr(`Exported ${inspector.userId}: ${bytes} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      return ExitCode.ok;
    }
    const file = createWriteStream(output, { mode: 0o600 });
    try {
      const bytes = await writeExport(inspector, file);
      file.end();
      await finished(file);
      io.stderr(
        `Exported ${inspector.userId} to ${output}: ${bytes} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      return ExitCode.ok;
    } catch (error) {
      file.destroy();
      // Half a document would look like a whole export of less: remove it.
      await rm(output, { force: true });
      throw error;
    }
  },
};
