import { BedrockAgentCoreClient, CreateEventCommand } from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemorySessionManager, SessionManagerConfigError } from '../../../lambda/session-manager/index.js';

const agentCore = mockClient(BedrockAgentCoreClient);
const config = { memoryId: 'memory_abc-1234567890', sessionId: 's-1', actorId: 'a-1' };

beforeEach(() => {
  agentCore.reset();
  agentCore.on(CreateEventCommand).resolves({});
});

describe('extractionMode', () => {
  it('SKIP is sent with every event, so AgentCore keeps them out of long-term extraction', async () => {
    const manager = new AgentCoreMemorySessionManager({
      ...config,
      extractionMode: 'SKIP',
      client: new BedrockAgentCoreClient({ region: 'us-east-1' }),
    });

    await manager.appendMessage({ role: 'user', content: [{ text: 'private' }] });

    expect(agentCore.commandCalls(CreateEventCommand).map((call) => call.args[0].input.extractionMode)).toEqual([
      'SKIP',
    ]);
  });

  it('left out, events are extracted as usual', async () => {
    const manager = new AgentCoreMemorySessionManager({
      ...config,
      client: new BedrockAgentCoreClient({ region: 'us-east-1' }),
    });

    await manager.appendMessage({ role: 'user', content: [{ text: 'hello' }] });

    expect(agentCore.commandCalls(CreateEventCommand)[0].args[0].input.extractionMode).toBeUndefined();
  });

  it('rejects any other value, naming the field', () => {
    expect(
      () => new AgentCoreMemorySessionManager({ ...config, extractionMode: 'NEVER' as unknown as 'SKIP' }),
    ).toThrow(SessionManagerConfigError);
    expect(
      () => new AgentCoreMemorySessionManager({ ...config, extractionMode: 'NEVER' as unknown as 'SKIP' }),
    ).toThrow(/extractionMode must be 'SKIP' or left out/);
  });
});
