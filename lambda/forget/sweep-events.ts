/**
 * Short-term memory: every event of every AgentCore session of the actor. There is no
 * delete-session call; a session is gone once its events are. Each session's events are
 * listed in full before any is deleted, so deletions cannot shift the pages still to read.
 */
import {
  type BedrockAgentCoreClient,
  DeleteEventCommand,
  paginateListEvents,
  paginateListSessions,
} from '@aws-sdk/client-bedrock-agentcore';
import { LIST_PAGE_SIZE_MAX } from '../contract/index.js';
import { type ForgetCalls, forEachConcurrently } from './calls.js';
import type { RemovalTally } from './tally.js';

/** DeleteEvent calls in flight at once. */
const DELETE_CONCURRENCY = 4;
/** The largest page ListSessions and ListEvents return. */
const PAGE_SIZE = LIST_PAGE_SIZE_MAX;

export interface EventSweepScope {
  readonly memoryId: string;
  readonly actorId: string;
  readonly agentCore: BedrockAgentCoreClient;
  readonly calls: ForgetCalls;
  readonly tally: RemovalTally;
  readonly dryRun: boolean;
}

/** Sweeps the actor's events; resolves the ids of the events it found (new events mean extraction may follow). */
export async function sweepEvents(scope: EventSweepScope): Promise<string[]> {
  const { memoryId, actorId, agentCore, calls } = scope;
  const sessions = await calls.listAll(
    'ListSessions',
    `actor ${actorId}`,
    ({ startingToken, withCommand }) =>
      paginateListSessions(
        { client: agentCore, startingToken, withCommand },
        { memoryId, actorId, maxResults: PAGE_SIZE },
      ),
    (page) => ({
      // ListSessions filters by actor; a summary of another actor is never ours to touch.
      items: (page.sessionSummaries ?? []).flatMap((session) =>
        session.sessionId !== undefined && (session.actorId ?? actorId) === actorId ? [session.sessionId] : [],
      ),
      next: page.nextToken,
    }),
  );
  const found: string[] = [];
  for (const sessionId of new Set(sessions.items)) found.push(...(await sweepSession(scope, sessionId)));
  return found;
}

async function sweepSession(scope: EventSweepScope, sessionId: string): Promise<string[]> {
  const { memoryId, actorId, agentCore, calls, tally } = scope;
  const events = await calls.listAll(
    'ListEvents',
    `session ${sessionId}`,
    ({ startingToken, withCommand }) =>
      paginateListEvents(
        { client: agentCore, startingToken, withCommand },
        { memoryId, sessionId, actorId, includePayloads: false, maxResults: PAGE_SIZE },
      ),
    (page) => ({ items: (page.events ?? []).flatMap((event) => event.eventId ?? []), next: page.nextToken }),
  );
  let cleared = events.complete;
  if (scope.dryRun) {
    for (const eventId of events.items) tally.removedOne('events', eventId, sessionId);
  } else {
    await forEachConcurrently(events.items, DELETE_CONCURRENCY, async (eventId) => {
      const outcome = await calls.send(
        'DeleteEvent',
        `event ${eventId} of session ${sessionId}`,
        () => agentCore.send(new DeleteEventCommand({ memoryId, sessionId, eventId, actorId })),
        (error) => (error as Error).name === 'ResourceNotFoundException',
      );
      if (outcome.status === 'done') tally.removedOne('events', eventId, sessionId);
      else if (outcome.status === 'gone') tally.goneOne('events', eventId);
      else cleared = false;
    });
  }
  if (cleared) tally.sessionCleared('agentCoreSessions', sessionId);
  return events.items;
}
