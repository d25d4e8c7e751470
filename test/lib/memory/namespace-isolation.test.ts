import { App, Stack } from 'aws-cdk-lib';
import fc from 'fast-check';
import { AgentDefinitionTable, AgentMemory, type AgentMemoryProps, type IAgentMemory } from '../../../lib/index.js';

function construct(props: AgentMemoryProps): void {
  new AgentMemory(new Stack(new App(), 'Stack'), 'Memory', { memoryName: 'isolation_test', ...props });
}

function constructionError(props: AgentMemoryProps): string {
  try {
    construct(props);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected AgentMemory to throw');
}

describe('AgentMemory refuses namespace layouts in which one actor can read another', () => {
  test("'/{actorId}/' beside '/preferences/{actorId}/': actor 'preferences' would cover every user's preferences", () => {
    const message = constructionError({ semantic: { namespace: '/{actorId}/' } });
    expect(message).toContain("namespace '/{actorId}/' needs a literal segment before '{actorId}'");
    expect(message).toContain(
      "namespaces '/{actorId}/' and '/preferences/{actorId}/' do not keep actors apart: '/', the part of '/{actorId}/' before '{actorId}', is a prefix of '/preferences/', so the actorId 'preferences' resolves '/{actorId}/' under '/preferences/', which covers every actor's records of '/preferences/{actorId}/'",
    );
  });

  test("'/m/{actorId}/' beside '/m/prefs/{actorId}/'", () => {
    expect(
      constructionError({
        semantic: { namespace: '/m/{actorId}/' },
        userPreference: { namespace: '/m/prefs/{actorId}/' },
      }),
    ).toContain("so the actorId 'prefs' resolves '/m/{actorId}/' under '/m/prefs/'");
  });

  test('an episodic reflection namespace counts as part of the layout', () => {
    expect(
      constructionError({
        episodic: { namespace: '/m/ep/{actorId}/{sessionId}/', reflectionNamespace: '/m/ep/{actorId}/' },
        semantic: { namespace: '/m/{actorId}/' },
      }),
    ).toContain("so the actorId 'ep' resolves '/m/{actorId}/'");
  });

  test('generated overlapping layouts are refused at synth', () => {
    const segment = fc.constantFrom('m', 'prefs', 'facts', 'x');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 2 }), segment, (base, extra) => {
        // The semantic base is a proper prefix of the preference base: always unsafe.
        const message = constructionError({
          semantic: { namespace: `/${[...base, '{actorId}'].join('/')}/` },
          userPreference: { namespace: `/${[...base, extra, '{actorId}'].join('/')}/` },
        });
        expect(message).toContain(`so the actorId '${extra}' resolves`);
      }),
      { numRuns: 30 },
    );
  });

  test('bases that differ in a segment are accepted', () => {
    expect(() =>
      construct({
        summary: { namespace: '/m/summaries/{actorId}/{sessionId}/' },
        semantic: { namespace: '/m/facts/{actorId}/' },
        userPreference: { namespace: '/m/prefs/{actorId}/' },
        episodic: true,
      }),
    ).not.toThrow();
  });

  test('an imported memory with an unsafe layout is refused', () => {
    expect(() =>
      AgentMemory.fromAgentMemoryAttributes(new Stack(new App(), 'Stack'), 'Memory', {
        memoryId: 'imported_memory-abcdef1234',
        namespaces: { semantic: '/m/{actorId}/', userPreference: '/m/prefs/{actorId}/' },
      }),
    ).toThrow(/do not keep actors apart/);
  });
});

describe('AgentDefinitionTable.addAgent checks the retrieval templates as one layout', () => {
  function withRetrieval(memory: IAgentMemory, retrievalConfig: IAgentMemory['retrievalConfig']): IAgentMemory {
    return Object.assign(Object.create(memory) as IAgentMemory, { retrievalConfig });
  }

  function setup() {
    const stack = new Stack(new App(), 'Stack');
    const memory = new AgentMemory(stack, 'Memory', { memoryName: 'isolation_test' });
    return { memory, table: new AgentDefinitionTable(stack, 'Agents') };
  }

  const agent = { basePrompt: 'Hi', foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0' };

  test('refuses retrieval templates that are each valid but overlap as a set, naming the field', () => {
    const { memory, table } = setup();
    const unsafe = withRetrieval(memory, {
      '/{actorId}/': { top_k: 3, relevance_score: 0.3 },
      '/preferences/{actorId}/': { top_k: 3, relevance_score: 0.3 },
    });
    expect(() => table.addAgent({ agentId: 'unsafe', memory: unsafe, ...agent })).toThrow(
      /memory_feature\.retrieval: namespaces '\/\{actorId\}\/' and '\/preferences\/\{actorId\}\/' do not keep actors apart/,
    );
  });

  test("refuses a retrieval template that overlaps the memory's own record templates", () => {
    const { memory, table } = setup();
    const unsafe = withRetrieval(memory, { '/facts/{actorId}/': { top_k: 3, relevance_score: 0.3 } });
    Object.assign(unsafe, { recordNamespaces: [...memory.recordNamespaces, '/facts/x/{actorId}/'] });
    expect(() => table.addAgent({ agentId: 'unsafe', memory: unsafe, ...agent })).toThrow(
      /so the actorId 'x' resolves '\/facts\/\{actorId\}\/'/,
    );
  });

  test("accepts the memory's own retrieval config", () => {
    const { memory, table } = setup();
    expect(() => table.addAgent({ agentId: 'default', memory, ...agent })).not.toThrow();
  });
});
