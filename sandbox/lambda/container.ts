import { type ChildProcess, fork } from 'node:child_process';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lambdaRuntime } from '../paths.js';
import { type Credentials, executionEnvironment, type FunctionSpec } from './context.js';
import { lambdaHeapArgs } from './node-args.js';

/** What Lambda reports for an invocation's failure (the runtime's error payload). */
export interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: string[];
}

/** The end of one invocation, as the caller of Lambda's Invoke sees it, plus the function's log lines. */
export type InvokeOutcome = {
  readonly requestId: string;
  /** The execution environment that served it (`<logicalId>-<n>`). */
  readonly container: string;
  /** Real milliseconds from handing over the event to the answer. */
  readonly durationMs: number;
  /** The function's stdout and stderr lines of this invocation (init lines included on a cold start). */
  readonly logs: string[];
  /** The environment was started for this invocation (its Init phase ran just before). */
  readonly coldStart: boolean;
} & (
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly kind: 'error' | 'timeout' | 'crash' | 'init'; readonly error: LambdaError }
);

/** One line a function wrote, as it comes. */
export interface LogLine {
  readonly container: string;
  /** The invocation in flight; undefined for the Init phase. */
  readonly requestId?: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

export interface ContainerOptions {
  /** The execution role's credentials of this environment; undefined sets none. */
  readonly credentials?: Credentials;
  /** The sandbox's clock (epoch ms): present, the function runs on it (runtime/virtual-clock.mjs). */
  readonly clock?: () => number;
  /** Every line the function writes, as it comes (`npm run invoke` prints them live). */
  readonly onLog?: (line: LogLine) => void;
  /**
   * Limit of the Init phase, real ms. Default 10 s: "The Init phase is limited to 10 seconds" (Lambda
   * Developer Guide, "Understanding the Lambda execution environment lifecycle").
   */
  readonly initTimeoutMs?: number;
}

export type ContainerState = 'new' | 'starting' | 'idle' | 'busy' | 'dead';

interface InvokeOptions {
  readonly requestId: string;
  /** The sandbox time of this invocation (epoch ms); default the clock option's now. */
  readonly now?: number;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaError }
  | { type: 'result'; requestId: string; payload: string }
  | { type: 'error'; requestId: string; error: LambdaError; fatal?: boolean };

// Must match runtime/worker.mjs: written on stdout and stderr at the end of each phase.
const MARK = '\u0000sandbox-lambda-end:';
const STREAMS = ['stdout', 'stderr'] as const;

/** A phase (init, or one invocation) ends when its answer and both end markers have arrived. */
interface Phase {
  readonly name: string;
  message?: WorkerMessage;
  readonly marks: Set<string>;
  readonly done: () => void;
}

// Every live function process, killed when this process exits: no orphan execution environments.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
const installExitHook = (): void => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
};

/** Go's wording for a process state, which Lambda's "Runtime exited with error" message uses. */
const exitText = (code: number | null, signal: NodeJS.Signals | null): string => {
  const names: Partial<Record<NodeJS.Signals, string>> = {
    SIGKILL: 'killed',
    SIGTERM: 'terminated',
    SIGABRT: 'aborted',
    SIGSEGV: 'segmentation fault',
    SIGINT: 'interrupt',
  };
  return signal ? `signal: ${names[signal] ?? signal}` : `exit status ${code ?? 0}`;
};

/**
 * One Lambda execution environment: one Node.js process running runtime/worker.mjs with the
 * function's environment. It serves one invocation at a time, enforces the function's timeout in
 * real time by killing the process ("Task timed out after N seconds", as Lambda does: the
 * environment is then reset), and reports a killed process as Lambda's "Runtime exited with error".
 * Once dead it stays dead: the pool starts a new one.
 */
export class Container {
  readonly #spec: FunctionSpec;
  readonly #options: ContainerOptions;
  #child: ChildProcess | undefined;
  #state: ContainerState = 'new';
  #starting: Promise<void> | undefined;
  #initError: LambdaError | undefined;
  #initLines: string[] = [];
  #lines: string[] = [];
  #partial: Record<(typeof STREAMS)[number], string> = { stdout: '', stderr: '' };
  #phase: Phase | undefined;
  #served = 0;
  #timedOut = false;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #spawnError: string | undefined;
  #closed: Promise<void> | undefined;
  #lastMessage: WorkerMessage | undefined;
  #inUse = false;

