/**
 * The memory's strategies as they are now (GetMemory), so records of a strategy added
 * outside the stack that deployed the forget function are swept too. Optional: without a
 * control-plane client, or when the role may not call GetMemory, forgetting sweeps the
 * templates it was deployed with, the extra templates and the default roots.
 */
import { type BedrockAgentCoreControlClient, GetMemoryCommand } from '@aws-sdk/client-bedrock-agentcore-control';
import type { ForgetCalls } from './calls.js';
import type { MemoryStrategyNamespaces } from './target.js';

export async function readMemoryStrategies(
  control: BedrockAgentCoreControlClient | undefined,
  calls: ForgetCalls,
  memoryId: string,
): Promise<MemoryStrategyNamespaces[]> {
  if (control === undefined) return [];
  const outcome = await calls.send(
    'GetMemory',
    `memory ${memoryId}`,
    () => control.send(new GetMemoryCommand({ memoryId })),
    // Not granted: sweep what is known without it rather than fail the run.
    (error) => (error as Error).name === 'AccessDeniedException',
  );
  if (outcome.status !== 'done') return [];
  return (outcome.output.memory?.strategies ?? []).flatMap((strategy) =>
    strategy.strategyId === undefined
      ? []
      : [
          {
            strategyId: strategy.strategyId,
            templates: [...new Set([...(strategy.namespaceTemplates ?? []), ...(strategy.namespaces ?? [])])],
          },
        ],
  );
}
