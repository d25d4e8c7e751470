/**
 * Every error the runtime raises on purpose, in one place. Each keeps the error that caused
 * it (`cause`), so a log entry shows the whole chain with the AWS SDK's `$metadata`.
 */

/**
 * The base of the runtime's own errors, `cause` kept. The bundles
 * are minified, which renames classes, so each subclass also names itself with a literal:
 * the name is what a caller (and Lambda's `errorType`) sees.
 */
export class AgentCoreMemoryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentCoreMemoryError';
  }
}

// Session manager

/** Thrown by the session manager's constructor; `errors` lists every problem found. */
export class SessionManagerConfigError extends AgentCoreMemoryError {
  override readonly name = 'SessionManagerConfigError';

  constructor(readonly errors: readonly string[]) {
    super(`Invalid AgentCoreMemorySessionManager config:\n${errors.map((error) => `- ${error}`).join('\n')}`);
  }
}

/**
 * Thrown when a message's event metadata (from the metadata provider or the call) breaks
 * CreateEvent's limits or names a key the package writes itself; the message is not stored.
 */
export class EventMetadataError extends AgentCoreMemoryError {
  override readonly name = 'EventMetadataError';

  constructor(readonly errors: readonly string[]) {
    super(`Invalid event metadata:\n${errors.map((error) => `- ${error}`).join('\n')}`);
  }
}

// Converse function

/** A setting the converse function reads from its environment is missing. */
export class MissingEnvironmentError extends AgentCoreMemoryError {
  override readonly name = 'MissingEnvironmentError';
}

/** An agent-definition item that does not satisfy the schema; its message names the agent. */
export class MalformedAgentDefinitionError extends AgentCoreMemoryError {
  override readonly name = 'MalformedAgentDefinitionError';

  constructor(
    readonly agentId: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`agent definition '${agentId}' is malformed: ${problems.join('; ')}`, options);
  }
}

/** The session was started by another user; nothing was written. */
export class SessionOwnedByAnotherUserError extends AgentCoreMemoryError {
  override readonly name = 'SessionOwnedByAnotherUserError';

  constructor(
    readonly sessionId: string,
    options?: { cause?: unknown },
  ) {
    super(`session ${sessionId} belongs to another user`, options);
  }
}

/** The session is the caller's but was started with another agent; nothing was written. */
export class SessionBoundToAnotherAgentError extends AgentCoreMemoryError {
  override readonly name = 'SessionBoundToAnotherAgentError';

  constructor(
    readonly sessionId: string,
    options?: { cause?: unknown },
  ) {
    super(`session ${sessionId} belongs to another agent`, options);
  }
}

/** A registry that cannot be built; `problems` names every tool and what is wrong with it. */
export class ToolRegistryError extends AgentCoreMemoryError {
  override readonly name = 'ToolRegistryError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid tools of your own:\n- ${problems.join('\n- ')}`);
  }
}

// Forget

/** An invalid forget request; its message names every problem. */
export class ForgetRequestError extends AgentCoreMemoryError {
  override readonly name = 'ForgetRequestError';
}

// Deadlines

/** A dependency call, a model call or a turn's tools did not finish by their deadline; the call was aborted. */
export class DeadlineExceededError extends AgentCoreMemoryError {
  override readonly name = 'DeadlineExceededError';

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
export class ModelStreamTruncatedError extends AgentCoreMemoryError {
  override readonly name = 'ModelStreamTruncatedError';
}

/** An exception Bedrock reported inside the model's stream; `name` is the service's (`ThrottlingException`...). */
export class ModelStreamException extends AgentCoreMemoryError {
  constructor(exceptionName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = exceptionName;
  }
}

// Inspector: one user's memory, browsed and changed by an operator.

/** A value the inspector was given is invalid or beyond AgentCore's limits; nothing was sent. */
export class InspectorInputError extends AgentCoreMemoryError {
  override readonly name = 'InspectorInputError';
}

/** AgentCore answered a change of a record with a failure for that record. */
export class InspectorWriteError extends AgentCoreMemoryError {
  override readonly name = 'InspectorWriteError';
}
