import type { Logger } from '@aws-lambda-powertools/logger';
import type { ContentBlock, ToolUseBlock } from '@aws-sdk/client-bedrock-runtime';
import { logError } from '../../platform/logging.js';
import { textOutcome, type AgentTool, type ToolOutcome, type ToolRunContext } from '../tools/tool.js';
import { mapWithConcurrency, type ToolUseBudget } from './tool-budget.js';
import { toolResultBlock } from './tool-results.js';

export interface ToolRunsInput {
  readonly toolsByName: ReadonlyMap<string, AgentTool>;
  readonly budget: ToolUseBudget;
  /** Fires at the deadline: every tool is told to stop. */
  readonly abortSignal: AbortSignal;
  /** Epoch milliseconds at which every tool is told to stop (the turn's answer deadline). */
  readonly deadline: number;
  readonly toolResultStatus: boolean;
  readonly logger: Logger;
}

/**
 * Answers every tool use of one model reply, in order: those the budget admits run (at
 * most `concurrency` at a time, each told to stop at the deadline), the others get an error
 * result saying why. Never throws: a tool that throws gives the model an error result.
 */
export async function runToolUses(toolUses: readonly ToolUseBlock[], input: ToolRunsInput): Promise<ContentBlock[]> {
  const admissions = input.budget.admit(
    toolUses.map((toolUse) => ({
      writesMemory: input.toolsByName.get(toolUse.name ?? '')?.writesMemory?.(toolUse.input) ?? false,
    })),
  );
  const refused = admissions.filter((admission) => !admission.run).length;
  if (refused > 0) {
    input.logger.warn('tool uses refused by the agent tool limits', {
      requested: toolUses.length,
      refused,
      limits: input.budget.limits,
    });
  }
  const context: ToolRunContext = { abortSignal: input.abortSignal, deadline: input.deadline };
  const outcomes = await mapWithConcurrency(
    toolUses.map((toolUse, index) => ({ toolUse, admission: admissions[index] })),
    input.budget.limits.concurrency,
    async ({ toolUse, admission }): Promise<ToolOutcome> =>
      admission.run
        ? runTool(input.toolsByName.get(toolUse.name ?? ''), toolUse, context, input.logger)
        : textOutcome(admission.reason, 'error'),
  );
  return outcomes.map((outcome, index) => toolResultBlock(toolUses[index].toolUseId, outcome, input.toolResultStatus));
}

async function runTool(
  tool: AgentTool | undefined,
  toolUse: ToolUseBlock,
  context: ToolRunContext,
  logger: Logger,
): Promise<ToolOutcome> {
  const name = toolUse.name ?? '';
  if (tool === undefined) return textOutcome(`Unknown tool "${name}".`, 'error');
  try {
    return await tool.run(toolUse.input, context);
  } catch (error) {
    logError(logger, 'tool failed', error, { tool: name });
    return textOutcome(`The ${name} tool failed.`, 'error');
  }
}
