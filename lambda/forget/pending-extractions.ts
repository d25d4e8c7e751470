/**
 * Extraction AgentCore still holds for the actor. ListMemoryExtractionJobs lists the jobs
 * that can still run (today those that failed and may be started again), and such a job
 * would write records after forgetting ends: while any is listed the report cannot say
 * the user has nothing left. The filter names the actor only, so every session of the
 * actor is covered in one listing; no status is given, so a job in any state the service
 * lists counts as pending.
 */
import { type BedrockAgentCoreClient, paginateListMemoryExtractionJobs } from '@aws-sdk/client-bedrock-agentcore';
import type { ForgetCalls, Listing } from './calls.js';
import type { PendingExtraction } from './report.js';

/** The largest page ListMemoryExtractionJobs returns. */
const PAGE_SIZE = 50;

export async function listPendingExtractions(
  agentCore: BedrockAgentCoreClient,
  calls: ForgetCalls,
  memoryId: string,
  actorId: string,
): Promise<Listing<PendingExtraction>> {
  return calls.listAll(
    'ListMemoryExtractionJobs',
    `actor ${actorId}`,
    ({ startingToken, withCommand }) =>
      paginateListMemoryExtractionJobs(
        { client: agentCore, startingToken, withCommand },
        { memoryId, filter: { actorId }, maxResults: PAGE_SIZE },
      ),
    (page) => ({
      items: (page.jobs ?? []).flatMap((job) =>
        // The filter names the actor; a job of another actor is never reported as this user's.
        job.jobID === undefined || (job.actorId ?? actorId) !== actorId
          ? []
          : [
              {
                jobId: job.jobID,
                ...(job.sessionId !== undefined && { sessionId: job.sessionId }),
                ...(job.strategyId !== undefined && { strategyId: job.strategyId }),
                ...(job.status !== undefined && { status: job.status }),
                ...(job.failureReason !== undefined && { failureReason: job.failureReason }),
              },
            ],
      ),
      next: page.nextToken,
    }),
  );
}
