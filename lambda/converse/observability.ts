import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const SERVICE_NAME = 'converse';

/**
 * Structured JSON logs. At INFO and above we log ids, sizes, durations and error names,
 * never message content: user words and memories stay out of CloudWatch.
 */
export const logger = new Logger({ serviceName: SERVICE_NAME });

export const metrics = new Metrics({ namespace: 'AgentCoreMemoryAgents', serviceName: SERVICE_NAME });

/** The metric names this function publishes. */
export const MetricName = {
  turns: 'Turns',
  turnErrors: 'TurnErrors',
  memoryRetrieveLatency: 'MemoryRetrieveLatency',
  memoryErrors: 'MemoryErrors',
  historyWriteErrors: 'HistoryWriteErrors',
  rejectedRequests: 'RejectedRequests',
} as const;

export function countMetric(name: (typeof MetricName)[keyof typeof MetricName], value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

export function latencyMetric(name: (typeof MetricName)[keyof typeof MetricName], milliseconds: number): void {
  metrics.addMetric(name, MetricUnit.Milliseconds, milliseconds);
}

/** The name and message of anything thrown, for logs (never sent to the caller). */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
