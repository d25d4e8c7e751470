import { AgentCoreMemorySessionManager } from './session-manager.js';
import type { AgentCoreMemorySessionManagerConfig } from './types.js';

/**
 * Runs `work` with a new session manager and flushes it afterwards, also when `work`
 * throws. If both fail, the rejection is a `SuppressedError` carrying both errors, exactly
 * as with `await using`.
 */
export async function withSessionManager<T>(
  config: AgentCoreMemorySessionManagerConfig,
  work: (sessionManager: AgentCoreMemorySessionManager) => Promise<T> | T,
): Promise<T> {
  await using sessionManager = new AgentCoreMemorySessionManager(config);
  return await work(sessionManager);
}
