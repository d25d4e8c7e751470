/**
 * User messages wait here until the model has seen them. A guardrail that blocks a prompt
 * (or a tool result) makes the agent replace that message with its redaction message, and
 * only the replacement may be stored: a stored event can reach long-term memory
 * extraction, and a restored agent must not get the blocked text back.
 */
import type { LocalAgent, Message } from '@strands-agents/sdk';

export class HeldMessages {
  /** Per agent: a user message the model has not answered yet, and what came after it. */
  private readonly held = new Map<LocalAgent, Message[]>();

  constructor(private readonly store: (agent: LocalAgent, message: Message) => Promise<void>) {}

  /** A user message waits, and so does every message after it until it is released; any other is stored. */
  async add(agent: LocalAgent, message: Message): Promise<void> {
    const waiting = this.held.get(agent);
    if (waiting !== undefined) waiting.push(message);
    else if (message.role === 'user') this.held.set(agent, [message]);
    else await this.store(agent, message);
  }

  /**
   * Stores what waited, in order, each message as the agent holds it now (a redaction keeps
   * the message's tracking id). Every message is handed on even when one store fails (the
   * session manager keeps a message it could not send pending); the first failure is rethrown.
   */
  release(agent: LocalAgent): Promise<void> {
    return this.take(agent)();
  }

  /**
   * Takes what waited, as the agent holds it now, and returns the store of it, to run now
   * or later: a later store still stores the messages as they were when taken.
   */
  take(agent: LocalAgent): () => Promise<void> {
    const waiting = this.held.get(agent) ?? [];
    this.held.delete(agent);
    const current = waiting.map(
      (message) => agent.messages.find((candidate) => candidate.trackingId === message.trackingId) ?? message,
    );
    return () => this.storeInOrder(agent, current);
  }

  /** Every store is started at once: each buffers its message when called, so the order holds. */
  private async storeInOrder(agent: LocalAgent, messages: readonly Message[]): Promise<void> {
    const results = await Promise.allSettled(messages.map((message) => this.store(agent, message)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /** Releases every agent's messages (on close). */
  async releaseAll(): Promise<void> {
    const results = await Promise.allSettled([...this.held.keys()].map((agent) => this.release(agent)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}
