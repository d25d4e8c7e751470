import type { GuardrailStreamConfiguration } from '@aws-sdk/client-bedrock-runtime';
import { GUARDRAIL_INTERVENED_STOP_REASON, type GuardrailSettings } from '../../contract/index.js';

/**
 * The ConverseStream `guardrailConfig` of an agent's guardrail. `sync`: Bedrock checks each
 * piece of the answer before it is streamed, so blocked text never reaches the caller
 * (`async` streams first and checks later). Trace off: the assessment would carry the
 * blocked content and the policy's details, which the caller must not see.
 */
export function guardrailStreamConfig(
  guardrail: GuardrailSettings | undefined,
): GuardrailStreamConfiguration | undefined {
  if (guardrail === undefined) return undefined;
  return {
    guardrailIdentifier: guardrail.id,
    guardrailVersion: guardrail.version,
    trace: 'disabled',
    streamProcessingMode: 'sync',
  };
}

/** What session history keeps of the user's message in a turn the guardrail blocked. */
export const GUARDRAIL_WITHHELD_MESSAGE = '[withheld: the guardrail blocked this turn]';

/**
 * What a finished turn keeps. When the guardrail intervened (the stop reason says so, and
 * without a trace nobody can tell whether the input or the answer was blocked), the user's
 * message and the turn's tool exchanges (whose queries may repeat it) are withheld from
 * session history, and nothing of the turn goes to AgentCore, so blocked content is neither
 * shown back to the model nor learned. The answer (the guardrail's own blocked message) is kept.
 */
export function keptOfTurn<T>(
  stopReason: string,
  userMessage: string,
  exchange: readonly T[],
): { readonly userMessage: string; readonly exchange: readonly T[]; readonly toMemory: boolean } {
  if (stopReason !== GUARDRAIL_INTERVENED_STOP_REASON) return { userMessage, exchange, toMemory: true };
  return { userMessage: GUARDRAIL_WITHHELD_MESSAGE, exchange: [], toMemory: false };
}
