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

// Inspector: one user's memory, browsed and changed by an operator.

/** A value the inspector was given is invalid or beyond AgentCore's limits; nothing was sent. */
export class InspectorInputError extends AgentCoreMemoryError {}

/** AgentCore answered a change of a record with a failure for that record. */
export class InspectorWriteError extends AgentCoreMemoryError {}
