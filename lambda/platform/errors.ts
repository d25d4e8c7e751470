/**
 * Every error the runtime raises on purpose, in one place. Each keeps the error that caused
 * it (`cause`), so a log entry shows the whole chain with the AWS SDK's `$metadata`.
 */

/**
 * The base of the runtime's own errors: `name` is the class's, `cause` is kept. The bundles
 * are minified, which renames classes, so each subclass also names itself with a literal:
 * the name is what a caller (and Lambda's `errorType`) sees.
 */
export class AgentCoreMemoryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
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
