/**
 * One factory per AWS SDK client the runtime uses, with its attempts and timeouts as
 * options. Region and credentials come from the standard AWS environment (AWS_REGION, ...)
 * unless `region` is given. Callers decide how long a client lives: the converse function
 * keeps one of each for the container's life, forget one set per container.
 */
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface ClientOptions {
  /** Attempts per call, the first included (1: the SDK does not retry). @default - the SDK's (3) */
  readonly maxAttempts?: number;
  /**
   * How long one attempt waits for its response before it is cut off and fails (and is
   * retried, within `maxAttempts`). @default - no limit
   */
  readonly requestTimeoutMs?: number;
  /** How long opening a connection may take. @default - the SDK's */
  readonly connectionTimeoutMs?: number;
  /** @default - the AWS environment's region */
  readonly region?: string;
}

/**
 * The HTTP handler settings of a request/response client. `requestTimeout` alone only
 * logs a warning when an attempt runs over; `throwOnRequestTimeout` makes it cut the
 * attempt off.
 */
function httpHandlerOptions({ requestTimeoutMs, connectionTimeoutMs }: ClientOptions) {
  return {
    ...(connectionTimeoutMs !== undefined && { connectionTimeout: connectionTimeoutMs }),
    ...(requestTimeoutMs !== undefined && { requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true }),
  };
}

/** The settings every client shares; the SDK's own defaults wherever an option is left out. */
function clientConfig(options: ClientOptions, requestHandler: Record<string, unknown> = httpHandlerOptions(options)) {
  return {
    ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
    ...(options.region !== undefined && { region: options.region }),
    ...(Object.keys(requestHandler).length > 0 && { requestHandler }),
  };
}

/** AgentCore Memory's data plane: events, records, sessions. */
export function agentCoreClient(options: ClientOptions = {}): BedrockAgentCoreClient {
  return new BedrockAgentCoreClient(clientConfig(options));
}

/** AgentCore's control plane: a memory's settings and strategies. */
export function agentCoreControlClient(options: ClientOptions = {}): BedrockAgentCoreControlClient {
  return new BedrockAgentCoreControlClient(clientConfig(options));
}

export interface BedrockRuntimeClientOptions extends Omit<ClientOptions, 'requestTimeoutMs'> {
  /**
   * A model stream with no data for this long is broken: its HTTP/2 session is closed and
   * the stream ends. It is the session's idle limit rather than a request timeout: the
   * HTTP/2 handler arms a request timeout on each stream and destroys the session without
   * clearing it, which would keep every call's stream and request body reachable for that
   * long after the call ended. @default - no limit
   */
  readonly idleTimeoutMs?: number;
}

/** The HTTP/2 handler settings of the Bedrock runtime client: connection timeout and idle limit. */
export function bedrockRequestHandlerOptions({ connectionTimeoutMs, idleTimeoutMs }: BedrockRuntimeClientOptions) {
  return {
    ...(connectionTimeoutMs !== undefined && { connectionTimeout: connectionTimeoutMs }),
    ...(idleTimeoutMs !== undefined && { sessionTimeout: idleTimeoutMs }),
  };
}

/** Bedrock's runtime: Converse and ConverseStream. */
export function bedrockRuntimeClient(options: BedrockRuntimeClientOptions = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient(clientConfig(options, bedrockRequestHandlerOptions(options)));
}

/** DynamoDB with plain JavaScript values; attributes set to `undefined` are left out of an item. */
export function dynamoDocumentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(options)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
