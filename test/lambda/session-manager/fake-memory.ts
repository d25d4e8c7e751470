/**
 * An in-memory stand-in for AgentCore short-term memory behind aws-sdk-client-mock: it
 * enforces the CreateEvent limits the session manager must respect, honours clientToken
 * like the service (a repeated token stores nothing), copies payloads through JSON as the
 * wire would, and pages ListEvents newest first, filtered by event metadata like the service.
 */
import {
  type BedrockAgentCoreClient,
  CreateEventCommand,
  type CreateEventCommandInput,
  type Event,
  type EventMetadataFilterExpression,
  ListEventsCommand,
  type ListEventsCommandInput,
  type PayloadType,
} from '@aws-sdk/client-bedrock-agentcore';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { codePointLength, isWellFormedUnicode } from '../../../lambda/contract/index.js';

export interface FakeMemory {
  /** Stored events in the order they were created. */
  readonly events: Event[];
  /** The next `count` CreateEvent calls store their event, then fail as if the response was lost. */
  loseNextResponses(count: number): void;
  /** The next `count` CreateEvent calls fail without storing anything. */
  rejectNextCalls(count: number): void;
  /** Forgets every stored event and token and any pending failure: an empty memory again. */
  clear(): void;
}

export function installFakeMemory(mock: AwsClientStub<BedrockAgentCoreClient>): FakeMemory {
  const events: Event[] = [];
  const eventsByToken = new Map<string, Event>();
  let responsesToLose = 0;
  let callsToReject = 0;

  mock.on(CreateEventCommand).callsFake((input: CreateEventCommandInput) => {
    if (callsToReject > 0) {
      callsToReject--;
      throw Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailableException' });
    }
    const payload = input.payload ?? [];
    if (payload.length > 100) throw validationError(`payload has ${payload.length} items; at most 100`);
    for (const item of payload) {
      const text = item.conversational?.content?.text;
      // Like AgentCore: characters are code points, and the text must be valid Unicode.
      if (text !== undefined && (text.length < 1 || codePointLength(text) > 100_000)) {
        throw validationError(`conversational text of ${codePointLength(text)} characters`);
      }
      if (text !== undefined && !isWellFormedUnicode(text)) throw validationError('text is not valid Unicode');
    }
    const metadataKeys = Object.keys(input.metadata ?? {});
    if (metadataKeys.length > 15) throw validationError(`metadata has ${metadataKeys.length} keys; at most 15`);
    for (const key of metadataKeys) {
      const value = input.metadata![key].stringValue ?? '';
      if (!/^[a-zA-Z0-9\s._:/=+@-]{1,128}$/.test(key) || !/^[a-zA-Z0-9\s._:/=+@-]{0,256}$/.test(value)) {
        throw validationError(`metadata ${key} is not a valid key and value`);
      }
    }
    const known = input.clientToken !== undefined ? eventsByToken.get(input.clientToken) : undefined;
    if (known !== undefined) return { event: known };
    const event: Event = {
      memoryId: input.memoryId,
      actorId: input.actorId,
      sessionId: input.sessionId,
      eventId: `event-${events.length}`,
      eventTimestamp: new Date(input.eventTimestamp!.getTime()),
      payload: JSON.parse(JSON.stringify(payload)) as PayloadType[],
      ...(input.metadata !== undefined && {
        metadata: JSON.parse(JSON.stringify(input.metadata)) as Event['metadata'],
      }),
    };
    events.push(event);
    if (input.clientToken !== undefined) eventsByToken.set(input.clientToken, event);
    if (responsesToLose > 0) {
      responsesToLose--;
      throw new Error('response lost');
    }
    return { event };
  });

  mock.on(ListEventsCommand).callsFake((input: ListEventsCommandInput) => {
    const pageSize = input.maxResults ?? 20;
    if (pageSize > 100) throw validationError('maxResults above 100');
    const newestFirst = events
      .map((event, index) => ({ event, index }))
      .sort((a, b) => b.event.eventTimestamp!.getTime() - a.event.eventTimestamp!.getTime() || b.index - a.index)
      .map(({ event }) => event)
      .filter((event) => event.actorId === input.actorId && event.sessionId === input.sessionId)
      .filter((event) => matchesMetadataFilter(event, input.filter?.eventMetadata ?? []));
    const start = input.nextToken === undefined ? 0 : Number(input.nextToken);
    const page = newestFirst.slice(start, start + pageSize);
    const next = start + pageSize < newestFirst.length ? String(start + pageSize) : undefined;
    return {
      events: page.map((event) => (input.includePayloads ? event : { ...event, payload: undefined })),
      ...(next !== undefined && { nextToken: next }),
    };
  });

  return {
    events,
    loseNextResponses: (count) => {
      responsesToLose = count;
    },
    rejectNextCalls: (count) => {
      callsToReject = count;
    },
    clear: () => {
      events.length = 0;
      eventsByToken.clear();
      responsesToLose = 0;
      callsToReject = 0;
    },
  };
}

function validationError(message: string): Error {
  const error = new Error(message);
  error.name = 'ValidationException';
  return error;
}

function matchesMetadataFilter(event: Event, expressions: readonly EventMetadataFilterExpression[]): boolean {
  return expressions.every(({ left, operator, right }) => {
    const value = left?.metadataKey !== undefined ? event.metadata?.[left.metadataKey]?.stringValue : undefined;
    if (operator === 'EXISTS') return value !== undefined;
    if (operator === 'NOT_EXISTS') return value === undefined;
    return value !== undefined && value === right?.metadataValue?.stringValue;
  });
}
