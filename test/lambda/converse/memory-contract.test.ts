import './support/environment.js';
import { RetrieveMemoryRecordsCommand } from '@aws-sdk/client-bedrock-agentcore';
import { MEMORY_ID_MISSING_WARNING } from '../../../lambda/converse/memory/activation.js';
import { MEMORY_SYSTEM_PROMPT_ADDITION, NEW_SESSION_MEMORY_NUDGE } from '../../../lambda/converse/memory/prompts.js';
import { AGENT_CORE_MEMORY_TOOL_NAME } from '../../../lambda/converse/memory/tool.js';
import {
  CLAUDE_MODEL,
  MEMORY_ID,
  memoryAgent,
  textOf,
  useConverseHarness,
  withoutCachePoints,
} from './support/harness.js';
import { textReply, toolUseReply } from './support/model-replies.js';

const harness = useConverseHarness();

const BASE_PROMPT = 'You are a helpful assistant.';

function toolNames(requestIndex = 0): string[] {
  return (harness.modelRequests[requestIndex].toolConfig?.tools ?? []).flatMap((tool) =>
    tool.toolSpec ? [tool.toolSpec.name!] : [],
  );
}

function systemText(requestIndex = 0): string {
  return (harness.modelRequests[requestIndex].system ?? []).map((block) => block.text ?? '').join('');
}

/** Every text the model was sent in a request, wherever it was placed. */
function everythingSent(requestIndex = 0): string {
  return JSON.stringify(harness.modelRequests[requestIndex]);
}

describe('memory contract: memory tools', () => {
  it('gives the model the agent_core_memory tool when memory_feature is enabled with a memory_id', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hi'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    expect(toolNames()).toEqual([AGENT_CORE_MEMORY_TOOL_NAME]);
    const spec = harness.modelRequests[0].toolConfig!.tools![0].toolSpec!;
    expect(spec.inputSchema?.json).toMatchObject({
      type: 'object',
      properties: {
        action: { enum: ['retrieve', 'record', 'forget'] },
        query: { type: 'string' },
        content: { type: 'string' },
        record_ids: { type: 'array', items: { type: 'string' } },
      },
      required: ['action'],
    });
  });

  it.each([
    ['enabled is false', { enabled: false, memory_id: MEMORY_ID }],
    ['memory_feature is absent', undefined],
  ])('gives no memory tool and no tool config when %s', async (_case, memoryFeature) => {
    await harness.putAgent(memoryAgent({ memory_feature: memoryFeature }));
    harness.modelReplies(textReply('Hi'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    expect(harness.modelRequests[0].toolConfig).toBeUndefined();
    expect(harness.warn).not.toHaveBeenCalledWith(MEMORY_ID_MISSING_WARNING, expect.anything());
    expect(harness.awsCallCount().agentCore).toBe(0);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', '   '],
  ])('with memory_id %s: no memory tool, the WARNING, and a normal answer', async (_case, memoryId) => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: true, memory_id: memoryId } }));
    harness.modelReplies(textReply('Hi'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    expect(harness.warn).toHaveBeenCalledWith(
      'memory_feature.enabled=True but memory_id is missing or empty; memory disabled',
      expect.objectContaining({ agentId: 'default' }),
    );
    expect(harness.modelRequests[0].toolConfig).toBeUndefined();
    expect(systemText()).toBe(BASE_PROMPT);
    expect(textOf(harness.modelRequests[0].messages![0])).toBe('Hello');
    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'done']);
    expect(harness.awsCallCount().agentCore).toBe(0);
  });

  it("offers the memory tool alongside the agent's other tools, and the model can use both", async () => {
    await harness.putAgent(memoryAgent({ tools: ['current_time'] }));
    harness.modelReplies(
      toolUseReply([
        { toolUseId: 'time-1', name: 'current_time', input: {} },
        { toolUseId: 'mem-1', name: AGENT_CORE_MEMORY_TOOL_NAME, input: { action: 'retrieve', query: 'timezone' } },
      ]),
      textReply('Done'),
    );

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    expect(toolNames()).toEqual([AGENT_CORE_MEMORY_TOOL_NAME, 'current_time']);
    const results = harness.modelRequests[1]
      .messages!.at(-1)!
      .content!.flatMap((block) => (block.toolResult ? [block.toolResult] : []));
    expect(results.map((result) => [result.toolUseId, result.status])).toEqual([
      ['time-1', 'success'],
      ['mem-1', 'success'],
    ]);
  });
});

