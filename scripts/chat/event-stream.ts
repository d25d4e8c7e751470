/** One server-sent event of the converse stream: its `event:` name and its `data:` JSON. */
export interface ChatEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/**
 * Splits a text/event-stream into events as its bytes arrive: an event ends at a blank
 * line, and a chunk may end anywhere, even inside a line or a UTF-8 character.
 */
export class EventStreamParser {
  private readonly decoder = new TextDecoder();
  private buffer = '';

  /** The events completed by this chunk. */
  push(chunk: Uint8Array | string): ChatEvent[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const events: ChatEvent[] = [];
    let end: number;
    while ((end = this.buffer.search(/\r?\n\r?\n/)) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const event = parseBlock(block);
      if (event) events.push(event);
    }
    return events;
  }
}

function parseBlock(block: string): ChatEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  const text = data.join('\n');
  try {
    return { event, data: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { event, data: { text } };
  }
}
