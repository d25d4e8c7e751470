import type { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as agentCoreClients from '../platform/clients/agentcore.js';
import * as bedrockRuntimeClients from '../platform/clients/bedrock-runtime.js';
import * as dynamoClients from '../platform/clients/dynamodb.js';

/**
 * SDK clients, each created on first use and kept for the container's life: module init
 * stays small (cold start) and every later invocation reuses the connections.
 * Region and credentials come from the Lambda environment.
 *
 * Each attempt of a call is cut off by the client (`requestTimeout` with
 * `throwOnRequestTimeout`: without that flag the HTTP handler only logs a warning), and the
 * SDK retries a cut-off or throttled attempt. The call as a whole, retries included, is cut
 * off by the turn's deadlines (see `deadlines.ts`) through its abort signal; the attempts
 * and their backoff fit inside those limits.
 */
let bedrockRuntime: BedrockRuntimeClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;
let agentCore: BedrockAgentCoreClient | undefined;

/** Attempts per call (the SDK's standard retry mode: a first attempt and two retries). */
export const MAX_ATTEMPTS = 3;
/** Time to open a connection, for every client. */
export const CONNECTION_TIMEOUT_MS = 1_000;
/** A DynamoDB attempt waits this long for the response; 3 attempts and backoff fit in the 5 s a DynamoDB call gets. */
export const DYNAMODB_ATTEMPT_TIMEOUT_MS = 1_000;
/** An AgentCore attempt waits this long for the response; 3 attempts and backoff fit in the 12 s a write gets. */
export const AGENT_CORE_ATTEMPT_TIMEOUT_MS = 3_000;
/**
 * A ConverseStream call with no data for this long is broken: its HTTP/2 session (one per
 * event stream) is closed, and the stream ends without its last event, which the agent loop
 * reports as a cut-off answer. The turn's deadline bounds the rest.
 */
export const BEDROCK_IDLE_TIMEOUT_MS = 60_000;

/** The Bedrock client's HTTP/2 handler settings: connect timeout, and the idle limit as the session's. */
export function bedrockRequestHandlerOptions(idleTimeoutMs = BEDROCK_IDLE_TIMEOUT_MS) {
  return bedrockRuntimeClients.bedrockRequestHandlerOptions({
    connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
    idleTimeoutMs,
  });
}

export function bedrockRuntimeClient(): BedrockRuntimeClient {
  bedrockRuntime ??= bedrockRuntimeClients.bedrockRuntimeClient({
    maxAttempts: MAX_ATTEMPTS,
    connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
    idleTimeoutMs: BEDROCK_IDLE_TIMEOUT_MS,
  });
  return bedrockRuntime;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= dynamoClients.dynamoDocumentClient({
    maxAttempts: MAX_ATTEMPTS,
    connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: DYNAMODB_ATTEMPT_TIMEOUT_MS,
  });
  return documentClient;
}

export function agentCoreClient(): BedrockAgentCoreClient {
  agentCore ??= agentCoreClients.agentCoreClient({
    maxAttempts: MAX_ATTEMPTS,
    connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: AGENT_CORE_ATTEMPT_TIMEOUT_MS,
  });
  return agentCore;
}
