import type { ContentBlock, Message, ToolResultBlock, ToolUseBlock } from '@aws-sdk/client-bedrock-runtime';
import { appendContent } from '../loop/messages.js';
import { toolResultContentFor } from '../loop/tool-results.js';
import { neutraliseRuntimeMarkers } from '../memory/framing.js';
import { AGENT_CORE_MEMORY_TOOL_NAME } from '../memory/tool.js';
import type { StoredTurn } from './stored-turn.js';

export interface ConversationOptions {
  /** Names of the tools the agent offers now. */
  readonly offeredTools: ReadonlySet<string>;
  /** Whether tool results may carry `status` for the agent's model. */
  readonly toolResultStatus: boolean;
}

/**
 * The stored turns as Converse messages, oldest first: each user message as typed, then
 * the turn's exchange in order. Bedrock only accepts a tool use answered by a tool result
 * in the next message, and only for a tool the request offers, so:
 * - a tool use without its result (or a result without its use) is left out;
 * - an exchange with a tool the agent no longer offers is sent as plain text, except a
 *   memory exchange of an agent whose memory is off, which is left out: memories reach
 *   the model only inside the memory tool's results.
 * The output depends only on the turns and the options, so it is byte-identical on every
 * request and the prompt cache can read it back.
 */
export function conversationMessages(turns: readonly StoredTurn[], options: ConversationOptions): Message[] {
  const messages: Message[] = [];
  for (const turn of turns) {
    // Stored as typed; an imitation of the runtime's marker is neutralised on every read.
    appendContent(messages, 'user', [{ text: neutraliseRuntimeMarkers(turn.userMessage) }]);
    const exchange = turn.exchange;
    for (let index = 0; index < exchange.length; index++) {
      const message = exchange[index];
      if (message.role === 'assistant') {
        const answered = toolResultsIn(exchange[index + 1]);
        appendContent(messages, 'assistant', assistantContent(message, answered, options));
      } else if (message.role === 'user') {
        const asked = toolUsesIn(exchange[index - 1]);
        appendContent(messages, 'user', toolResultContent(message, asked, options));
      }
    }
  }
  return messages;
}

function toolUsesIn(message: Message | undefined): Map<string, ToolUseBlock> {
  const uses = new Map<string, ToolUseBlock>();
  if (message?.role !== 'assistant') return uses;
  for (const block of message.content ?? [])
    if (block.toolUse?.toolUseId) uses.set(block.toolUse.toolUseId, block.toolUse);
  return uses;
}

function toolResultsIn(message: Message | undefined): Set<string> {
  const ids = new Set<string>();
  if (message?.role !== 'user') return ids;
  for (const block of message.content ?? []) if (block.toolResult?.toolUseId) ids.add(block.toolResult.toolUseId);
  return ids;
}

type Rendering = 'asTool' | 'asText' | 'leftOut';

function renderingOf(toolName: string | undefined, options: ConversationOptions): Rendering {
  if (toolName !== undefined && options.offeredTools.has(toolName)) return 'asTool';
  return toolName === AGENT_CORE_MEMORY_TOOL_NAME ? 'leftOut' : 'asText';
}

function assistantContent(message: Message, answered: Set<string>, options: ConversationOptions): ContentBlock[] {
  const content: ContentBlock[] = [];
  for (const block of message.content ?? []) {
    if (block.text !== undefined) {
      if (block.text.trim().length > 0) content.push({ text: block.text });
    } else if (block.toolUse !== undefined) {
      const { toolUseId, name, input } = block.toolUse;
      if (toolUseId === undefined || !answered.has(toolUseId)) continue;
      const rendering = renderingOf(name, options);
      if (rendering === 'asTool') content.push({ toolUse: { toolUseId, name, input } });
      else if (rendering === 'asText')
        content.push({ text: `[called the tool ${name} with ${JSON.stringify(input)}]` });
    }
  }
  return content;
}

/** Tool results first, then any text: Bedrock wants a user message's tool results ahead of its text. */
function toolResultContent(
  message: Message,
  asked: Map<string, ToolUseBlock>,
  options: ConversationOptions,
): ContentBlock[] {
  const results: ContentBlock[] = [];
  const texts: ContentBlock[] = [];
  for (const block of message.content ?? []) {
    if (block.toolResult === undefined) {
      if (block.text !== undefined && block.text.trim().length > 0) texts.push({ text: block.text });
      continue;
    }
    const result: ToolResultBlock = block.toolResult;
    const toolUse = result.toolUseId === undefined ? undefined : asked.get(result.toolUseId);
    if (toolUse === undefined) continue;
    const rendering = renderingOf(toolUse.name, options);
    if (rendering === 'asTool') {
      results.push({
        toolResult: {
          toolUseId: result.toolUseId,
          content: toolResultContentFor(result.content, options.toolResultStatus),
          ...(options.toolResultStatus && result.status !== undefined && { status: result.status }),
        },
      });
    } else if (rendering === 'asText') {
      const text = toolResultContentFor(result.content, false)
        .map((part) => part.text ?? '')
        .join('\n');
      const outcome = result.status === 'error' ? ' with an error' : '';
      texts.push({ text: `[the tool ${toolUse.name} answered${outcome}: ${text}]` });
    }
  }
  return [...results, ...texts];
}
