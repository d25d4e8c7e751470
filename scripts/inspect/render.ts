/** The inspector's answers as text for a person; `--json` prints the objects themselves. */
import type {
  InspectedEvent,
  InspectedRecord,
  InspectedSession,
  InspectedStrategy,
  MemoryInspector,
  RecordChange,
} from '../../lambda/inspector/index.js';

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

/** One record: its id, time and namespace, then its text indented beneath. */
export function renderRecord(record: InspectedRecord & { readonly score?: number }): string {
  const facts = [record.memoryRecordId, record.createdAt ?? 'time unknown', record.namespace];
  if (record.score !== undefined) facts.push(`score ${record.score.toFixed(3)}`);
  return `  ${facts.join('  ')}\n${indent(record.text, '    ')}\n`;
}

export function strategyLabel(strategies: readonly InspectedStrategy[], strategyId: string | undefined): string {
  if (strategyId === undefined) return 'no strategy';
  const kind = strategies.find((strategy) => strategy.strategyId === strategyId)?.kind;
  return kind === undefined ? strategyId : `${strategyId} (${kind})`;
}

/** Records grouped by strategy, in the order the strategies are defined, then any other. */
export function groupByStrategy<Item extends InspectedRecord>(
  strategies: readonly InspectedStrategy[],
  records: readonly Item[],
): Map<string | undefined, Item[]> {
  const groups = new Map<string | undefined, Item[]>(strategies.map((strategy) => [strategy.strategyId, []]));
  for (const record of records) {
    const group = groups.get(record.strategyId) ?? [];
    group.push(record);
    groups.set(record.strategyId, group);
  }
  for (const [strategyId, group] of groups) if (group.length === 0) groups.delete(strategyId);
  return groups;
}

export function renderRecordList(
  inspector: MemoryInspector,
  records: readonly (InspectedRecord & { readonly score?: number })[],
  heading: string,
): string {
  const groups = groupByStrategy(inspector.strategies, records);
  const lines = [
    `${heading}: ${count(records.length, 'record', 'records')} in ${count(groups.size, 'strategy', 'strategies')}`,
  ];
  for (const [strategyId, group] of groups) {
    lines.push('', `${strategyLabel(inspector.strategies, strategyId)}: ${count(group.length, 'record', 'records')}`);
    for (const record of group) lines.push(renderRecord(record).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

export function renderSessions(sessions: readonly InspectedSession[]): string {
  const lines = [`${count(sessions.length, 'session', 'sessions')}, newest first`];
  for (const session of sessions) lines.push(`  ${session.createdAt ?? 'time unknown'}  ${session.sessionId}`);
  return `${lines.join('\n')}\n`;
}

/** A session's events, oldest first, one line per message. */
export function renderEvents(sessionId: string, events: readonly InspectedEvent[]): string {
  const lines = [`Session ${sessionId}: ${count(events.length, 'event', 'events')}, oldest first`];
  for (const event of events) {
    for (const item of event.payload) {
      const body = 'text' in item ? `${item.role.toLowerCase()}: ${item.text}` : 'blob (a stored message; see --json)';
      lines.push(indent(`${event.eventTimestamp ?? 'time unknown'}  ${body}`, '  '));
    }
  }
  return `${lines.join('\n')}\n`;
}

const VERBS: Record<RecordChange['action'], string> = { delete: 'Deleted', correct: 'Corrected', add: 'Added' };

export function renderChange(change: RecordChange): string {
  const lines = [`${VERBS[change.action]} record ${change.memoryRecordId} in ${change.namespace}`];
  if (change.before !== undefined) lines.push('  before:', indent(change.before, '    '));
  if (change.after !== undefined) lines.push('  after:', indent(change.after, '    '));
  return `${lines.join('\n')}\n`;
}

export const count = (value: number, one: string, many: string) => `${value} ${value === 1 ? one : many}`;

/** Every item of an async listing, in order. */
export async function collect<Item>(items: AsyncIterable<Item>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Newest first; undated last. */
export const newestFirst = (a: { createdAt?: string }, b: { createdAt?: string }) =>
  (b.createdAt ?? '').localeCompare(a.createdAt ?? '');