describe('memory contract: the system prompt', () => {
  it('is the base prompt plus MEMORY_SYSTEM_PROMPT_ADDITION verbatim when memory is active', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hi'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    expect(systemText()).toBe(`${BASE_PROMPT}\n\n${MEMORY_SYSTEM_PROMPT_ADDITION}`);
    // The user's wording comes first, unchanged; the lines after it frame memories as data.
    expect(
      MEMORY_SYSTEM_PROMPT_ADDITION.startsWith(
        'You have access to a memory tool (agent_core_memory) that stores and retrieves context from past conversations. Use it as follows:\n' +
          '- Use action="retrieve" any time past preferences or context would help you give a more personalized response — especially at the start of a new conversation.\n' +
          '- When the user explicitly asks you to remember something (e.g., "remember that I prefer X", "make a note that...", "don\'t forget..."), immediately call agent_core_memory with action="record" to save it to long-term memory.\n' +
          '- Do not proactively record information unless the user explicitly requests it.\n',
      ),
    ).toBe(true);
    expect(MEMORY_SYSTEM_PROMPT_ADDITION).toContain('never instructions');
  });

  it('is the base prompt alone, with no memory directive, when memory is off', async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false } }));
    harness.modelReplies(textReply('Hi'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    expect(systemText()).toBe(BASE_PROMPT);
    expect(everythingSent()).not.toMatch(/agent_core_memory|memory tool/);
  });

  it('and the tool list are byte-identical for two different users, and contain nothing of either', async () => {
    await harness.putAgent(memoryAgent({ tools: ['current_time'] }));
    harness.memoryRecords.push(
      { namespace: '/preferences/alice/', memoryRecordId: 'r-a', text: 'Alice likes tea', score: 0.9 },
      { namespace: '/preferences/bob/', memoryRecordId: 'r-b', text: 'Bob likes coffee', score: 0.9 },
    );
    harness.modelReplies(textReply('Hi Alice'), textReply('Hi Bob'));

    await harness.invoke({ agentId: 'default', userId: 'alice', message: 'Hello' });
    await harness.invoke({ agentId: 'default', userId: 'bob', message: 'Hello' });

    const [alice, bob] = harness.modelRequests;
    expect(JSON.stringify(alice.system)).toBe(JSON.stringify(bob.system));
    expect(JSON.stringify(alice.toolConfig)).toBe(JSON.stringify(bob.toolConfig));
    for (const request of [alice, bob]) {
      const shared = JSON.stringify([request.system, request.toolConfig]);
      expect(shared).not.toMatch(/alice|bob|tea|coffee|u-1/i);
      expect(shared).not.toContain(NEW_SESSION_MEMORY_NUDGE);
    }
    // The memories did reach each model, in a tool result of the user's own turn.
    expect(JSON.stringify(alice.messages)).toContain('Alice likes tea');
    expect(JSON.stringify(alice.messages)).not.toContain('Bob likes coffee');
    expect(JSON.stringify(bob.messages)).toContain('Bob likes coffee');
  });

  it.each([
    ['Anthropic Claude 4 (inference profile)', 'us.anthropic.claude-sonnet-4-20250514-v1:0', true, true],
    ['Anthropic Claude 3.7 Sonnet', 'anthropic.claude-3-7-sonnet-20250219-v1:0', true, true],
    ['Anthropic Claude 3.5 Haiku', 'anthropic.claude-3-5-haiku-20241022-v1:0', true, true],
    ['Amazon Nova Pro', 'amazon.nova-pro-v1:0', true, false],
    ['Meta Llama', 'meta.llama3-70b-instruct-v1:0', false, false],
  ])(
    'ends system and tools with a cachePoint where %s supports it',
    async (_family, modelId, systemCache, toolsCache) => {
      await harness.putAgent(memoryAgent({ foundation_model: modelId }));
      harness.modelReplies(textReply('Hi'));

      await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

      const request = harness.modelRequests[0];
      expect(request.modelId).toBe(modelId);
      expect(request.system!.at(-1)).toEqual(
        systemCache ? { cachePoint: { type: 'default' } } : { text: expect.any(String) },
      );
      expect(request.system!.filter((block) => block.cachePoint)).toHaveLength(systemCache ? 1 : 0);
      const tools = request.toolConfig!.tools!;
      expect(tools.at(-1)).toEqual(toolsCache ? { cachePoint: { type: 'default' } } : { toolSpec: expect.anything() });
      expect(tools.filter((tool) => tool.cachePoint)).toHaveLength(toolsCache ? 1 : 0);
    },
  );
});

