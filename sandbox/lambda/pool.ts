import { randomUUID } from 'node:crypto';
import { Container, type ContainerState, type InvokeOutcome, type LogLine } from './container.js';
import type { Credentials, FunctionSpec } from './context.js';

export interface PoolOptions {
  /** The credentials of each new execution environment (the sandbox issues one principal per container). */
  readonly credentials: (containerId: string) => Credentials | undefined;
  /** The sandbox's virtual clock (epoch ms): present, every function process runs on it. */
  readonly clock?: () => number;
  /** Concurrent execution environments at most (default 10); further invocations wait their turn. */
  readonly maxContainers?: number;
  /** Request ids of invocations that bring none (default a random UUID, as Lambda's). */
  readonly requestId?: () => string;
  /** Every outcome, as it ends. */
  readonly onInvoke?: (outcome: InvokeOutcome) => void;
  /** Every log line of every environment, as it comes. */
  readonly onLog?: (line: LogLine) => void;
  /** An environment is gone for good (crashed, timed out, failed init, killed or closed): revoke its credentials. */
  readonly onRetire?: (containerId: string) => void;
  /** The Init phase's limit, real ms (default 10 s, Lambda's). */
  readonly initTimeoutMs?: number;
}

/** What `containers()` tells about one execution environment. */
export interface ContainerInfo {
  readonly id: string;
  readonly state: ContainerState;
  readonly pid?: number;
}

interface Waiter {
  readonly resolve: (container: Container) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The execution environments of one function, managed as Lambda does ("Understanding the Lambda
 * execution environment lifecycle"; "Understanding Lambda function scaling"): an invocation reuses an
 * idle warm environment, a new one starts when every environment is busy (up to maxContainers, the
 * function's concurrency; then invocations queue), and one that crashed, timed out or failed its
 * init is replaced by a fresh one at the next invocation. Container ids are `<logicalId>-<n>`, n
 * counting from 1 in the order environments start.
 */
export class FunctionPool {
  readonly #spec: FunctionSpec;
  readonly #options: PoolOptions;
  readonly #containers: Container[] = [];
  readonly #busy = new Set<Container>();
  readonly #waiting: Waiter[] = [];
  #started = 0;
  #closed = false;

  constructor(spec: FunctionSpec, options: PoolOptions) {
    this.#spec = spec;
    this.#options = options;
  }

  get spec(): FunctionSpec {
    return this.#spec;
  }

  /** Invokes the function once, synchronously in Lambda's sense: resolves with the outcome, never rejects (but after close). */
  async invoke(event: unknown, options: { requestId?: string } = {}): Promise<InvokeOutcome> {
    const requestId = options.requestId ?? this.#options.requestId?.() ?? randomUUID();
    const container = await this.#acquire();
    let outcome: InvokeOutcome;
    try {
      outcome = await container.invoke(event, { requestId });
    } finally {
      this.#release(container);
    }
    this.#options.onInvoke?.(outcome);
    return outcome;
  }

  /** Kills one environment (the sandbox's crash fault): its invocation in flight ends as a crash. */
  async kill(containerId: string): Promise<void> {
    const container = this.#containers.find((c) => c.id === containerId);
    if (!container) return;
    await container.kill();
    if (!this.#busy.has(container)) this.#release(container);
  }

  /** The live environments, in the order they started. */
  containers(): ContainerInfo[] {
    return this.#containers.map((c) =>
      c.pid === undefined ? { id: c.id, state: c.state } : { id: c.id, state: c.state, pid: c.pid },
    );
  }

  /** Kills every environment and refuses further invocations; queued ones reject. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(`${this.#spec.logicalId}: pool closed`));
    await Promise.all(this.#containers.map((c) => c.kill()));
    for (const container of [...this.#containers]) if (!this.#busy.has(container)) this.#retire(container);
  }

  #acquire(): Promise<Container> {
    if (this.#closed) return Promise.reject(new Error(`${this.#spec.logicalId}: pool closed`));
    const container = this.#take();
    if (container) return Promise.resolve(container);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #take(): Container | undefined {
    for (const dead of this.#containers.filter((c) => c.state === 'dead' && !this.#busy.has(c))) this.#retire(dead);
    // The first idle one, in start order: deterministic, so a seeded run reuses the same environments.
    let container = this.#containers.find((c) => !this.#busy.has(c));
    if (!container && this.#containers.length < (this.#options.maxContainers ?? 10)) {
      this.#started += 1;
      const id = `${this.#spec.logicalId}-${this.#started}`;
      const credentials = this.#options.credentials(id);
      container = new Container(id, this.#spec, {
        ...(credentials ? { credentials } : {}),
        ...(this.#options.clock ? { clock: this.#options.clock } : {}),
        ...(this.#options.onLog ? { onLog: this.#options.onLog } : {}),
        ...(this.#options.initTimeoutMs === undefined ? {} : { initTimeoutMs: this.#options.initTimeoutMs }),
      });
      this.#containers.push(container);
    }
    if (container) this.#busy.add(container);
    return container;
  }

  #release(container: Container): void {
    this.#busy.delete(container);
    if (container.state === 'dead') this.#retire(container);
    if (this.#closed) return;
    while (this.#waiting.length > 0) {
      const next = this.#take();
      if (!next) break;
      this.#waiting.shift()?.resolve(next);
    }
  }

  #retire(container: Container): void {
    const at = this.#containers.indexOf(container);
    if (at < 0) return;
    this.#containers.splice(at, 1);
    this.#options.onRetire?.(container.id);
  }
}
