import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';

/** The namespace AgentCore publishes memory metrics in. */
export const AGENTCORE_METRIC_NAMESPACE = 'AWS/Bedrock-AgentCore';

/**
 * AgentCore's own metrics of one memory, built from its ARN alone, so created and imported
 * memories are watched alike (the same metrics the L2 `Memory` helpers return).
 */
export class AgentMemoryMetrics {
  constructor(private readonly memory: IConstruct & { readonly memoryArn: string }) {}

  /** Any AgentCore metric of this memory (dimension `Resource`: the memory ARN). */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const stack = Stack.of(this.memory);
    return new cloudwatch.Metric({
      namespace: AGENTCORE_METRIC_NAMESPACE,
      metricName,
      period: Duration.minutes(5),
      region: stack.region,
      account: stack.account,
      ...props,
      dimensionsMap: { Resource: this.memory.memoryArn, ...props?.dimensionsMap },
    });
  }

  /** Errors AgentCore reported for one API operation. Sum. */
  errors(operation: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.forOperation('Errors', operation, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Calls of one API operation. Sum. */
  invocations(operation: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.forOperation('Invocations', operation, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Latency of one API operation in milliseconds. Average. */
  latency(operation: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.forOperation('Latency', operation, { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /** Short-term events stored. Sum. */
  eventsCreated(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CreationCount', {
      statistic: cloudwatch.Stats.SUM,
      ...props,
      dimensionsMap: { ItemType: 'Event' },
    });
  }

  /** Long-term records extracted. Sum. */
  recordsExtracted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CreationCount', {
      statistic: cloudwatch.Stats.SUM,
      ...props,
      dimensionsMap: { ItemType: 'MemoryRecordsExtracted' },
    });
  }

  private forOperation(metricName: string, operation: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(metricName, { ...props, dimensionsMap: { Operation: operation, ...props.dimensionsMap } });
  }
}