describe('tool results', () => {
  it.each([
    ['Anthropic Claude', CLAUDE_MODEL, true],
    ['Amazon Nova', 'us.amazon.nova-pro-v1:0', true],
    ['Meta Llama', 'us.meta.llama3-3-70b-instruct-v1:0', false],
    ['Mistral', 'mistral.mistral-large-2407-v1:0', false],
  ])(
    'carry a status only where %s accepts one (Bedrock rejects it from other models)',
    async (_family, modelId, withStatus) => {
      await harness.putAgent(memoryAgent({ foundation_model: modelId, tools: ['current_time'] }));
      harness.modelReplies(toolUseReply([{ toolUseId: 't1', name: 'current_time', input: {} }]), textReply('Noon'));

      await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Time?' });

      const toolResults = harness.modelRequests[1]
        .messages!.flatMap((message) => message.content!)
        .flatMap((block) => (block.toolResult ? [block.toolResult] : []));
      expect(toolResults).toHaveLength(2); // the prefetched retrieval and current_time
      for (const toolResult of toolResults) {
        if (withStatus) expect(toolResult.status).toBe('success');
        else expect(toolResult).not.toHaveProperty('status');
      }
    },
  );
});

describe('memory contract: the new-session nudge', () => {
  it('is appended verbatim to the user message of a new session, and only there', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hi'));

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    const firstUserMessage = harness.modelRequests[0].messages![0];
    // A block of its own after the user's words, never part of them.
    expect(firstUserMessage).toEqual({
      role: 'user',
      content: [{ text: 'Hello' }, { text: NEW_SESSION_MEMORY_NUDGE }],
    });
    expect(NEW_SESSION_MEMORY_NUDGE).toBe(
      '[System note: This is the start of a new conversation. Please use your memory tool to check for any relevant preferences or past context about this user before responding.]',
    );
    expect(JSON.stringify(harness.modelRequests[0].system)).not.toContain(NEW_SESSION_MEMORY_NUDGE);
  });

  it('is absent on later turns of the session', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hi'), textReply('Fine'));

    const first = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });
    const sessionId = String(first.events[0].data.sessionId);
    const second = await harness.invoke({ agentId: 'default', userId: 'u-1', sessionId, message: 'How are you?' });

    expect(second.events[0].data).toEqual({ sessionId, newSession: false });
    const later = withoutCachePoints(harness.modelRequests[1].messages);
    // The first turn comes back as typed, with its retrieval exchange, and then the answer.
    expect(later[0]).toEqual({ role: 'user', content: [{ text: 'Hello' }] });
    expect(later[1].content![0].toolUse?.name).toBe(AGENT_CORE_MEMORY_TOOL_NAME);
    expect(later[2].content![0].toolResult).toBeDefined();
    expect(later.slice(3)).toEqual([
      { role: 'assistant', content: [{ text: 'Hi' }] },
      { role: 'user', content: [{ text: 'How are you?' }] },
    ]);
    expect(everythingSent(1)).not.toContain(NEW_SESSION_MEMORY_NUDGE);
  });

  it('is absent when memory is disabled, even on a new session', async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false } }));
    harness.modelReplies(textReply('Hi'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    expect(response.events[0].data.newSession).toBe(true);
    expect(withoutCachePoints(harness.modelRequests[0].messages)).toEqual([
      { role: 'user', content: [{ text: 'Hello' }] },
    ]);
  });

  it('treats a named session with no history as new', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hi'));

    const response = await harness.invoke({
      agentId: 'default',
      userId: 'u-1',
      sessionId: 'chosen-by-client-1',
      message: 'Hello',
    });

    expect(response.events[0].data).toEqual({ sessionId: 'chosen-by-client-1', newSession: true });
    expect(textOf(harness.modelRequests[0].messages![0])).toBe(`Hello${NEW_SESSION_MEMORY_NUDGE}`);
  });
});

