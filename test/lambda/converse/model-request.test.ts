import type { AgentDefinition } from '../../../lambda/contract/index.js';
import { MEMORY_SYSTEM_PROMPT_ADDITION, NEW_SESSION_MEMORY_NUDGE } from '../../../lambda/converse/memory/prompts.js';
import { AGENT_CORE_MEMORY_TOOL_SPEC } from '../../../lambda/converse/memory/tool.js';
import { withConversationCachePoints } from '../../../lambda/converse/loop/prompt-caching.js';
import { buildModelRequest, type ModelRequestInput } from '../../../lambda/converse/turn/request.js';
import { loaded } from '../../../lambda/platform/outcome.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

function agent(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  return { agent_id: 'default', base_prompt: 'Be helpful.', foundation_model: CLAUDE, ...overrides };
}

function input(overrides: Partial<ModelRequestInput> = {}): ModelRequestInput {
  return {
    agent: agent(),
    memoryActive: true,
    history: [],
    newSession: true,
    userMessage: 'Hello',
    prefetched: undefined,
    toolSpecs: [AGENT_CORE_MEMORY_TOOL_SPEC],
    ...overrides,
  };
}

describe('the model request of a turn, built without any AWS call', () => {
  it('has the base prompt with the memory addition, the tools, and the nudged message on a new session', () => {
    const request = buildModelRequest(input());

    expect(request.modelId).toBe(CLAUDE);
    expect(request.system).toEqual([
      { text: `Be helpful.\n\n${MEMORY_SYSTEM_PROMPT_ADDITION}` },
      { cachePoint: { type: 'default' } },
    ]);
    expect(request.toolConfig?.tools).toEqual([
      { toolSpec: AGENT_CORE_MEMORY_TOOL_SPEC },
      { cachePoint: { type: 'default' } },
    ]);
    expect(request.messages[0]).toEqual({
      role: 'user',
      content: [{ text: 'Hello' }, { text: NEW_SESSION_MEMORY_NUDGE }],
    });
  });

  it('hands the prefetched retrieval over as a retrieve tool use and its result, under the stored id', () => {
    const request = buildModelRequest(
      input({
        prefetched: {
          toolUseId: 'memory_prefetch_1',
          query: 'Hello',
          outcome: loaded([{ memoryRecordId: 'r', text: 'Likes tea', namespace: '/p/', score: 1 }]),
        },
      }),
    );

    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        {
          toolUse: {
            toolUseId: 'memory_prefetch_1',
            name: 'agent_core_memory',
            input: { action: 'retrieve', query: 'Hello' },
          },
        },
      ],
    });
    const toolResult = request.messages[2].content![0].toolResult!;
    expect(toolResult.toolUseId).toBe('memory_prefetch_1');
    expect(JSON.stringify(toolResult.content)).toContain('Likes tea');
    expect(JSON.stringify(request.system)).not.toContain('Likes tea');
  });

  it('sends no tool config when no tool is offered, and maps the inference settings', () => {
    const request = buildModelRequest(
      input({
        agent: agent({ inference: { max_tokens: 100, temperature: 0.2 } }),
        memoryActive: false,
        toolSpecs: [],
      }),
    );

    expect(request.toolConfig).toBeUndefined();
    expect(request.inferenceConfig).toEqual({ maxTokens: 100, temperature: 0.2, topP: undefined });
    expect(request.messages).toEqual([{ role: 'user', content: [{ text: 'Hello' }] }]);
  });
});

describe('cache points of the model request', () => {
  const history = [
    {
      key: 'turn#1',
      userMessage: 'Earlier',
      exchange: [{ role: 'assistant' as const, content: [{ text: 'Earlier answer' }] }],
    },
  ];

  function cachePoints(request: ReturnType<typeof buildModelRequest>): unknown[] {
    const messages = request.conversationCache
      ? withConversationCachePoints(request.messages, request.conversationCache)
      : request.messages;
    return [
      ...request.system,
      ...(request.toolConfig?.tools ?? []),
      ...messages.flatMap((message) => message.content ?? []),
    ].filter((block) => 'cachePoint' in block && block.cachePoint !== undefined);
  }

  it.each([
    ['Claude: system, tools, history and last message', CLAUDE, 4],
    ['Nova: system, history and last message (Nova caches no tools)', 'us.amazon.nova-pro-v1:0', 3],
    ['Llama: none', 'us.meta.llama3-3-70b-instruct-v1:0', 0],
  ])('%s', (_case, model, expected) => {
    const request = buildModelRequest(input({ agent: agent({ foundation_model: model }), history, newSession: false }));

    expect(cachePoints(request)).toHaveLength(expected);
  });

  it('asks for a one-hour TTL only where the agent wants it and the model accepts it', () => {
    const oneHour = buildModelRequest(input({ agent: agent({ cache_ttl: '1h' }), history, newSession: false }));
    const olderModel = buildModelRequest(
      input({
        agent: agent({ cache_ttl: '1h', foundation_model: 'anthropic.claude-sonnet-4-20250514-v1:0' }),
        history,
        newSession: false,
      }),
    );

    expect(new Set(cachePoints(oneHour).map((block) => JSON.stringify(block)))).toEqual(
      new Set([JSON.stringify({ cachePoint: { type: 'default', ttl: '1h' } })]),
    );
    expect(new Set(cachePoints(olderModel).map((block) => JSON.stringify(block)))).toEqual(
      new Set([JSON.stringify({ cachePoint: { type: 'default' } })]),
    );
  });

  it('leaves the conversation itself without cache points (they are placed per model call)', () => {
    const request = buildModelRequest(input({ history, newSession: false }));

    expect(JSON.stringify(request.messages)).not.toContain('cachePoint');
    expect(request.turnStart).toBe(request.messages.length);
    expect(request.historyStart).toBe('turn#1');
  });
});
