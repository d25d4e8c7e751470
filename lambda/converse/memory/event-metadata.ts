/**
 * The metadata on every event a turn writes to AgentCore short-term memory, so extraction,
 * filters on listed events and anyone inspecting the memory can tell which agent wrote an event,
 * in which memory mode, and where its content came from.
 */
import type { MetadataValue } from '@aws-sdk/client-bedrock-agentcore';
import type { MemoryScope } from './tool.js';

/** The event metadata keys; `agentId` is also the key the Strands plugin names agents by. */
export const EVENT_METADATA_KEYS = { agentId: 'agentId', memoryMode: 'memoryMode', source: 'source' } as const;

/**
 * Where an event's content came from: the user's typed message alone (the answer was cut off
 * or blank), the user's message and the model's answer (the payload's roles tell them
 * apart), or a memory the model saved with the memory tool's `record`.
 */
export const EVENT_SOURCES = { user: 'user', userAndModel: 'user_and_model', memoryTool: 'memory_tool' } as const;
export type EventSource = (typeof EVENT_SOURCES)[keyof typeof EVENT_SOURCES];

export function turnEventMetadata(scope: MemoryScope, source: EventSource): Record<string, MetadataValue> {
  return {
    [EVENT_METADATA_KEYS.agentId]: { stringValue: scope.settings.agentId },
    [EVENT_METADATA_KEYS.memoryMode]: { stringValue: scope.incognito ? 'incognito' : 'learn' },
    [EVENT_METADATA_KEYS.source]: { stringValue: source },
  };
}
