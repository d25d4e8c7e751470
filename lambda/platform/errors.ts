/**
 * Every error the runtime raises on purpose, in one place. Each keeps the error that caused
 * it (`cause`), so a log entry shows the whole chain with the AWS SDK's `$metadata`.
 */

/** The base of the runtime's own errors: `name` is the class's, `cause` is kept. */
export class AgentCoreMemoryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

// Deadlines

/** A dependency call, a model call or a turn's tools did not finish by their deadline; the call was aborted. */
export class DeadlineExceededError extends AgentCoreMemoryError {
  constructor(
    /** What was cut off, as the logs name it ("memory retrieve", "model call"...). */
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} did not finish in time and was cut off`, options);
  }
}

// The model's stream

/**
 * The model's stream ended without `messageStop`, or broke (a reset connection, a stalled
 * stream), after the model had begun answering: what arrived is not the whole message.
 */
export class ModelStreamTruncatedError extends AgentCoreMemoryError {}

/** An exception Bedrock reported inside the model's stream; `name` is the service's (`ThrottlingException`...). */
export class ModelStreamException extends AgentCoreMemoryError {
  constructor(exceptionName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = exceptionName;
  }
}