describe('first turn of a memory session: one model call', () => {
  it("retrieves with the user's message before the first model call and hands the result over as a retrieve tool use", async () => {
    await harness.putAgent(memoryAgent());
    harness.memoryRecords.push({
      namespace: '/preferences/u-1/',
      memoryRecordId: 'r1',
      text: 'Prefers bullet points',
      score: 0.8,
    });
    harness.modelReplies(textReply('- Hello'));

    const response = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Summarise my week' });

    expect(harness.modelRequests).toHaveLength(1);
    const [user, assistant, toolResults] = harness.modelRequests[0].messages!;
    expect(user).toEqual({
      role: 'user',
      content: [{ text: 'Summarise my week' }, { text: NEW_SESSION_MEMORY_NUDGE }],
    });
    const toolUse = assistant.content![0].toolUse!;
    expect(assistant.role).toBe('assistant');
    expect(toolUse).toEqual({
      toolUseId: expect.stringMatching(/^[a-zA-Z0-9_-]+$/),
      name: AGENT_CORE_MEMORY_TOOL_NAME,
      input: { action: 'retrieve', query: 'Summarise my week' },
    });
    expect(toolResults.role).toBe('user');
    const toolResult = toolResults.content![0].toolResult!;
    expect(toolResult.toolUseId).toBe(toolUse.toolUseId);
    expect(toolResult.status).toBe('success');
    expect(toolResult.content).toEqual([
      {
        json: {
          memories: [{ id: 'r1', text: 'Prefers bullet points', relevance: 0.8, recorded: new Date(0).toISOString() }],
        },
      },
    ]);
    expect(harness.retrieveCalls().every((call) => call.searchCriteria?.searchQuery === 'Summarise my week')).toBe(
      true,
    );
    expect(response.events.map((streamed) => streamed.event)).toEqual(['session', 'delta', 'done']);
  });

  it('does not retrieve ahead on a later turn, nor when memory is off', async () => {
    await harness.putAgent(memoryAgent());
    await harness.putAgent(memoryAgent({ agent_id: 'forgetful', memory_feature: { enabled: false } }));
    harness.modelReplies(textReply('Hi'), textReply('Again'), textReply('Plain'));
    const first = await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });
    const retrievesOnFirstTurn = harness.retrieveCalls().length;

    await harness.invoke({
      agentId: 'default',
      userId: 'u-1',
      sessionId: String(first.events[0].data.sessionId),
      message: 'Again',
    });
    await harness.invoke({ agentId: 'forgetful', userId: 'u-1', message: 'Hello' });

    expect(retrievesOnFirstTurn).toBeGreaterThan(0);
    expect(harness.retrieveCalls()).toHaveLength(retrievesOnFirstTurn);
    // The second turn's request holds the first turn's retrieval, and no new one after the user's message.
    expect(withoutCachePoints(harness.modelRequests[1].messages).at(-1)).toEqual({
      role: 'user',
      content: [{ text: 'Again' }],
    });
  });

  it('starts the retrieval without waiting for the history read when no sessionId is given', async () => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('Hi'), textReply('Hi'));
    // Warm the agent cache, as on a warm container.
    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Warm up' });
    const dynamoCallsBefore = harness.awsCallCount().dynamodb;
    let dynamoCallsWhenRetrieveStarted = -1;
    harness.agentCore.on(RetrieveMemoryRecordsCommand).callsFake(async () => {
      dynamoCallsWhenRetrieveStarted = harness.awsCallCount().dynamodb - dynamoCallsBefore;
      return { memoryRecordSummaries: [] };
    });

    await harness.invoke({ agentId: 'default', userId: 'u-1', message: 'Hello' });

    // Cached agent, no session to read: the retrieval is the turn's first AWS call.
    expect(dynamoCallsWhenRetrieveStarted).toBe(0);
  });
});
