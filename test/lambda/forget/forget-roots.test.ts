import { ListMemoryRecordsCommand } from '@aws-sdk/client-bedrock-agentcore';
import { BedrockAgentCoreControlClient, GetMemoryCommand } from '@aws-sdk/client-bedrock-agentcore-control';
import { mockClient } from 'aws-sdk-client-mock';
import { type ForgetTarget, namespaceRootsFor, recordsToDelete } from '../../../lambda/forget/index.js';
import { forgetHarness } from './forget-harness.js';

const { state, agentCoreMock, dataOf, forget } = forgetHarness();
const control = mockClient(BedrockAgentCoreControlClient);

beforeEach(() => control.reset());
afterAll(() => control.restore());

const target = (namespaceTemplates: string[], extraNamespaceTemplates: string[] = []): ForgetTarget => ({
  memoryId: 'agent_memory_test-AbCdEf1234',
  sessionTableName: 'sessions',
  namespaceTemplates,
  extraNamespaceTemplates,
});

describe('the namespace roots forgetting sweeps', () => {
  test('one per template, per extra template, per current strategy, and the default roots, none inside another', () => {
    const roots = namespaceRootsFor(
      target(['/tenant/prefs/{actorId}/', '/tenant/prefs/{actorId}/{sessionId}/'], ['/old-notes/{actorId}/']),
      [{ strategyId: 'semantic-AbC123', templates: ['/strategies/{memoryStrategyId}/actors/{actorId}'] }],
      'bo',
    );
    expect(roots).toEqual([
      '/episodes/bo/',
      '/facts/bo/',
      '/old-notes/bo/',
      '/preferences/bo/',
      '/strategies/semantic-AbC123/actors/bo',
      '/summaries/bo/',
      '/tenant/prefs/bo/',
    ]);
  });

  test('leaves out a default root whose first segment a template uses for something other than the actor', () => {
    const roots = namespaceRootsFor(
      target(['/facts/shared/{actorId}/'], []),
      [{ strategyId: 's-1', templates: ['/summaries/{sessionId}/{actorId}', '/{actorId}/x', '/global/'] }],
      'shared',
    );
    // '/facts/shared/' would cover every actor's '/facts/shared/<actor>/'.
    expect(roots).not.toContain('/facts/shared/');
    expect(roots).not.toContain('/summaries/shared/');
    expect(roots).toEqual(['/episodes/shared/', '/facts/shared/shared/', '/preferences/shared/']);
  });

  test('records are deleted only when every namespace lies under one of the roots, whatever the service listed', () => {
    expect(
      recordsToDelete(
        [
          { memoryRecordId: 'r-1', namespaces: ['/facts/bo/'] },
          { memoryRecordId: 'r-2', namespaces: ['/facts/bob/'] },
          { memoryRecordId: 'r-3', namespaces: ['/other/', '/summaries/bo/s-1/'] },
          { memoryRecordId: 'r-4', namespaces: ['/strategies/s/actors/bo'] },
          { memoryRecordId: 'r-1', namespaces: ['/facts/bo/'] },
        ],
        { actorId: 'bo', roots: ['/facts/bo/', '/strategies/s/actors/bo/', '/summaries/bo/'], templates: [] },
      ),
    ).toEqual([
      { memoryRecordId: 'r-1', namespace: '/facts/bo/' },
      { memoryRecordId: 'r-4', namespace: '/strategies/s/actors/bo' },
    ]);
  });
});

describe('records outside the strategies the function was deployed with', () => {
  test("are found under a removed strategy's extra template, a current strategy's namespace, and a default root", async () => {
    state.target = {
      ...state.target,
      namespaceTemplates: ['/facts/{actorId}/'],
      extraNamespaceTemplates: ['/old-notes/{actorId}/'],
    };
    state.clients = { agentCoreControl: new BedrockAgentCoreControlClient({ region: 'us-east-1' }) };
    control.on(GetMemoryCommand).resolves({
      memory: {
        strategies: [
          {
            strategyId: 'added-in-console-AbC',
            name: 'console',
            type: 'SEMANTIC',
            namespaces: [],
            namespaceTemplates: ['/strategies/{memoryStrategyId}/actors/{actorId}'],
          },
        ],
      } as never,
    });
    state.agentCore.addRecord('/facts/bo/');
    state.agentCore.addRecord('/old-notes/bo/s-1/');
    state.agentCore.addRecord('/strategies/added-in-console-AbC/actors/bo');
    state.agentCore.addRecord('/episodes/bo/s-1/');
    state.agentCore.addRecord('/old-notes/bob/');
    // Listed with the path '.../actors/bo' when the service reads it as a string prefix; never deleted.
    state.agentCore.addRecord('/strategies/added-in-console-AbC/actors/bob');
    state.agentCore.addEvents('bo', 's-1', 1);

    const report = await forget('bo');

    expect((await dataOf('bo')).records).toBe(0);
    expect(state.agentCore.records.map((record) => record.namespace)).toEqual([
      '/old-notes/bob/',
      '/strategies/added-in-console-AbC/actors/bob',
    ]);
    expect(report.total.memoryRecords).toBe(4);
    expect(control.commandCalls(GetMemoryCommand)).toHaveLength(1);
    expect(
      new Set(agentCoreMock.commandCalls(ListMemoryRecordsCommand).map((call) => call.args[0].input.namespacePath)),
    ).toEqual(
      new Set([
        '/episodes/bo/',
        '/facts/bo/',
        '/old-notes/bo/',
        '/preferences/bo/',
        '/strategies/added-in-console-AbC/actors/bo',
        '/summaries/bo/',
      ]),
    );
  });

  test('a GetMemory the role may not call is skipped; any other GetMemory failure makes the run incomplete', async () => {
    state.clients = { agentCoreControl: new BedrockAgentCoreControlClient({ region: 'us-east-1' }) };
    control.on(GetMemoryCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    expect(await forget('bo')).toMatchObject({ complete: true, failures: [] });

    control
      .on(GetMemoryCommand)
      .rejects(Object.assign(new Error('no such memory'), { name: 'ResourceNotFoundException' }));
    const report = await forget('bo');
    expect(report.complete).toBe(false);
    expect(report.failures).toEqual([
      {
        operation: 'GetMemory',
        target: 'memory agent_memory_test-AbCdEf1234',
        error: 'ResourceNotFoundException: no such memory',
      },
    ]);
  });
});