  /** @param id - the container id, `<logicalId>-<n>` (also names its log stream). */
  constructor(
    readonly id: string,
    spec: FunctionSpec,
    options: ContainerOptions = {},
  ) {
    this.#spec = spec;
    this.#options = options;
  }

  get state(): ContainerState {
    return this.#state;
  }

  /** The process id once spawned (kept after the process is gone). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Spawns the process and runs the Init phase (imports the bundle). Resolves even when init fails. */
  start(): Promise<void> {
    this.#starting ??= this.#spawn();
    return this.#starting;
  }

  async #spawn(): Promise<void> {
    this.#state = 'starting';
    installExitHook();
    const clock = this.#options.clock;
    const env = executionEnvironment(this.#spec, {
      containerId: this.id,
      startedAt: clock ? clock() : Date.now(),
      ...(this.#options.credentials ? { credentials: this.#options.credentials } : {}),
    });
    // NODE_OPTIONS stays in env (Node applies it, as on Lambda); execArgv is set so the parent's own
    // flags (vitest's, a debugger's) never reach the function. The heap is sized as Lambda's
    // bootstrap sizes it (node-args.ts), so a function that outgrows its memory dies here as there.
    // Lambda's --expose-gc is left out: it gives the function a global gc() ours never calls, and
    // makes every start compile Node's built-in modules from source (tens of ms per environment).
    const child = fork(lambdaRuntime.worker, clock ? [`--sandbox-now=${clock()}`] : [], {
      execPath: process.execPath,
      execArgv: [
        ...lambdaHeapArgs(this.#spec.memoryMb),
        ...(clock ? ['--import', pathToFileURL(lambdaRuntime.virtualClock).href] : []),
      ],
      env,
      cwd: dirname(this.#spec.bundle),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.#child = child;
    live.add(child);
    for (const stream of STREAMS) {
      child[stream]?.setEncoding('utf8');
      child[stream]?.on('data', (chunk: string) => this.#onData(stream, chunk));
    }
    child.on('message', (message: WorkerMessage) => this.#onMessage(message));
    this.#closed = new Promise((closed) => {
      let settled = false;
      const end = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (settled) return;
        settled = true;
        live.delete(child);
        this.#exit = { code, signal };
        this.#state = 'dead';
        for (const stream of STREAMS) this.#flushPartial(stream);
        // Whatever was in flight ends now, without markers.
        this.#phase?.done();
        closed();
      };
      child.once('close', end);
      // A process that could not be spawned, or whose IPC channel failed, counts as killed; its reason is kept.
      child.once('error', (error) => {
        this.#spawnError = error.message;
        end(null, 'SIGKILL');
      });
    });

    await new Promise<void>((ready) => {
      const timer = setTimeout(() => {
        this.#initError = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `INIT timed out after ${((this.#options.initTimeoutMs ?? 10_000) / 1000).toFixed(2)} seconds`,
        };
        child.kill('SIGKILL');
      }, this.#options.initTimeoutMs ?? 10_000);
      this.#phase = {
        name: 'init',
        marks: new Set(),
        done: () => {
          clearTimeout(timer);
          this.#phase = undefined;
          this.#initLines = this.#lines;
          this.#lines = [];
          ready();
        },
      };
    });
    const answer = this.#lastMessage;
    if (this.#exit !== undefined || answer?.type !== 'ready') {
      this.#initError ??=
        answer?.type === 'init-error'
          ? answer.error
          : { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${this.#exitText()}` };
      // A failed Init resets the environment (Lambda retries init at the next invocation, in a new one).
      await this.kill();
      return;
    }
    this.#state = 'idle';
  }

  #exitText(): string {
    const text = exitText(this.#exit?.code ?? null, this.#exit?.signal ?? null);
    return this.#spawnError ? `${text} (${this.#spawnError})` : text;
  }

  #onMessage(message: WorkerMessage): void {
    const phase = this.#phase;
    if (!phase) return;
    phase.message = message;
    this.#lastMessage = message;
    this.#maybeEnd(phase);
  }

  #maybeEnd(phase: Phase): void {
    if (phase.message && phase.marks.size === STREAMS.length) phase.done();
  }

  #onData(stream: (typeof STREAMS)[number], chunk: string): void {
    const text = this.#partial[stream] + chunk;
    const lines = text.split('\n');
    this.#partial[stream] = lines.pop() ?? '';
    for (const line of lines) {
      const at = line.indexOf(MARK);
      if (at < 0) {
        this.#log(stream, line);
        continue;
      }
      // A line the function left unterminated ends where the marker begins.
      if (at > 0) this.#log(stream, line.slice(0, at));
      const phase = this.#phase;
      if (phase && line.slice(at + MARK.length) === phase.name) {
        phase.marks.add(stream);
        this.#maybeEnd(phase);
      }
    }
  }

