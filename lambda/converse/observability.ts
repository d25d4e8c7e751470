import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  DEFAULT_RUNTIME_SERVICE_NAME,
  RUNTIME_METRIC_NAMESPACE,
  RuntimeEnvironment,
  RuntimeMetricName,
} from '../contract/index.js';

// One function per environment shares the namespace; its service name keeps their metrics apart.
const SERVICE_NAME = process.env[RuntimeEnvironment.serviceName] || DEFAULT_RUNTIME_SERVICE_NAME;

/**
 * Structured JSON logs. At INFO and above we log ids, sizes, durations and error names,
 * never message content: user words and memories stay out of CloudWatch.
 */
export const logger = new Logger({ serviceName: SERVICE_NAME });

/** Publishes in the embedded metric format, with the dimension `service` = the service name. */
export const metrics = new Metrics({ namespace: RUNTIME_METRIC_NAMESPACE, serviceName: SERVICE_NAME });

/** The metric names this function publishes (named once, in the contract). */
export const MetricName = RuntimeMetricName;

export function countMetric(name: RuntimeMetricName, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

export function latencyMetric(name: RuntimeMetricName, milliseconds: number): void {
  metrics.addMetric(name, MetricUnit.Milliseconds, milliseconds);
}

/** The token counts of a turn, for the prompt cache's read share of input tokens. */
export function tokenUsageMetrics(usage: {
  readonly inputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheWriteInputTokens: number;
}): void {
  countMetric(MetricName.inputTokens, usage.inputTokens);
  countMetric(MetricName.cacheReadInputTokens, usage.cacheReadInputTokens);
  countMetric(MetricName.cacheWriteInputTokens, usage.cacheWriteInputTokens);
}
