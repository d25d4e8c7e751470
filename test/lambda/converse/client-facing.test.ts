import './support/environment.js';
import { AccessDeniedException } from '@aws-sdk/client-bedrock-runtime';
import { dynamoDocumentClient } from '../../../lambda/converse/clients.js';
import { withoutAccountDetails } from '../../../lambda/converse/failures.js';
import { SSE_BUFFER_MAX_BYTES } from '../../../lambda/converse/http/sse.js';
import { CLAUDE_MODEL, useConverseHarness } from './support/harness.js';
import { brokenReply, textReply } from './support/model-replies.js';

const harness = useConverseHarness();
const plainAgent = { agent_id: 'plain', base_prompt: 'Be brief.', foundation_model: CLAUDE_MODEL };

const ACCOUNT = '123456789012';
const ROLE_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/ConverseFunctionRole-AbC123/converse-fn`;
const DENIED_MESSAGE = `User: ${ROLE_ARN} is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action`;

describe('errors tell the caller what happened, not how the account is built', () => {
  it('a Bedrock AccessDenied naming the account and role: the error event has its type and a fixed message; the log has it all', async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(
      brokenReply(new AccessDeniedException({ message: DENIED_MESSAGE, $metadata: { httpStatusCode: 403 } })),
    );

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    const error = response.events.at(-1)!;
    expect(error.event).toBe('error');
    expect(error.data).toEqual({
      type: 'AccessDeniedException',
      message: expect.stringMatching(/not allowed to use this model/),
      retryable: false,
    });
    for (const secret of [ACCOUNT, 'arn:', 'ConverseFunctionRole', 'assumed-role', 'inference-profile']) {
      expect(response.body).not.toContain(secret);
    }
    expect(harness.errorLogText()).toContain(ROLE_ARN);
  });

  it('a failure before streaming whose text names an ARN: the error body carries none', async () => {
    const send = jest.spyOn(dynamoDocumentClient(), 'send') as unknown as jest.SpyInstance;
    send.mockRejectedValueOnce(
      Object.assign(new Error(DENIED_MESSAGE), { name: 'AccessDeniedException', $fault: 'client' }),
    );
    await harness.putAgent(plainAgent);

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain(ACCOUNT);
    expect(response.body).not.toContain('arn:');
  });

  it('redacts ARNs and account ids from any text sent to the caller', () => {
    expect(withoutAccountDetails(`denied for ${ROLE_ARN} in account ${ACCOUNT}.`)).toBe(
      'denied for [redacted] in account [redacted].',
    );
    expect(withoutAccountDetails('session s-1234567890123 and 42 turns')).toBe('session s-1234567890123 and 42 turns');
  });
});

describe('a slow reader cannot hold the function', () => {
  const FUNCTION_TIME_MS = 4_000;

  it('a client that never drains: deltas stop at the buffer limit, the turn is saved, the handler returns by the deadline', async () => {
    await harness.putAgent(plainAgent);
    harness.limits({ reserveMs: 2_000, responseEndMs: 500 });
    const pieces = Array.from({ length: 400 }, (_, index) => `${index}:${'x'.repeat(1_000)} `);
    harness.modelReplies(textReply(...pieces));

    const startedAt = Date.now();
    const response = await harness.invoke(
      { agentId: 'plain', userId: 'u-1', message: 'Tell me everything' },
      { stalled: true, remainingTimeMs: FUNCTION_TIME_MS },
    );
    const elapsedMs = Date.now() - startedAt;

    expect(elapsedMs).toBeLessThan(FUNCTION_TIME_MS - 250);
    expect(response.destroyed).toBe(true);
    expect(response.peakBufferedBytes).toBeLessThanOrEqual(SSE_BUFFER_MAX_BYTES + 1_024);
    console.info(`peak bytes buffered for a client that never reads: ${response.peakBufferedBytes}`);
    // The turn is saved whole, though the client could not take it.
    const sessionItems = await harness.turnItems(sessionIdOf(response.body));
    expect(sessionItems).toHaveLength(1);
    expect(sessionItems[0].assistant_message).toBe(pieces.join(''));
  });

  it('a client that reads slowly but in time gets every delta and done', async () => {
    await harness.putAgent(plainAgent);
    const pieces = Array.from({ length: 50 }, (_, index) => `${index}:${'y'.repeat(100)} `);
    harness.modelReplies(textReply(...pieces));

    const response = await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(response.answer).toBe(pieces.join(''));
    expect(response.events.at(-1)?.event).toBe('done');
  });
});

/** The session id from the first (session) event of a stream body, whatever came after. */
function sessionIdOf(body: string): string {
  const match = /"sessionId":"([^"]+)"/.exec(body);
  if (match === null) throw new Error('no session event');
  return match[1];
}
