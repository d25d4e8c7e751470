import { Token } from 'aws-cdk-lib';
import type { AgentDefinitionOptions } from '../agent-definitions/agent-definition-options.js';
import type { IAgentDefinitionTable } from '../agent-definitions/agent-definition-table-base.js';
import type { IAgentMemory } from '../memory/agent-memory-base.js';

/** A foundation model or inference profile ARN names the same model as its id. */
function modelIdOf(model: string): string {
  return /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile)\/(.+)$/.exec(model)?.[1] ?? model;
}

function sameMemory(a: IAgentMemory, b: IAgentMemory): boolean {
  if (a === b) return true;
  return !Token.isUnresolved(a.memoryId) && !Token.isUnresolved(b.memoryId) && a.memoryId === b.memoryId;
}

/**
 * Why the function cannot serve the agents its table defines with `addAgent`: an agent
 * whose memory is not the function's (the function's role reaches its own memory only),
 * or whose model is not among the function's `models` (the only models it is granted).
 * Refused at synth rather than found as AccessDenied at run time.
 */
export function agentCompatibilityErrors(
  agentTable: IAgentDefinitionTable,
  memory: IAgentMemory,
  models: readonly string[],
): string[] {
  const agents = (agentTable as { definedAgents?: readonly AgentDefinitionOptions[] }).definedAgents ?? [];
  const granted = new Set(models.map(modelIdOf));
  return agents.flatMap((agent) => {
    const errors: string[] = [];
    if (agent.memory && !sameMemory(agent.memory, memory)) {
      errors.push(
        `agent '${agent.agentId}' uses the memory ${agent.memory.node.path}, but this function is granted only ${memory.node.path}: give the agent this function's memory, or serve it with a converse function of its own`,
      );
    }
    if (!Token.isUnresolved(agent.foundationModel) && !granted.has(modelIdOf(agent.foundationModel))) {
      errors.push(
        `agent '${agent.agentId}' calls '${agent.foundationModel}', which is not in this function's models (${models.join(', ')}): add it to models so the function is granted it`,
      );
    }
    return errors;
  });
}
