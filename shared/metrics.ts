import { type LineWriter, serviceName, stdoutWriter } from './logger.js';

// Why not Powertools Metrics: shared/logger.ts says (19M instructions of cold start with the
// Logger). What the toolkit needs of it is the CloudWatch embedded metric format (EMF), one
// document per invocation, which this module writes as Powertools did: namespace BackupAutopilot,
// dimension `service`, and a ColdStart metric on a container's first invocation.

/** Namespace of every metric this toolkit emits (CloudWatch EMF). */
export const METRICS_NAMESPACE = 'BackupAutopilot';

/** The CloudWatch units the toolkit's metrics use (CloudWatch API Reference, MetricDatum, Unit). */
export const MetricUnit = { Count: 'Count', Bytes: 'Bytes', Percent: 'Percent' } as const;
export type MetricUnitName = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * Most metrics one EMF document declares: the specification limits a MetricDirective's Metrics to
 * 100 definitions ("Specification: Embedded metric format", MetricDirective), and Powertools splits
 * at the same count. More are written as more documents.
 */
export const MAX_METRICS_PER_DOCUMENT = 100;

/** Options of an {@link EmfMetrics}; each defaults to what the template sets. */
export interface EmfMetricsOptions {
  /** POWERTOOLS_METRICS_NAMESPACE (the name Powertools reads), else {@link METRICS_NAMESPACE}. */
  readonly namespace?: string;
  /** The `service` dimension: {@link serviceName}, as the log lines' `service`. */
  readonly service?: string;
  /** POWERTOOLS_METRICS_DISABLED=true writes nothing (a local run that wants no EMF lines). */
  readonly disabled?: boolean;
  readonly write?: LineWriter;
  /** The document's Timestamp. */
  readonly now?: () => Date;
}

/**
 * The toolkit's metrics: counts added during an invocation, written as one EMF document (per 100
 * metrics) when the invocation ends, by the base middy stack. Adding a name twice adds the values:
 * every metric here is a count or a figure per invocation, and alarms read their Sum.
 */
export class EmfMetrics {
  readonly #namespace: string;
  readonly #service: string;
  readonly #disabled: boolean;
  readonly #write: LineWriter;
  readonly #now: () => Date;
  readonly #stored = new Map<string, { unit: MetricUnitName; value: number }>();
  #coldStartSeen = false;

  constructor(options: EmfMetricsOptions = {}) {
    this.#namespace = options.namespace ?? (process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE);
    this.#service = options.service ?? serviceName();
    this.#disabled = options.disabled ?? process.env.POWERTOOLS_METRICS_DISABLED?.trim().toLowerCase() === 'true';
    this.#write = options.write ?? stdoutWriter();
    this.#now = options.now ?? (() => new Date());
  }

  /** Adds `value` to the metric `name` of this invocation; a value that is not a finite number is dropped. */
  addMetric(name: string, unit: MetricUnitName, value: number): void {
    if (!Number.isFinite(value)) return;
    const stored = this.#stored.get(name);
    if (stored) stored.value += value;
    else this.#stored.set(name, { unit, value });
  }

  /**
   * On a container's first invocation only: a ColdStart count of 1 with the dimensions `service`
   * and `function_name`, in a document of its own, as Powertools' `captureColdStartMetric` writes it.
   */
  captureColdStart(functionName: string): void {
    if (this.#coldStartSeen) return;
    this.#coldStartSeen = true;
    this.#emit([['ColdStart', { unit: MetricUnit.Count, value: 1 }]], { function_name: functionName });
  }

  /** Writes the invocation's metrics and forgets them; nothing added, nothing written. */
  publish(): void {
    const metrics = [...this.#stored];
    this.#stored.clear();
    for (let i = 0; i < metrics.length; i += MAX_METRICS_PER_DOCUMENT) {
      this.#emit(metrics.slice(i, i + MAX_METRICS_PER_DOCUMENT), {});
    }
  }

  #emit(
    metrics: readonly [string, { unit: MetricUnitName; value: number }][],
    dimensions: Record<string, string>,
  ): void {
    if (this.#disabled) return;
    const values = Object.fromEntries(metrics.map(([name, { value }]) => [name, value]));
    const document = {
      _aws: {
        Timestamp: this.#now().getTime(),
        CloudWatchMetrics: [
          {
            Namespace: this.#namespace,
            Dimensions: [['service', ...Object.keys(dimensions)]],
            Metrics: metrics.map(([name, { unit }]) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      // The dimension values and the metric values are the document's own keys (EMF "target members").
      ...values,
      service: this.#service,
      ...dimensions,
    };
    this.#write(JSON.stringify(document));
  }
}

/** The one metrics instance of a function's container, published after each invocation by the base middy stack. */
export const metrics = new EmfMetrics();

/** The narrow metrics type logic modules depend on. */
export type MetricSink = Pick<EmfMetrics, 'addMetric'>;

/** Adds one (or `value`) to a count metric. */
export function count(sink: MetricSink, name: string, value = 1): void {
  sink.addMetric(name, MetricUnit.Count, value);
}
