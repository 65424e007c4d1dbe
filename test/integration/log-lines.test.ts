/**
 * What a function writes to its log group (shared/logger.ts, shared/metrics.ts, wired by the base
 * stack): every line a JSON object with the keys Powertools Logger writes, so Logs Insights queries
 * keep working, and the invocation's metrics as CloudWatch EMF documents (namespace
 * BackupAutopilot, dimension `service`, which the template's alarms select on), with ColdStart once
 * per execution environment. Over real HTTP with the real bundles, in the sandbox's containers.
 */
import { describe, expect, it } from 'vitest';
import type { InvocationRecord } from '../../sandbox/sandbox.js';
import { HOUR, RETRY, sandboxPerFile, seedFailedBackup } from './support.js';

const sandbox = sandboxPerFile();

interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/**
 * The JSON objects an invocation wrote; a line that starts as one but does not parse fails the
 * test, naming it. (Node 20 here also prints the SDK's end-of-support warning on stderr, in text.)
 */
const objectsOf = (invocation: InvocationRecord): Record<string, unknown>[] =>
  invocation.outcome.logs
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      const parsed = JSON.parse(line) as unknown;
      expect(parsed, line).toBeTypeOf('object');
      return parsed as Record<string, unknown>;
    });

const isEmf = (object: Record<string, unknown>): object is EmfDocument => '_aws' in object;

describe("a FAILED backup retried: the retry function's log lines", () => {
  it('are JSON objects with the keys Powertools writes, and the metrics are EMF documents the alarms can read', async () => {
    const seeded = seedFailedBackup(sandbox(), 'logs-0001');
    await sandbox().runUntil(sandbox().clock.ms() + 3 * HOUR);
    const invocations = sandbox().invocations.filter((i) => i.function === RETRY);
    expect(invocations.length).toBeGreaterThanOrEqual(2);

    const objects = invocations.flatMap(objectsOf);
    const lines = objects.filter((object) => !isEmf(object));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({
        level: expect.stringMatching(/^(DEBUG|INFO|WARN|ERROR)$/),
        message: expect.any(String),
        timestamp: expect.stringMatching(/Z$/),
        service: 'retry-failed-job',
        cold_start: expect.any(Boolean),
        function_name: expect.any(String),
        function_request_id: expect.any(String),
      });
    }
    // The failure event's line carries the event id as correlation id.
    const failure = invocations.find(
      (i) => i.trigger.startsWith('rule:') && JSON.stringify(i.event).includes(seeded.jobId),
    );
    const eventId = (failure?.event as { id?: string } | undefined)?.id;
    expect(eventId).toEqual(expect.any(String));
    expect(objectsOf(failure as InvocationRecord).some((line) => line.correlation_id === eventId)).toBe(true);

    const documents = objects.filter(isEmf);
    for (const document of documents) {
      const [directive] = document._aws.CloudWatchMetrics;
      expect(directive?.Namespace).toBe('BackupAutopilot');
      expect(document.service).toBe('retry-failed-job');
      for (const { Name } of directive?.Metrics ?? []) expect(document[Name]).toEqual(expect.any(Number));
    }
    const counted = (name: string) =>
      documents
        .filter((d) => d._aws.CloudWatchMetrics[0]?.Dimensions[0]?.join() === 'service')
        .reduce((sum, d) => sum + (typeof d[name] === 'number' ? (d[name] as number) : 0), 0);
    expect(counted('RetriesScheduled')).toBe(1);
    expect(counted('RetriesStarted')).toBe(1);

    // ColdStart: once per execution environment, with the function's name as a dimension.
    const coldStarts = documents.filter((d) => 'ColdStart' in d);
    const environments = new Set(invocations.map((i) => i.outcome.container));
    expect(coldStarts).toHaveLength(environments.size);
    expect(coldStarts[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'function_name']]);
    expect(coldStarts[0]?.function_name).toEqual(expect.any(String));
  }, 30_000);
});