  #flushPartial(stream: (typeof STREAMS)[number]): void {
    const rest = this.#partial[stream];
    this.#partial[stream] = '';
    if (rest && !rest.includes(MARK)) this.#log(stream, rest);
  }

  #log(stream: (typeof STREAMS)[number], line: string): void {
    this.#lines.push(line);
    const phase = this.#phase;
    const requestId = phase && phase.name !== 'init' ? phase.name : undefined;
    this.#options.onLog?.({ container: this.id, stream, line, ...(requestId ? { requestId } : {}) });
  }

  /**
   * Runs one invocation (starting the environment first if needed). Never rejects: a handler error,
   * a timeout, a crash or an init failure is an outcome, as Lambda's Invoke reports them.
   */
  async invoke(event: unknown, options: InvokeOptions): Promise<InvokeOutcome> {
    if (this.#inUse) throw new Error(`${this.id} is busy: one invocation at a time per environment`);
    this.#inUse = true;
    try {
      return await this.#invoke(event, options);
    } finally {
      this.#inUse = false;
    }
  }

  async #invoke(event: unknown, options: InvokeOptions): Promise<InvokeOutcome> {
    const coldStart = this.#served === 0;
    this.#served += 1;
    await this.start();
    const started = performance.now();
    const { requestId } = options;
    const base = (logs: string[]) => ({
      requestId,
      container: this.id,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      logs,
      coldStart,
    });
    const initLogs = coldStart ? this.#initLines : [];
    if (this.#initError) {
      return { ...base(initLogs), ok: false, kind: 'init', error: this.#initError };
    }
    const child = this.#child;
    if (this.#state !== 'idle' || !child) {
      return { ...base([]), ok: false, kind: 'crash', error: this.#exited(requestId) };
    }
    this.#state = 'busy';
    this.#lastMessage = undefined;
    const timeoutMs = this.#spec.timeoutMs;
    await new Promise<void>((finished) => {
      const timer = setTimeout(() => {
        this.#timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      this.#phase = {
        name: requestId,
        marks: new Set(),
        done: () => {
          clearTimeout(timer);
          this.#phase = undefined;
          finished();
        },
      };
      const now = options.now ?? this.#options.clock?.();
      child.send(
        {
          type: 'invoke',
          requestId,
          event,
          invokedFunctionArn: this.#spec.arn,
          remainingMs: timeoutMs,
          ...(now === undefined ? {} : { now }),
        },
        (error) => {
          if (error) child.kill('SIGKILL');
        },
      );
    });
    const logs = [...initLogs, ...this.#lines];
    this.#lines = [];
    const answer = this.#lastMessage as WorkerMessage | undefined;
    if (this.#timedOut) {
      return {
        ...base(logs),
        ok: false,
        kind: 'timeout',
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
        },
      };
    }
    if (answer?.type === 'result' && answer.requestId === requestId) {
      this.#idleUnlessDead();
      return { ...base(logs), ok: true, result: JSON.parse(answer.payload) as unknown };
    }
    if (answer?.type === 'error' && answer.requestId === requestId) {
      // The runtime exits after an uncaught error: this environment takes no further invocation.
      if (answer.fatal) this.#state = 'dead';
      this.#idleUnlessDead();
      return { ...base(logs), ok: false, kind: 'error', error: answer.error };
    }
    return { ...base(logs), ok: false, kind: 'crash', error: this.#exited(requestId) };
  }

  #idleUnlessDead(): void {
    if (this.#state === 'busy') this.#state = 'idle';
  }

  #exited(requestId: string): LambdaError {
    return {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${this.#exitText()}`,
    };
  }

  /** Kills the process (SIGKILL); the invocation in flight ends as a crash. Resolves once it is gone. */
  async kill(): Promise<void> {
    if (this.#state === 'new') {
      this.#state = 'dead';
      return;
    }
    this.#child?.kill('SIGKILL');
    await this.#closed;
  }
}
