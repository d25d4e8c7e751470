import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type ClientOptions, clientConfig } from './client-options.js';

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
