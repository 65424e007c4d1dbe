import { describe, expect, it } from 'vitest';
import { count, EmfMetrics, MAX_METRICS_PER_DOCUMENT, MetricUnit } from '../../shared/metrics.js';

const NOW = new Date('2026-12-04T02:00:00.000Z');

/** Metrics of the retry function whose EMF documents are parsed into `documents`. */
const metricsInto = (documents: Record<string, unknown>[], disabled = false) =>
  new EmfMetrics({
    namespace: 'BackupAutopilot',
    service: 'retry-failed-job',
    disabled,
    now: () => NOW,
    write: (line) => void documents.push(JSON.parse(line)),
  });

describe('EmfMetrics', () => {
  it('writes the invocation’s metrics as one EMF document: namespace, dimension service, each metric’s unit and value', () => {
    const documents: Record<string, unknown>[] = [];
    const metrics = metricsInto(documents);
    count(metrics, 'RetriesStarted');
    metrics.addMetric('CopyCoverage', MetricUnit.Percent, 87.5);
    metrics.publish();
    expect(documents).toEqual([
      {
        _aws: {
          Timestamp: NOW.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: 'BackupAutopilot',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'RetriesStarted', Unit: 'Count' },
                { Name: 'CopyCoverage', Unit: 'Percent' },
              ],
            },
          ],
        },
        RetriesStarted: 1,
        CopyCoverage: 87.5,
        service: 'retry-failed-job',
      },
    ]);
  });

  it('adds the values of a name added twice, and forgets them once published', () => {
    const documents: Record<string, unknown>[] = [];
    const metrics = metricsInto(documents);
    count(metrics, 'SweepJobsSeen', 40);
    count(metrics, 'SweepJobsSeen', 2);
    metrics.publish();
    metrics.publish();
    expect(documents).toHaveLength(1);
    expect(documents[0]?.SweepJobsSeen).toBe(42);
  });

  it('writes nothing for an invocation that added nothing, and drops a value that is not a finite number', () => {
    const documents: Record<string, unknown>[] = [];
    const metrics = metricsInto(documents);
    metrics.addMetric('Broken', MetricUnit.Count, Number.NaN);
    metrics.addMetric('Endless', MetricUnit.Count, Number.POSITIVE_INFINITY);
    metrics.publish();
    expect(documents).toEqual([]);
  });

  it(`splits more than ${MAX_METRICS_PER_DOCUMENT} metrics over documents, as EMF allows at most that many in one`, () => {
    const documents: Record<string, unknown>[] = [];
    const metrics = metricsInto(documents);
    for (let i = 0; i < MAX_METRICS_PER_DOCUMENT + 1; i += 1) count(metrics, `Metric${i}`);
    metrics.publish();
    const declared = documents.map(
      (document) =>
        (document as { _aws: { CloudWatchMetrics: { Metrics: unknown[] }[] } })._aws.CloudWatchMetrics[0]?.Metrics
          .length,
    );
    expect(declared).toEqual([MAX_METRICS_PER_DOCUMENT, 1]);
    expect(documents[1]).toMatchObject({ [`Metric${MAX_METRICS_PER_DOCUMENT}`]: 1, service: 'retry-failed-job' });
  });

  it('writes ColdStart once per container, with the dimensions service and function_name, apart from the other metrics', () => {
    const documents: Record<string, unknown>[] = [];
    const metrics = metricsInto(documents);
    metrics.captureColdStart('backup-autopilot-RetryFailedJob');
    metrics.captureColdStart('backup-autopilot-RetryFailedJob');
    expect(documents).toEqual([
      {
        _aws: {
          Timestamp: NOW.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: 'BackupAutopilot',
              Dimensions: [['service', 'function_name']],
              Metrics: [{ Name: 'ColdStart', Unit: 'Count' }],
            },
          ],
        },
        ColdStart: 1,
        service: 'retry-failed-job',
        function_name: 'backup-autopilot-RetryFailedJob',
      },
    ]);
  });

  it('writes nothing when disabled (POWERTOOLS_METRICS_DISABLED=true)', () => {
    const documents: Record<string, unknown>[] = [];
    const metrics = metricsInto(documents, true);
    metrics.captureColdStart('fn');
    count(metrics, 'RetriesStarted');
    metrics.publish();
    expect(documents).toEqual([]);
  });
});
