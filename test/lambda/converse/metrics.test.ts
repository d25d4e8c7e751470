import './support/environment.js';
import {
  DEFAULT_RUNTIME_SERVICE_NAME,
  RUNTIME_METRIC_NAMESPACE,
  RUNTIME_SERVICE_DIMENSION,
  RuntimeEnvironment,
  RuntimeMetricName,
} from '../../../lambda/contract/index.js';
import { CLAUDE_MODEL, useConverseHarness } from './support/harness.js';
import { REPLY_USAGE, rejectedReply, textReply } from './support/model-replies.js';

describe('runtime metrics', () => {
  const harness = useConverseHarness();
  const plainAgent = { agent_id: 'plain', base_prompt: 'Be brief.', foundation_model: CLAUDE_MODEL };

  it("publish a finished turn's input, cache-read and cache-write tokens, for the prompt cache's read share", async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(textReply('Hello'));

    await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(harness.metricValues(RuntimeMetricName.inputTokens)).toEqual([REPLY_USAGE.inputTokens]);
    expect(harness.metricValues(RuntimeMetricName.cacheReadInputTokens)).toEqual([REPLY_USAGE.cacheReadInputTokens]);
    expect(harness.metricValues(RuntimeMetricName.cacheWriteInputTokens)).toEqual([REPLY_USAGE.cacheWriteInputTokens]);
  });

  it('publish no token counts for a turn that never reached the model', async () => {
    await harness.putAgent(plainAgent);
    harness.modelReplies(rejectedReply('ThrottlingException', 'Too many requests'));

    await harness.invoke({ agentId: 'plain', userId: 'u-1', message: 'Hi' });

    expect(harness.metricValues(RuntimeMetricName.turnErrors)).toEqual([1]);
    expect(harness.metricValues(RuntimeMetricName.inputTokens)).toEqual([]);
  });

  it.each([
    ['without a service name set', undefined, DEFAULT_RUNTIME_SERVICE_NAME],
    ["with the function's service name", 'converse-prod', 'converse-prod'],
  ])('are written in the namespace and with the service dimension the alarms query, %s', (_case, service, expected) => {
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const saved = { ...process.env };
    try {
      delete process.env.POWERTOOLS_METRICS_DISABLED;
      if (service === undefined) delete process.env[RuntimeEnvironment.serviceName];
      else process.env[RuntimeEnvironment.serviceName] = service;
      jest.isolateModules(() => {
        const fresh = require('../../../lambda/converse/observability.js');
        fresh.countMetric(RuntimeMetricName.turnErrors);
        fresh.metrics.publishStoredMetrics();
      });
    } finally {
      process.env = saved;
      write.mockRestore();
    }
    const emf = JSON.parse(written.find((line) => line.includes('"_aws"'))!);
    expect(emf._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: RUNTIME_METRIC_NAMESPACE,
        Dimensions: [[RUNTIME_SERVICE_DIMENSION]],
        Metrics: [{ Name: 'TurnErrors', Unit: 'Count' }],
      },
    ]);
    expect(emf[RUNTIME_SERVICE_DIMENSION]).toBe(expected);
  });
});
