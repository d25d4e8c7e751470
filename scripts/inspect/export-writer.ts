/**
 * Writes a user's export into a stream as the library produces it, chunk by chunk, waiting
 * whenever the stream is full: a large user's export passes through without being held.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { exportUserMemory, type MemoryInspector } from '../../lambda/inspector/index.js';

/** Writes the export into `destination` (left open); resolves with the bytes written. */
export async function writeExport(inspector: MemoryInspector, destination: Writable): Promise<number> {
  let bytes = 0;
  for await (const chunk of exportUserMemory(inspector)) {
    bytes += Buffer.byteLength(chunk);
    if (destination.destroyed) throw new Error('the export’s destination was closed before the export was complete');
    if (!destination.write(chunk)) await Promise.race([once(destination, 'drain'), once(destination, 'close')]);
  }
  return bytes;
}
