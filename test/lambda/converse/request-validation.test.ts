import './support/environment.js';
import { MESSAGE_MAX_LENGTH } from '../../../lambda/converse/http/request.js';
import { logger } from '../../../lambda/converse/observability.js';
import { memoryAgent, useConverseHarness } from './support/harness.js';
import { textReply } from './support/model-replies.js';

const harness = useConverseHarness();

describe('bad input', () => {
  const valid = { agentId: 'default', userId: 'u-123', message: 'Hello' };

  const cases: { name: string; body?: unknown; rawBody?: string; method?: string; field: RegExp }[] = [
    { name: 'malformed JSON', rawBody: '{"agentId": "default",', field: /body is not valid JSON/ },
    { name: 'an empty body', rawBody: '', field: /body is required/ },
    { name: 'a JSON array', body: [valid], field: /body must be a JSON object/ },
    { name: 'a JSON string', body: 'hello', field: /body must be a JSON object/ },
    { name: 'JSON null', body: null, field: /body must be a JSON object/ },
    { name: 'a missing agentId', body: { userId: 'u-123', message: 'Hi' }, field: /^agentId: agentId is required$/ },
    { name: 'a missing userId', body: { agentId: 'default', message: 'Hi' }, field: /^userId: userId is required$/ },
    {
      name: 'a missing message',
      body: { agentId: 'default', userId: 'u-123' },
      field: /^message: message is required$/,
    },
    { name: 'an empty message', body: { ...valid, message: '' }, field: /^message: message must not be empty$/ },
    {
      name: 'a whitespace-only message',
      body: { ...valid, message: ' \n\t' },
      field: /^message: message must contain more than whitespace$/,
    },
    {
      name: 'a message that is a number',
      body: { ...valid, message: 42 },
      field: /^message: message must be a string$/,
    },
    {
      name: `a message over ${MESSAGE_MAX_LENGTH} characters`,
      body: { ...valid, message: 'x'.repeat(MESSAGE_MAX_LENGTH + 1) },
      field: new RegExp(`^message: message must be at most ${MESSAGE_MAX_LENGTH} characters$`),
    },
    {
      name: `a message over ${MESSAGE_MAX_LENGTH} characters of emoji`,
      body: { ...valid, message: '😀'.repeat(MESSAGE_MAX_LENGTH + 1) },
      field: new RegExp(`^message: message must be at most ${MESSAGE_MAX_LENGTH} characters$`),
    },
    {
      name: 'a message with half an emoji (an unpaired surrogate)',
      rawBody: JSON.stringify(valid).replace('Hello', 'Hello \\ud83d'),
      field: /^message: message must be valid Unicode text/,
    },
    { name: 'an empty agentId', body: { ...valid, agentId: '' }, field: /^agentId: agentId must not be empty/ },
    {
      name: 'an agentId with a slash',
      body: { ...valid, agentId: 'a/b' },
      field: /^agentId: agentId must start with a letter or digit/,
    },
    {
      name: 'a userId with a space',
      body: { ...valid, userId: 'alice smith' },
      field: /^userId: userId must be 1-64 printable ASCII/,
    },
    {
      name: 'a userId over 64 characters',
      body: { ...valid, userId: 'u'.repeat(65) },
      field: /^userId: userId must be 1-64/,
    },
    {
      name: 'a userId that is an object',
      body: { ...valid, userId: { id: 1 } },
      field: /^userId: userId must be a string$/,
    },
    {
      name: 'a sessionId with a dot',
      body: { ...valid, sessionId: 'a.b' },
      field: /^sessionId: sessionId must be 1-100 characters/,
    },
    {
      name: 'an empty sessionId',
      body: { ...valid, sessionId: '' },
      field: /^sessionId: sessionId must be 1-100 characters/,
    },
    {
      name: 'a sessionId over 100 characters',
      body: { ...valid, sessionId: 's'.repeat(101) },
      field: /^sessionId: sessionId must be 1-100/,
    },
    { name: 'an unknown field', body: { ...valid, session_id: 'abc' }, field: /unknown field\(s\): session_id/ },
    { name: 'a GET request', body: valid, method: 'GET', field: /method GET is not supported/ },
  ];

  it.each(cases)('$name gets 400 naming what is wrong, with no AWS call', async ({ body, rawBody, method, field }) => {
    await harness.putAgent(memoryAgent());
    harness.modelReplies(textReply('should never be sent'));

    const response = await harness.invoke(body, { rawBody, method });

    expect(response.statusCode).toBe(400);
    expect(response.metadata?.headers['Content-Type']).toBe('application/json');
    const { error } = response.json() as { error: { type: string; message: string } };
    expect(error.type).toBe('BadRequest');
    expect(error.message).toMatch(field);
    expect(harness.awsCallCount()).toEqual({ dynamodb: 0, bedrock: 0, agentCore: 0 });
  });

  it('answers a body with 100,000 unknown fields with a short 400 naming a few and counting the rest, and logs it short', async () => {
    const info = jest.spyOn(logger, 'info');
    const body: Record<string, unknown> = { agentId: 'default', userId: 'u-1', message: 'Hi' };
    for (let index = 0; index < 100_000; index++) body[`extra_${index}_${'x'.repeat(index === 0 ? 500 : 1)}`] = 1;

    const response = await harness.invoke(body);

    expect(response.statusCode).toBe(400);
    const { error } = response.json() as { error: { type: string; message: string } };
    expect(error.message).toMatch(
      /^unknown field\(s\): extra_0_x{32}\.\.\., extra_1_x, extra_2_x, extra_3_x, extra_4_x and 99995 more$/,
    );
    expect(response.body.length).toBeLessThan(300);
    const logged = info.mock.calls.map((call) => JSON.stringify(call)).join('\n');
    expect(logged).toContain('request rejected');
    expect(logged.length).toBeLessThan(400);
    expect(harness.awsCallCount()).toEqual({ dynamodb: 0, bedrock: 0, agentCore: 0 });
  });

  it('names every invalid field at once', async () => {
    const response = await harness.invoke({ agentId: 'no/slash', userId: '', message: '' });

    const { error } = response.json() as { error: { message: string } };
    expect(error.message).toContain('agentId:');
    expect(error.message).toContain('userId:');
    expect(error.message).toContain('message:');
  });

  it('accepts a message of exactly the limit', async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false } }));
    harness.modelReplies(textReply('ok'));

    const response = await harness.invoke({ ...valid, message: 'x'.repeat(MESSAGE_MAX_LENGTH) });

    expect(response.statusCode).toBe(200);
  });

  it('counts characters, not UTF-16 units: a message of exactly the limit in emoji is accepted', async () => {
    await harness.putAgent(memoryAgent({ memory_feature: { enabled: false } }));
    harness.modelReplies(textReply('ok'));

    const response = await harness.invoke({ ...valid, message: '😀'.repeat(MESSAGE_MAX_LENGTH) });

    expect(response.statusCode).toBe(200);
  });
});

describe('agents that cannot answer', () => {
  it('an unknown agent gets 404 and no model call', async () => {
    const response = await harness.invoke({ agentId: 'nobody', userId: 'u-1', message: 'Hi' });

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { type: 'NotFound', message: "agent 'nobody' does not exist" } });
    expect(harness.awsCallCount().bedrock).toBe(0);
  });

  it('a malformed agent item gets 500 without internals, and a logged error naming the agent and the problem', async () => {
    await harness.putAgent({
      agent_id: 'broken',
      base_prompt: 'x',
      foundation_model: '',
      memory_feature: { enabled: 'yes' },
    });

    const response = await harness.invoke({ agentId: 'broken', userId: 'u-1', message: 'Hi' });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: { type: 'InternalError', message: "agent 'broken' cannot be used right now" },
    });
    expect(response.body).not.toContain('foundation_model');
    const [logged, details] = harness.error.mock.calls[0];
    expect(logged).toMatch(/^agent definition 'broken' is malformed: /);
    expect(logged).toContain('foundation_model');
    expect(logged).toContain('memory_feature.enabled');
    expect(details).toEqual({ problems: expect.any(Array) });
    expect(harness.awsCallCount().bedrock).toBe(0);
  });
});
