import type { ToolResultStatus, ToolSpecification } from '@aws-sdk/client-bedrock-runtime';
import { BUILT_IN_TOOL_NAMES } from '../../contract/index.js';
import { ToolRegistryError } from '../../platform/errors.js';
import { DeadlineExceededError, callWithDeadline } from '../../platform/deadlines.js';
import { AGENT_CORE_MEMORY_TOOL_NAME } from '../memory/tool.js';
import { textOutcome, type AgentTool, type ToolOutcome, type ToolRunContext } from './tool.js';

/** Tool names Bedrock Converse accepts: 1-64 letters, digits, `_` and `-`. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
/** Tools of your own a function may register; more would crowd the model's prompt. */
export const MAX_CUSTOM_TOOLS = 32;
/** How long a tool of your own may run when it names no `timeoutMs`. */
export const DEFAULT_CUSTOM_TOOL_TIMEOUT_MS = 10_000;
/** Text a tool returns is cut here, so one answer cannot crowd out the conversation. */
export const CUSTOM_TOOL_RESULT_MAX_LENGTH = 50_000;
const RESERVED_NAMES: ReadonlySet<string> = new Set([AGENT_CORE_MEMORY_TOOL_NAME, ...BUILT_IN_TOOL_NAMES]);

/** What a tool of your own answers: text, or a result with its own status and content blocks. */
export type CustomToolResult =
  string | { readonly status?: ToolResultStatus; readonly text?: string; readonly json?: Record<string, unknown> };

/** A tool of your own, offered to the model beside the memory tool and the built-in tools. */
export interface CustomTool {
  /** 1-64 letters, digits, `_` and `-`; not `agent_core_memory` nor a built-in tool's name. */
  readonly name: string;
  /** What the tool does and when to use it, for the model. */
  readonly description: string;
  /** JSON Schema of the input object (`{ type: 'object', properties: ... }`) the model is asked to send. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
  /**
   * Runs one tool use. `input` is what the model sent, parsed from JSON: untrusted, and not
   * checked against `inputSchema`; validate it before use. Stop when `context.abortSignal`
   * fires. A throw becomes an error tool result (the turn goes on); the error is logged.
   */
  run(input: unknown, context: ToolRunContext): Promise<CustomToolResult> | CustomToolResult;
  /**
   * Longest one use may run, in milliseconds; it is cut off sooner at the turn's deadline.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /**
   * Agent ids offered this tool.
   * @default - every agent of the function
   */
  readonly agents?: readonly string[];
}

export { ToolRegistryError };

/**
 * The tools of your own a converse function offers. Validated once, when built: a bad name,
 * a clash, a schema that is not a JSON object schema fail at cold start, not in a turn. The
 * tools an agent gets are sorted by name and their specifications frozen, so the tool list
 * is byte-identical on every request of an agent (the prompt cache reads it back).
 */
export class ToolRegistry {
  private readonly tools: readonly RegisteredTool[];

  /** @throws ToolRegistryError listing every problem */
  constructor(tools: readonly CustomTool[] = []) {
    const problems = registryProblems(tools);
    if (problems.length > 0) throw new ToolRegistryError(problems);
    this.tools = [...tools]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((tool) => new RegisteredTool(tool));
  }

  /** Names of the registered tools, in the order the model sees them. */
  get names(): string[] {
    return this.tools.map((tool) => tool.spec.name!);
  }

  /** The tools offered to an agent, sorted by name. */
  toolsFor(agentId: string): AgentTool[] {
    return this.tools.filter((tool) => tool.offeredTo(agentId));
  }
}

