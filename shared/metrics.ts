import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export { MetricUnit } from '@aws-lambda-powertools/metrics';

/** Namespace of every metric this toolkit emits (CloudWatch EMF). */
export const METRICS_NAMESPACE = 'BackupAutopilot';

/**
 * The one Powertools Metrics instance (EMF): flushed after each invocation by the base middy stack.
 * The `service` dimension is POWERTOOLS_SERVICE_NAME, set per function by template.yaml (an explicit
 * serviceName here would override it and merge every function's metrics into one service).
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });

/** The narrow metrics type logic modules depend on. */
export type MetricSink = Pick<Metrics, 'addMetric'>;

/** Adds one to a count metric. */
export const count = (sink: MetricSink, name: string, value = 1): void => {
  sink.addMetric(name, MetricUnit.Count, value);
};
