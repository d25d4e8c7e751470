import './support/environment.js';
import { CreateEventCommand, RetrieveMemoryRecordsCommand } from '@aws-sdk/client-bedrock-agentcore';
import type { ContentBlock, ToolResultBlock } from '@aws-sdk/client-bedrock-runtime';
import {
  DEFAULT_RETRIEVAL_CONFIG,
  DEFAULT_TOOL_LIMITS,
  agentCoreCallBound,
  agentDefinitionSchema,
  toolLimitsSchema,
} from '../../../lambda/contract/index.js';
import { MAX_MODEL_CALLS_PER_TURN } from '../../../lambda/converse/loop/agent-loop.js';
import { ToolRegistry } from '../../../lambda/converse/tools/registry.js';
import { memoryAgent, useConverseHarness } from './support/harness.js';
import { textReply, toolUseReply, type ScriptedToolUse } from './support/model-replies.js';

const harness = useConverseHarness();
const DEFAULT_NAMESPACES = Object.keys(DEFAULT_RETRIEVAL_CONFIG).length;

/** `count` memory tool uses in one reply: retrieves and records alternating. */
function memoryToolUses(prefix: string, count: number): ScriptedToolUse[] {
  return Array.from({ length: count }, (_, index) => ({
    toolUseId: `${prefix}${index}`,
    name: 'agent_core_memory',
    input: index % 2 === 0 ? { action: 'retrieve', query: `q${index}` } : { action: 'record', content: `c${index}` },
  }));
}

function agentCoreCalls(): { total: number; writes: number } {
  const retrieves = harness.agentCore.commandCalls(RetrieveMemoryRecordsCommand).length;
  const writes = harness.agentCore.commandCalls(CreateEventCommand).length;
  return { total: retrieves + writes, writes };
}

/** The tool results the model was sent after its call `call` (0-based), by tool use id. */
function resultsAfterCall(call: number): Map<string, ToolResultBlock> {
  const sent = harness.modelRequests[call + 1].messages!.at(-1)!.content!;
  return new Map(
    sent.flatMap((block: ContentBlock) => (block.toolResult ? [[block.toolResult.toolUseId!, block.toolResult]] : [])),
  );
}

function resultText(result: ToolResultBlock | undefined): string {
  return (result?.content ?? []).map((block) => block.text ?? JSON.stringify(block.json)).join('');
}

