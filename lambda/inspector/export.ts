/**
 * Everything held about one user as one JSON document, produced as a stream of chunks: each
 * record, session, event and history item is written as soon as its page arrives, so a user
 * with many pages is never held in memory whole. The counts come last, once they are known.
 */
import { EXPORT_FORMAT, type ExportCounts, type MemoryInspector } from './types.js';

export interface ExportOptions {
  /** @default - the system clock */
  readonly now?: () => Date;
}

/** `"name":[` then each item of `items` on a line of its own, then `]`. */
async function* jsonArray<T>(
  name: string,
  items: AsyncIterable<T>,
  each: (item: T) => AsyncGenerator<string> | string,
): AsyncGenerator<string> {
  yield `"${name}":[`;
  let first = true;
  for await (const item of items) {
    yield first ? '\n' : ',\n';
    first = false;
    const written = each(item);
    if (typeof written === 'string') yield written;
    else yield* written;
  }
  yield '\n]';
}

/**
 * The user's export, chunk by chunk; joined, the chunks are one JSON document:
 * `{ format, exportedAt, memoryId, userId, actorId, namespaces, strategies, records,
 * sessions: [{ sessionId, createdAt, events }], history, counts }`.
 */
export async function* exportUserMemory(
  inspector: MemoryInspector,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  const counts = { records: 0, sessions: 0, events: 0, historyItems: 0 };
  const header = {
    format: EXPORT_FORMAT,
    exportedAt: (options.now ?? (() => new Date()))().toISOString(),
    memoryId: inspector.memoryId,
    userId: inspector.userId,
    actorId: inspector.actorId,
    namespaces: inspector.namespaces,
    strategies: inspector.strategies,
  };
  yield `${JSON.stringify(header).slice(0, -1)},\n`;
  yield* jsonArray('records', inspector.records(), (record) => {
    counts.records++;
    return JSON.stringify(record);
  });
  yield ',\n';
  yield* jsonArray('sessions', inspector.sessions(), async function* (session) {
    counts.sessions++;
    yield `${JSON.stringify(session).slice(0, -1)},`;
    yield* jsonArray('events', inspector.events(session.sessionId), (event) => {
      counts.events++;
      return JSON.stringify(event);
    });
    yield '}';
  });
  yield ',\n';
  yield* jsonArray('history', inspector.history(), (item) => {
    counts.historyItems++;
    return JSON.stringify(item);
  });
  const finalCounts: ExportCounts = counts;
  yield `,\n"counts":${JSON.stringify(finalCounts)}}\n`;
}
