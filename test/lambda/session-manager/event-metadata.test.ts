import { BedrockAgentCoreClient, CreateEventCommand } from '@aws-sdk/client-bedrock-agentcore';
import { mockClient } from 'aws-sdk-client-mock';
import { AgentCoreMemorySessionManager, SessionManagerConfigError } from '../../../lambda/session-manager/index.js';

const agentCore = mockClient(BedrockAgentCoreClient);
const config = { memoryId: 'memory_abc-1234567890', sessionId: 's-1', actorId: 'a-1' };

beforeEach(() => {
  agentCore.reset();
  agentCore.on(CreateEventCommand).resolves({});
});

describe('eventMetadata', () => {
  it('is sent as the metadata of every conversation event', async () => {
    const manager = new AgentCoreMemorySessionManager({
      ...config,
      eventMetadata: { source: { stringValue: 'memory_tool' } },
      client: new BedrockAgentCoreClient({ region: 'us-east-1' }),
    });

    await manager.appendMessage({ role: 'user', content: [{ text: 'remember this' }] });

    expect(agentCore.commandCalls(CreateEventCommand).map((call) => call.args[0].input.metadata)).toEqual([
      { source: { stringValue: 'memory_tool' } },
    ]);
  });

  it('left out, events carry no metadata', async () => {
    const manager = new AgentCoreMemorySessionManager({
      ...config,
      client: new BedrockAgentCoreClient({ region: 'us-east-1' }),
    });

    await manager.appendMessage({ role: 'user', content: [{ text: 'hello' }] });

    expect(agentCore.commandCalls(CreateEventCommand)[0].args[0].input.metadata).toBeUndefined();
  });

  it.each([
    [
      Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`k${index}`, { stringValue: 'v' }])),
      /at most 15 keys/,
    ],
    [{ 'bad key!': { stringValue: 'v' } }, /key 'bad key!' is not a valid metadata key/],
    [{ source: { stringValue: 'x'.repeat(257) } }, /eventMetadata.source must be/],
    [{ source: 'memory_tool' }, /eventMetadata.source must be/],
  ])('refuses metadata AgentCore would refuse (%#), naming it', (eventMetadata, message) => {
    const build = () =>
      new AgentCoreMemorySessionManager({
        ...config,
        eventMetadata: eventMetadata as unknown as Record<string, { stringValue: string }>,
      });
    expect(build).toThrow(SessionManagerConfigError);
    expect(build).toThrow(message);
  });
});
