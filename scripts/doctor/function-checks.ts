import { ok, type Finding } from './finding.js';

/** The function's MEMORY_ID against the memory being checked. */
export function checkFunctionMemoryId(functionName: string, actual: string | undefined, expected: string): Finding {
  if (actual === expected) return ok('function.memoryId', `function ${functionName} has MEMORY_ID ${expected}`);
  return {
    check: 'function.memoryId',
    status: 'drift',
    subject: functionName,
    expected,
    deployed: actual ?? null,
    message: `function ${functionName} has MEMORY_ID ${actual ?? '(unset)'}, not ${expected}: it is granted another memory than the one checked; deploy the stack that creates the function, or check --memory-id`,
  };
}
