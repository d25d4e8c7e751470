/**
 * Throws one error listing every problem found, so a user fixes them all in one pass
 * rather than one synth at a time. `subject` names what was checked and where, for
 * example `AgentMemory props at Stack/Memory`.
 */
export function throwIfInvalid(subject: string, errors: readonly string[]): void {
  if (errors.length > 0) throw new Error(`Invalid ${subject}:\n  - ${errors.join('\n  - ')}`);
}
