/**
 * The two prompt layers of memory: a system-prompt addition and a new-session nudge. Both are the same for
 * every user, so neither breaks the Bedrock prompt cache.
 */

/** Layer 1: appended to the agent's system prompt when memory is active. */
export const MEMORY_SYSTEM_PROMPT_ADDITION = [
  'You have access to a memory tool (agent_core_memory) that stores and retrieves context from past conversations. Use it as follows:',
  '- Use action="retrieve" any time past preferences or context would help you give a more personalized response — especially at the start of a new conversation.',
  '- When the user explicitly asks you to remember something (e.g., "remember that I prefer X", "make a note that...", "don\'t forget..."), immediately call agent_core_memory with action="record" to save it to long-term memory.',
  '- Do not proactively record information unless the user explicitly requests it.',
].join('\n');

/** Layer 2: appended to the user's first message of a new session, for the model only. */
export const NEW_SESSION_MEMORY_NUDGE =
  '[System note: This is the start of a new conversation. Please use your memory tool to check for any relevant preferences or past context about this user before responding.]';

/**
 * The system prompt: the agent's base prompt, plus the memory addition when memory is
 * active. Only agent-level inputs, so it is byte-identical for every user of an agent.
 */
export function buildSystemPrompt(basePrompt: string, memoryActive: boolean): string {
  return memoryActive ? `${basePrompt}\n\n${MEMORY_SYSTEM_PROMPT_ADDITION}` : basePrompt;
}

/** The text the model receives for the user's message; what is stored stays as typed. */
export function messageForModel(userMessage: string, newSession: boolean, memoryActive: boolean): string {
  return newSession && memoryActive ? `${userMessage}\n\n${NEW_SESSION_MEMORY_NUDGE}` : userMessage;
}
