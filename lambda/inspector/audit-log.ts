/**
 * The audit log: one JSON object per line, appended, never rewritten, so every change an
 * operator made (or tried to make and was refused) can be read back in order.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEntry, AuditLog } from './types.js';

/** Appends each entry as one line of JSON to `path`, creating the file and its directory. */
export class JsonLinesAuditLog implements AuditLog {
  constructor(readonly path: string) {}

  async append(entry: AuditEntry): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // One write per line with O_APPEND: concurrent appends never interleave within a line.
    await appendFile(this.path, `${JSON.stringify(entry)}\n`, { encoding: 'utf8', flag: 'a' });
  }
}
