/**
 * Which memory records a `retrieve` returned in this session: the only ones a `forget` may
 * delete. They are the ids in the memory tool's retrieve results, this turn's (noted as they
 * are returned) and earlier turns' (read back from the stored exchanges the model is sent
 * again), so nothing is stored for it beyond what the session history already holds, and a
 * record the model has not been shown in this session can never be named.
 */
import type { Message, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import type { StoredTurn } from '../history/stored-turn.js';

/** The record ids in one retrieve result: `{ memories: [{ id }] }`, as a JSON block or its text. */
function idsInResult(content: readonly ToolResultContentBlock[] | undefined): string[] {
  return (content ?? []).flatMap((block) => {
    let document: unknown = block.json;
    if (document === undefined && block.text !== undefined) {
      try {
        document = JSON.parse(block.text);
      } catch {
        return [];
      }
    }
    const memories = (document as { memories?: unknown } | null | undefined)?.memories;
    if (!Array.isArray(memories)) return [];
    return memories.flatMap((memory: unknown) => {
      const id = (memory as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [id] : [];
    });
  });
}

/** The ids of every record the retrieves of the memory tool (named `toolName`) returned in these messages. */
export function recordIdsRetrievedIn(messages: readonly Message[], toolName: string): string[] {
  const retrieveUses = new Set<string>();
  const ids: string[] = [];
  for (const message of messages) {
    for (const block of message.content ?? []) {
      const use = block.toolUse;
      if (message.role === 'assistant' && use?.name === toolName && use.toolUseId !== undefined) {
        if ((use.input as { action?: unknown } | undefined)?.action === 'retrieve') retrieveUses.add(use.toolUseId);
      }
      const result = block.toolResult;
      if (message.role === 'user' && result?.toolUseId !== undefined && retrieveUses.has(result.toolUseId)) {
        ids.push(...idsInResult(result.content));
      }
    }
  }
  return ids;
}

/** The record ids retrieved in the session so far: earlier turns', then this turn's as they come. */
export class SessionRetrievals {
  private readonly ids = new Set<string>();

  constructor(private readonly toolName: string) {}

  /** Notes the records the retrieves of the session's stored turns returned. */
  addStoredTurns(turns: readonly StoredTurn[]): void {
    for (const turn of turns) for (const id of recordIdsRetrievedIn(turn.exchange, this.toolName)) this.ids.add(id);
  }

  add(memoryRecordIds: Iterable<string>): void {
    for (const id of memoryRecordIds) this.ids.add(id);
  }

  has(memoryRecordId: string): boolean {
    return this.ids.has(memoryRecordId);
  }
}
