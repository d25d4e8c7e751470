import type { AgentDefinition } from '../../contract/index.js';
import { builtInTools } from './built-in.js';
import type { ToolRegistry } from './registry.js';
import type { AgentTool } from './tool.js';

/**
 * The tools a turn offers the model, in a fixed order: the memory tool (when memory is
 * active), the built-in tools the agent names, then the function's tools of your own
 * offered to this agent, by name. Only agent-level inputs decide it, so the tool list is
 * byte-identical for every user of an agent.
 */
export function toolsForAgent(
  agent: AgentDefinition,
  memoryTool: AgentTool | undefined,
  registry: ToolRegistry | undefined,
): AgentTool[] {
  return [
    ...(memoryTool ? [memoryTool] : []),
    ...builtInTools(agent.tools),
    ...(registry?.toolsFor(agent.agent_id) ?? []),
  ];
}
