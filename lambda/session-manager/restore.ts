/**
 * Reads a session back: every page of ListEvents (newest first, as the service returns
 * them), put in chronological order, then decoded item by item in payload order.
 */
import {
  type BedrockAgentCoreClient,
  type Event,
  type EventMetadataFilterExpression,
  ListEventsCommand,
  type ListEventsCommandInput,
  type PayloadType,
  paginateListEvents,
} from '@aws-sdk/client-bedrock-agentcore';
import { LIST_PAGE_SIZE_MAX } from '../contract/index.js';
import type { EventOwner } from './event-plan.js';
import { type UnreadablePayload, decodeMessages } from './payload-codec.js';
import { isPythonStateEvent } from './python-session-format.js';
import type { ConversationMessage } from './types.js';

/** ListEvents accepts at most 100 results per page. */
export const LIST_EVENTS_PAGE_SIZE = LIST_PAGE_SIZE_MAX;

export async function listStoredMessages(
  client: BedrockAgentCoreClient,
  owner: EventOwner,
  onUnreadable: (unreadable: UnreadablePayload) => void,
  eventMetadata?: EventMetadataFilterExpression[],
): Promise<ConversationMessage[]> {
  const newestFirst: Event[] = [];
  const pages = paginateListEvents(
    {
      client,
      pageSize: LIST_EVENTS_PAGE_SIZE,
      // The paginator reuses one input object for every page: give each request its own
      // copy, so a request seen later (by a middleware, a mock) reads as it was sent.
      withCommand: (command) => new ListEventsCommand({ ...(command.input as ListEventsCommandInput) }),
    },
    {
      memoryId: owner.memoryId,
      actorId: owner.actorId,
      sessionId: owner.sessionId,
      includePayloads: true,
      ...(eventMetadata !== undefined && { filter: { eventMetadata } }),
    },
  );
  for await (const page of pages) newestFirst.push(...(page.events ?? []));

  // Sorting by timestamp as well as reversing keeps the order right even if pages overlap
  // in time; the sort is stable, so events of one millisecond keep the service's order.
  const oldestFirst = newestFirst
    .reverse()
    .sort((a, b) => (a.eventTimestamp?.getTime() ?? 0) - (b.eventTimestamp?.getTime() ?? 0));
  // The Python manager's session and agent state events hold no messages.
  const items: PayloadType[] = oldestFirst
    .filter((event) => !isPythonStateEvent(event.metadata))
    .flatMap((event) => event.payload ?? []);
  return decodeMessages(items, onUnreadable);
}