function registryProblems(registered: readonly CustomTool[]): string[] {
  if (!Array.isArray(registered)) return ['tools must be an array'];
  // Checked as untyped values: a registry may be built from JavaScript or configuration.
  const tools = registered as readonly (Partial<CustomTool> | undefined)[];
  const problems: string[] = [];
  if (tools.length > MAX_CUSTOM_TOOLS) problems.push(`at most ${MAX_CUSTOM_TOOLS} tools (got ${tools.length})`);
  const seen = new Set<string>();
  tools.forEach((tool, index) => {
    const name = typeof tool?.name === 'string' ? tool.name : '';
    const label = name === '' ? `tool ${index}` : `tool '${name}'`;
    if (!TOOL_NAME_PATTERN.test(name)) problems.push(`${label}: name must be 1-64 letters, digits, '_' and '-'`);
    if (RESERVED_NAMES.has(name)) problems.push(`${label}: the name is taken by a tool of the runtime`);
    if (seen.has(name)) problems.push(`${label}: registered twice; each tool needs its own name`);
    seen.add(name);
    if (typeof tool?.description !== 'string' || tool.description.trim() === '') {
      problems.push(`${label}: description must be non-empty text`);
    }
    if (!isObjectSchema(tool?.inputSchema)) {
      problems.push(`${label}: inputSchema must be a JSON Schema object with type 'object'`);
    }
    if (typeof tool?.run !== 'function') problems.push(`${label}: run must be a function`);
    const { timeoutMs } = tool ?? {};
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
      problems.push(`${label}: timeoutMs must be a whole number of milliseconds above 0`);
    }
    if (
      tool?.agents !== undefined &&
      !(Array.isArray(tool.agents) && tool.agents.every((id: unknown) => typeof id === 'string'))
    ) {
      problems.push(`${label}: agents must be a list of agent ids`);
    }
  });
  return problems;
}

function isObjectSchema(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return false;
  try {
    const copy: unknown = JSON.parse(JSON.stringify(schema));
    return (copy as { type?: unknown }).type === 'object';
  } catch {
    return false;
  }
}

/** A registered tool as the agent loop runs it: bounded in time, its answer normalized. */
class RegisteredTool implements AgentTool {
  readonly spec: ToolSpecification;
  private readonly agents: ReadonlySet<string> | undefined;

  constructor(private readonly tool: CustomTool) {
    // A copy the caller cannot change later: the tool list stays the same on every request.
    const json = JSON.parse(JSON.stringify(tool.inputSchema)) as Record<string, never>;
    this.spec = Object.freeze({ name: tool.name, description: tool.description, inputSchema: { json } });
    this.agents = tool.agents === undefined ? undefined : new Set(tool.agents);
  }

  offeredTo(agentId: string): boolean {
    return this.agents === undefined || this.agents.has(agentId);
  }

  async run(input: unknown, context: ToolRunContext): Promise<ToolOutcome> {
    const timeoutMs = this.tool.timeoutMs ?? DEFAULT_CUSTOM_TOOL_TIMEOUT_MS;
    const deadline = Math.min(Date.now() + timeoutMs, context.deadline);
    try {
      const result = await callWithDeadline(`tool ${this.tool.name}`, deadline, (abortSignal) => {
        const both = AbortSignal.any([abortSignal, context.abortSignal]);
        return Promise.resolve(this.tool.run(input, { abortSignal: both, deadline }));
      });
      return outcomeOf(result);
    } catch (error) {
      if (error instanceof DeadlineExceededError) {
        return textOutcome(`The ${this.tool.name} tool did not answer in time.`, 'error');
      }
      throw error;
    }
  }
}

function outcomeOf(result: CustomToolResult): ToolOutcome {
  if (typeof result === 'string') return textOutcome(capped(result));
  if (result === null || typeof result !== 'object') return textOutcome('The tool returned no result.', 'error');
  const content: ToolOutcome['content'] = [];
  if (typeof result.text === 'string') content.push({ text: capped(result.text) });
  if (result.json !== undefined && result.json !== null && typeof result.json === 'object') {
    content.push({ json: JSON.parse(JSON.stringify(result.json)) as Record<string, never> });
  }
  if (content.length === 0) content.push({ text: '' });
  return { status: result.status === 'error' ? 'error' : 'success', content };
}

function capped(text: string): string {
  if (text.length <= CUSTOM_TOOL_RESULT_MAX_LENGTH) return text;
  const cut = text.slice(0, CUSTOM_TOOL_RESULT_MAX_LENGTH);
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut} [cut: the tool's answer was longer]`;
}
