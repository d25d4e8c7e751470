/**
 * The options every SDK client factory takes. One factory per client, each in its own
 * module, so a caller loads only the SDK packages it uses. Region and credentials come
 * from the standard AWS environment (AWS_REGION, ...) unless `region` is given. Callers
 * decide how long a client lives: the converse function keeps one of each for the
 * container's life, forget one set per container.
 */
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
export function httpHandlerOptions({ requestTimeoutMs, connectionTimeoutMs }: ClientOptions) {
  return {
    ...(connectionTimeoutMs !== undefined && { connectionTimeout: connectionTimeoutMs }),
    ...(requestTimeoutMs !== undefined && { requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true }),
  };
}

/** The settings every client shares; the SDK's own defaults wherever an option is left out. */
export function clientConfig(
  options: ClientOptions,
  requestHandler: Record<string, unknown> = httpHandlerOptions(options),
) {
  return {
    ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
    ...(options.region !== undefined && { region: options.region }),
    ...(Object.keys(requestHandler).length > 0 && { requestHandler }),
  };
}