describe('the AgentCore call bound of a turn', () => {
  it('is 56 calls, 5 of them writes, with the default limits and the default retrieval namespaces', () => {
    expect(DEFAULT_TOOL_LIMITS).toEqual({
      per_reply: 8,
      per_turn: 12,
      records_per_turn: 3,
      forgets_per_turn: 3,
      concurrency: 4,
    });
    const bound = agentCoreCallBound(DEFAULT_TOOL_LIMITS, DEFAULT_NAMESPACES);
    expect(bound).toEqual({ total: 56, writes: 5 });
    expect(bound.total).toBeLessThanOrEqual(64);
    expect(bound.writes).toBeLessThanOrEqual(5);
  });

  it('holds for a single reply of 200 tool uses: every use answered, the stream ended once', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(toolUseReply(memoryToolUses('a', 200)), textReply('done'));

    const response = await harness.invoke({ agentId: 'default', userId: 'alice', message: 'hi' });

    const bound = agentCoreCallBound(DEFAULT_TOOL_LIMITS, DEFAULT_NAMESPACES);
    const calls = agentCoreCalls();
    expect(calls.total).toBeLessThanOrEqual(bound.total);
    expect(calls.writes).toBeLessThanOrEqual(bound.writes);
    // 8 of the 200 run: 5 retrieves and 3 records (the 4th record is refused, so the 5th retrieve runs),
    // plus the first-turn retrieval and the turn's own event.
    expect(calls).toEqual({ total: 5 * DEFAULT_NAMESPACES + 3 + DEFAULT_NAMESPACES + 1, writes: 4 });
    const results = resultsAfterCall(0);
    expect(results.size).toBe(200);
    const refused = [...results.values()].filter((result) => /^Not (run|saved)/.test(resultText(result)));
    expect(refused).toHaveLength(192);
    expect(refused.every((result) => result.status === 'error')).toBe(true);
    expect(resultText(results.get('a7'))).toContain('at most 3 memories are saved per turn');
    expect(resultText(results.get('a8'))).not.toContain('Not run');
    expect(resultText(results.get('a10'))).toContain(
      'at most 8 tool uses run from one reply, and this reply asked for 200',
    );
    expect(response.events.filter((event) => event.event === 'done' || event.event === 'error')).toHaveLength(1);
    expect(response.events.at(-1)?.event).toBe('done');
  });

  it('holds when every reply of the turn asks for 200 tool uses', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(
      ...Array.from({ length: MAX_MODEL_CALLS_PER_TURN }, (_, reply) =>
        toolUseReply(memoryToolUses(`r${reply}-`, 200)),
      ),
    );

    const response = await harness.invoke({ agentId: 'default', userId: 'alice', message: 'hi' });

    const bound = agentCoreCallBound(DEFAULT_TOOL_LIMITS, DEFAULT_NAMESPACES);
    const calls = agentCoreCalls();
    expect(calls.total).toBeLessThanOrEqual(bound.total);
    expect(calls.writes).toBeLessThanOrEqual(bound.writes);
    // Every reply but the last had all its 200 tool uses answered.
    for (let call = 0; call < MAX_MODEL_CALLS_PER_TURN - 1; call++) expect(resultsAfterCall(call).size).toBe(200);
    // Retrieves run until the turn's 12 tool uses are spent; records stop at 3.
    expect(harness.agentCore.commandCalls(RetrieveMemoryRecordsCommand).length).toBe(
      (DEFAULT_TOOL_LIMITS.per_turn - DEFAULT_TOOL_LIMITS.records_per_turn + 1) * DEFAULT_NAMESPACES,
    );
    expect(resultText(resultsAfterCall(2).get('r2-0'))).toContain('this turn has used all 12 of its tool uses');
    expect(resultText(resultsAfterCall(0).get('r0-7'))).toContain('at most 3 memories are saved per turn');
    expect(response.events.filter((event) => event.event === 'done' || event.event === 'error')).toHaveLength(1);
  });

  it("takes the agent item's tool_limits: 2 per reply, 3 per turn, no records", async () => {
    await harness.putAgent(
      memoryAgent({ tool_limits: { per_reply: 2, per_turn: 3, records_per_turn: 0, concurrency: 1 } }),
    );
    harness.modelReplies(toolUseReply(memoryToolUses('a', 4)), toolUseReply(memoryToolUses('b', 2)), textReply('done'));

    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'hi' });

    const first = resultsAfterCall(0);
    expect(resultText(first.get('a0'))).not.toContain('Not');
    expect(resultText(first.get('a1'))).toContain('saves nothing to long-term memory');
    expect(resultText(first.get('a2'))).not.toContain('Not');
    expect(resultText(first.get('a3'))).toContain('at most 2 tool uses run from one reply');
    expect(resultText(resultsAfterCall(1).get('b0'))).not.toContain('Not');
    expect(resultText(resultsAfterCall(1).get('b1'))).toContain('has used all 3 of its tool uses');
    // Only the turn's own event was written.
    expect(agentCoreCalls().writes).toBe(1);
  });

  it('runs at most `concurrency` tool uses of a reply at the same time', async () => {
    let running = 0;
    let most = 0;
    harness.override({
      tools: new ToolRegistry([
        {
          name: 'slow',
          description: 'Takes a moment.',
          inputSchema: { type: 'object', properties: {} },
          run: async () => {
            running++;
            most = Math.max(most, running);
            await new Promise((resolve) => setTimeout(resolve, 20));
            running--;
            return 'ok';
          },
        },
      ]),
    });
    await harness.putAgent(memoryAgent({ tool_limits: { per_reply: 8, per_turn: 8, concurrency: 3 } }));
    const slowUses = Array.from({ length: 8 }, (_, index) => ({ toolUseId: `s${index}`, name: 'slow', input: {} }));
    harness.modelReplies(toolUseReply(slowUses), textReply('done'));

    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'hi' });

    expect(most).toBe(3);
    expect([...resultsAfterCall(0).values()].map(resultText)).toEqual(Array(8).fill('ok'));
  });
});

describe('tool_limits in the agent item', () => {
  it('fills each field left out with its default', () => {
    expect(toolLimitsSchema.parse({ per_turn: 20 })).toEqual({ ...DEFAULT_TOOL_LIMITS, per_turn: 20 });
  });

  it.each([
    [{ per_reply: 0 }, 'per_reply'],
    [{ per_turn: 65 }, 'per_turn'],
    [{ records_per_turn: 1.5 }, 'records_per_turn'],
    [{ forgets_per_turn: 11 }, 'forgets_per_turn'],
    [{ concurrency: 17 }, 'concurrency'],
    [{ per_reply: 10, per_turn: 9 }, 'per_reply'],
  ])('refuses %j, naming %s', (limits, field) => {
    const result = agentDefinitionSchema.safeParse({ ...memoryAgent(), tool_limits: limits });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(`tool_limits.${field}`);
  });
});
