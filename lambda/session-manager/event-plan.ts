/**
 * Turns buffered messages into the CreateEvent calls that store them: payload items packed
 * in order into events of at most 100 items, each event with a timestamp later than the
 * previous one and a clientToken derived from its content, so sending the same event again
 * (a retried flush) is a no-op at the service. Messages with different metadata never share
 * an event, since metadata belongs to the whole event.
 */
import { createHash } from 'node:crypto';
import type { PayloadType } from '@aws-sdk/client-bedrock-agentcore';
import { CREATE_EVENT_PAYLOAD_ITEMS_MAX } from '../contract/index.js';
import { type EventMetadata, sameMetadata } from './event-metadata.js';
import type { ConversationMessage } from './types.js';

/** CreateEvent accepts at most 100 payload items. */
export const MAX_PAYLOAD_ITEMS_PER_EVENT = CREATE_EVENT_PAYLOAD_ITEMS_MAX;

export interface BufferedMessage {
  readonly message: ConversationMessage;
  /** Milliseconds since the epoch, strictly increasing within one session manager. */
  readonly timestampMs: number;
  readonly items: readonly PayloadType[];
  /** The metadata of the event that stores it, all layers applied. */
  readonly metadata?: EventMetadata;
}

export interface PlannedEvent {
  readonly eventTimestamp: Date;
  readonly payload: PayloadType[];
  readonly clientToken: string;
  readonly metadata?: EventMetadata;
  /** Messages whose last payload item is in this event: stored once this event is. */
  readonly completedMessages: number;
}

export interface EventOwner {
  readonly memoryId: string;
  readonly actorId: string;
  readonly sessionId: string;
}

/**
 * Packs the messages' items into events. An event is stamped with the time of the message
 * its first item belongs to, moved past `previousEventTimestampMs` when needed, so events
 * of one manager never share a millisecond and ListEvents returns them in order.
 */
export function planEvents(
  owner: EventOwner,
  messages: readonly BufferedMessage[],
  previousEventTimestampMs: number,
): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  let payload: PayloadType[] = [];
  let completedMessages = 0;
  let firstItemTimestampMs = 0;
  let lastTimestampMs = previousEventTimestampMs;
  let metadata: EventMetadata | undefined;

  const seal = (): void => {
    const eventTimestampMs = Math.max(firstItemTimestampMs, lastTimestampMs + 1);
    lastTimestampMs = eventTimestampMs;
    const eventTimestamp = new Date(eventTimestampMs);
    events.push({
      eventTimestamp,
      payload,
      clientToken: clientTokenFor(owner, eventTimestamp, payload, metadata),
      completedMessages,
      ...(metadata !== undefined && { metadata }),
    });
    payload = [];
    completedMessages = 0;
  };

  for (const message of messages) {
    const { timestampMs, items } = message;
    if (payload.length > 0 && !sameMetadata(metadata, message.metadata)) seal();
    metadata = message.metadata;
    items.forEach((item, index) => {
      if (payload.length === 0) firstItemTimestampMs = timestampMs;
      payload.push(item);
      if (index === items.length - 1) completedMessages++;
      if (payload.length === MAX_PAYLOAD_ITEMS_PER_EVENT) seal();
    });
  }
  if (payload.length > 0) seal();
  return events;
}

/** The same owner, timestamp, payload and metadata always give the same token. */
export function clientTokenFor(
  owner: EventOwner,
  eventTimestamp: Date,
  payload: readonly PayloadType[],
  metadata?: EventMetadata,
): string {
  const content = [owner.memoryId, owner.actorId, owner.sessionId, eventTimestamp.toISOString(), payload];
  return createHash('sha256')
    .update(JSON.stringify(metadata === undefined ? content : [...content, metadata]))
    .digest('hex');
}
