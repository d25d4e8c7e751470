/**
 * The stand-in's short-term memory: sessions and events per actor (CreateEvent, ListSessions,
 * ListEvents, DeleteEvent) and extraction jobs (ListMemoryExtractionJobs).
 */
import {
  type BedrockAgentCoreClient,
  CreateEventCommand,
  type CreateEventCommandInput,
  DeleteEventCommand,
  type DeleteEventCommandInput,
  ListEventsCommand,
  type ListEventsCommandInput,
  ListMemoryExtractionJobsCommand,
  type ListMemoryExtractionJobsCommandInput,
  ListSessionsCommand,
  type ListSessionsCommandInput,
} from '@aws-sdk/client-bedrock-agentcore';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { StandInState } from './agentcore-stand-in.js';
import { serviceError } from './stand-in-errors.js';

export function installEventCommands(mock: AwsClientStub<BedrockAgentCoreClient>, state: StandInState): void {
  const { events, memoryId } = state;

  mock.on(CreateEventCommand).callsFake((input: CreateEventCommandInput) => {
    state.receive('CreateEvent', input);
    if (!input.actorId || !input.sessionId || (input.payload ?? []).length > 100)
      throw serviceError('ValidationException');
    const event = {
      actorId: input.actorId,
      sessionId: input.sessionId,
      eventId: state.nextId('event'),
      eventTimestamp: input.eventTimestamp ?? new Date(),
      payload: input.payload ?? [],
    };
    events.push(event);
    return { event: { ...event, memoryId } };
  });
  mock.on(ListSessionsCommand).callsFake((input: ListSessionsCommandInput) => {
    state.receive('ListSessions', input);
    const sessions = [...new Set(events.filter((e) => e.actorId === input.actorId).map((e) => e.sessionId))];
    const { items, nextToken } = state.page(sessions, input.nextToken, input.maxResults);
    return {
      sessionSummaries: items.map((sessionId) => ({ sessionId, actorId: input.actorId, createdAt: new Date(0) })),
      nextToken,
    };
  });
  mock.on(ListEventsCommand).callsFake((input: ListEventsCommandInput) => {
    state.receive('ListEvents', input);
    if (!state.payloadsAllowed && input.includePayloads !== false) throw serviceError('ValidationException');
    const matching = events.filter((e) => e.actorId === input.actorId && e.sessionId === input.sessionId);
    const { items, nextToken } = state.page(matching, input.nextToken, input.maxResults);
    const withPayloads = input.includePayloads !== false;
    return {
      events: items.map((e) => ({
        actorId: e.actorId,
        sessionId: e.sessionId,
        eventId: e.eventId,
        memoryId,
        eventTimestamp: e.eventTimestamp ?? new Date(0),
        payload: withPayloads ? (e.payload ?? []) : [],
      })),
      nextToken,
    };
  });
  mock.on(DeleteEventCommand).callsFake((input: DeleteEventCommandInput) => {
    state.receive('DeleteEvent', input);
    if (state.itemFails(input.eventId!)) throw serviceError('InternalServerException');
    const index = events.findIndex(
      (e) => e.eventId === input.eventId && e.actorId === input.actorId && e.sessionId === input.sessionId,
    );
    if (index === -1 || state.vanished.has(input.eventId!)) {
      if (index !== -1) events.splice(index, 1);
      throw serviceError('ResourceNotFoundException');
    }
    events.splice(index, 1);
    state.deleted.events.push(input.eventId!);
    return { eventId: input.eventId };
  });
  mock.on(ListMemoryExtractionJobsCommand).callsFake((input: ListMemoryExtractionJobsCommandInput) => {
    state.receive('ListMemoryExtractionJobs', input);
    const { actorId, sessionId } = input.filter ?? {};
    const matching = state.jobs.filter(
      (job) =>
        (actorId === undefined || job.actorId === actorId) && (sessionId === undefined || job.sessionId === sessionId),
    );
    const { items, nextToken } = state.page(matching, input.nextToken, input.maxResults);
    return {
      jobs: items.map((job) => ({
        ...job,
        status: 'FAILED' as const,
        failureReason: 'model throttled',
        strategyId: 'strategy-1',
        messages: { messagesList: [] },
      })),
      nextToken,
    };
  });
}
