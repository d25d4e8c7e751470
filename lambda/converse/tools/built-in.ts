import type { BuiltInToolName } from '../../contract/index.js';
import { CurrentTimeTool } from './current-time.js';
import type { AgentTool } from './tool.js';

const BUILT_IN_TOOLS: Record<BuiltInToolName, () => AgentTool> = {
  current_time: () => new CurrentTimeTool(),
};

/** The built-in tools an agent definition names, in the order it names them. */
export function builtInTools(names: readonly BuiltInToolName[] = []): AgentTool[] {
  return [...new Set(names)].map((name) => BUILT_IN_TOOLS[name]());
}
