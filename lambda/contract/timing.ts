/**
 * Time budgets the constructs and the runtime must agree on: a construct sizes a timeout
 * or an alarm from the same number the handler stops at.
 */

/**
 * Seconds the converse function keeps in hand at the end of its timeout to close the
 * stream and save the turn: the turn stops taking model calls this long before Lambda
 * would end it.
 */
export const TURN_RESERVE_SECONDS = 30;

/**
 * Seconds between forget's first sweep and the next: AgentCore extracts long-term records
 * some 30-60 s after events arrive, so a record extracted meanwhile is found by the second.
 */
export const DEFAULT_SECOND_SWEEP_DELAY_SECONDS = 90;
