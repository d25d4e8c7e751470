import type * as AgentCoreModule from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import type * as SessionManagerModule from '../../../lambda/session-manager/index.js';

const owner = { memoryId: 'mem-1234567890', sessionId: 'session-1', actorId: 'actor-1' } as const;

afterEach(() => {
  jest.restoreAllMocks();
  jest.resetModules();
});

describe('the default client', () => {
  test('is not created at import, is created on first use from the AWS environment, and is shared', async () => {
    const constructed: unknown[] = [];
    jest.doMock('@aws-sdk/client-bedrock-agentcore', () => {
      const actual = jest.requireActual<typeof AgentCoreModule>('@aws-sdk/client-bedrock-agentcore');
      class CountedClient extends actual.BedrockAgentCoreClient {
        constructor(...args: ConstructorParameters<typeof actual.BedrockAgentCoreClient>) {
          super(...args);
          constructed.push(args[0]);
        }
      }
      return { ...actual, BedrockAgentCoreClient: CountedClient };
    });
    const agentCore = jest.requireActual<typeof AgentCoreModule>('@aws-sdk/client-bedrock-agentcore');
    const mock = mockClient(agentCore.BedrockAgentCoreClient);
    mock.on(agentCore.CreateEventCommand).resolves({});

    const { AgentCoreMemorySessionManager } = jest.requireActual<typeof SessionManagerModule>(
      '../../../lambda/session-manager',
    );
    const first = new AgentCoreMemorySessionManager(owner);
    const second = new AgentCoreMemorySessionManager({ ...owner, sessionId: 'session-2' });
    expect(constructed).toEqual([]);

    await first.appendMessage({ role: 'user', content: [{ text: 'one' }] });
    await second.appendMessage({ role: 'user', content: [{ text: 'two' }] });

    expect(constructed).toEqual([{}]);
    expect(mock.commandCalls(agentCore.CreateEventCommand)).toHaveLength(2);
    mock.restore();
  });
});

describe('the default logger', () => {
  test('is a Powertools Logger that receives the second-agent warning', () => {
    const { Logger } = jest.requireActual<typeof import('@aws-lambda-powertools/logger')>(
      '@aws-lambda-powertools/logger',
    );
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { AgentCoreMemorySessionManager } = jest.requireActual<typeof SessionManagerModule>(
      '../../../lambda/session-manager',
    );
    const sessionManager = new AgentCoreMemorySessionManager(owner);

    sessionManager.registerAgent('first');
    sessionManager.registerAgent('second');

    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/one agent per session/);
  });
});
