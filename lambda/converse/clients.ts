import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
 *
 * It is the session's idle limit (`sessionTimeout`), not `requestTimeout`: the HTTP/2
 * handler arms `requestTimeout` on each stream and destroys the call's session without
 * clearing it, so every call's stream, session and request body would stay reachable for
 * this long after the call ended. A session's own timer is cleared when it is destroyed.
 */
export const BEDROCK_IDLE_TIMEOUT_MS = 60_000;

/** The Bedrock client's HTTP/2 handler settings: connect timeout, and the idle limit as the session's. */
export function bedrockRequestHandlerOptions(idleTimeoutMs = BEDROCK_IDLE_TIMEOUT_MS) {
  return { connectionTimeout: CONNECTION_TIMEOUT_MS, sessionTimeout: idleTimeoutMs };
}

export function bedrockRuntimeClient(): BedrockRuntimeClient {
  bedrockRuntime ??= new BedrockRuntimeClient({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: bedrockRequestHandlerOptions(),
  });
  return bedrockRuntime;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: {
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: DYNAMODB_ATTEMPT_TIMEOUT_MS,
        throwOnRequestTimeout: true,
      },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return documentClient;
}

export function agentCoreClient(): BedrockAgentCoreClient {
  agentCore ??= new BedrockAgentCoreClient({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: AGENT_CORE_ATTEMPT_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  });
  return agentCore;
}
