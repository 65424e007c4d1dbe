import type { Context } from 'aws-lambda';

// Why not Powertools Logger, the logger this design first named: measured as Lambda starts node
// (Node 24, callgrind, medians of 3; docs/development.md, "Without Powertools"), Powertools Logger
// and Metrics together added 19M instructions to the retry function's import (8% of its 232M
// floor; 13M to the other two functions), which was about how far the retry function stood over
// the 1.15x cold-start target, most of it compiling and running the classes' construction
// (options, environment service, attribute store, formatter, two Console objects). What this
// toolkit needs of a logger is one JSON line per call with the keys Powertools writes, so that
// queries and dashboards built on those keys still work: this module and metrics.ts beside it.

/** Writes one line of output (a JSON object, no newline). */
export type LineWriter = (line: string) => void;

/**
 * Writes each line to the process's stdout, which Lambda sends to the function's log group. Not
 * through `console`: Lambda's runtime replaces console's methods with its own, which under the
 * template's JSON log format wrap each call in an object of their own (timestamp, level,
 * requestId, message: aws-lambda-nodejs-runtime-interface-client, LogPatch), so a line's keys and
 * an EMF document's `_aws` would be buried in a string. Powertools writes to stdout for the same
 * reason. Writes to a pipe or a file are synchronous on Linux (Node.js, "A note on process I/O"),
 * so a line is out before Lambda freezes the process.
 */
export function stdoutWriter(): LineWriter {
  return (line) => {
    process.stdout.write(`${line}\n`);
  };
}

/** Log levels, numbered as Powertools numbers them; FATAL (AWS_LAMBDA_LOG_LEVEL's name) is CRITICAL. */
const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, FATAL: 24, SILENT: 28 } as const;
type LevelName = keyof typeof LEVELS;

/** Keys every line starts with; data passed to a call never replaces them. */
const RESERVED = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'correlation_id',
  'xray_trace_id',
]);

/**
 * The function's `service`, in its log lines and as its metrics' dimension: POWERTOOLS_SERVICE_NAME
 * (set per function by template.yaml; a blank one counts as unset), else `backup-autopilot`.
 */
export function serviceName(env: NodeJS.ProcessEnv = process.env): string {
  return env.POWERTOOLS_SERVICE_NAME?.trim() || 'backup-autopilot';
}

function isLevel(value: string | undefined): value is LevelName {
  return value !== undefined && value in LEVELS;
}

/**
 * The level a function logs at: the function's LoggingConfig ApplicationLogLevel (Lambda sets
 * AWS_LAMBDA_LOG_LEVEL from it, and it wins, as it does for Powertools), else POWERTOOLS_LOG_LEVEL,
 * else LOG_LEVEL, else INFO. An unknown name falls back to INFO rather than failing the cold start.
 */
export function logLevelFrom(env: NodeJS.ProcessEnv): number {
  for (const key of ['AWS_LAMBDA_LOG_LEVEL', 'POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL']) {
    const name = env[key]?.trim().toUpperCase();
    if (isLevel(name)) return LEVELS[name];
  }
  return LEVELS.INFO;
}

/** The X-Ray trace id of the current invocation (`Root=` of _X_AMZN_TRACE_ID, which Lambda sets per invocation). */
function traceId(): string | undefined {
  return /Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];
}

/** An error as a log line shows it: name, message, stack, cause, and its own fields (an SDK error's `$metadata`). */
function errorFields(error: Error): Record<string, unknown> {
  return {
    ...error,
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  };
}

/**
 * JSON.stringify with what a log line must survive: an Error (whose fields are not enumerable) is
 * written out, a bigint as its digits, and an object met again (a cycle) as "[Circular]" instead
 * of throwing from inside the call that was only meant to log.
 */
function toJson(line: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(line, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    return value instanceof Error ? errorFields(value) : value;
  });
}

/** Options of a {@link JsonLogger}; each defaults to what Lambda and the template set. */
export interface JsonLoggerOptions {
  /** The `service` key: {@link serviceName}. */
  readonly service?: string;
  /** The least level written, as {@link logLevelFrom} reads it. */
  readonly level?: number;
  /** Where each line goes: stdout, one line per call. */
  readonly write?: LineWriter;
}

/**
 * A structured logger writing one JSON object per line, with the keys Powertools Logger writes:
 * `level`, `message`, `timestamp`, `service`, the Lambda context's (`cold_start`, `function_arn`,
 * `function_memory_size`, `function_name`, `function_request_id`), `correlation_id` and
 * `xray_trace_id`, then the call's data. Log a constant phrase with data in the second argument:
 * `logger.info('retry scheduled', { jobId, attempt })`.
 */
export class JsonLogger {
  readonly #service: string;
  readonly #level: number;
  readonly #write: LineWriter;
  #context: Record<string, unknown> = {};
  #correlationId: string | undefined;
  #invocations = 0;

  constructor(options: JsonLoggerOptions = {}) {
    this.#service = options.service ?? serviceName();
    this.#level = options.level ?? logLevelFrom(process.env);
    this.#write = options.write ?? stdoutWriter();
  }

  /**
   * Starts an invocation's lines: the Lambda context's keys (cold_start true on the container's
   * first invocation only), and no correlation id until one is set (the base stack sets it).
   */
  addContext(context: Pick<Context, 'invokedFunctionArn' | 'memoryLimitInMB' | 'functionName' | 'awsRequestId'>): void {
    this.#invocations += 1;
    this.#correlationId = undefined;
    this.#context = {
      cold_start: this.#invocations === 1,
      function_arn: context.invokedFunctionArn,
      function_memory_size: Number(context.memoryLimitInMB),
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
  }

  /** Sets the id every following line of the invocation carries as `correlation_id`. */
  setCorrelationId(id: string | undefined): void {
    this.#correlationId = id;
  }

  debug(message: string, data?: Record<string, unknown>): void {
    this.#log('DEBUG', message, data);
  }

  info(message: string, data?: Record<string, unknown>): void {
    this.#log('INFO', message, data);
  }

  warn(message: string, data?: Record<string, unknown>): void {
    this.#log('WARN', message, data);
  }

  error(message: string, data?: Record<string, unknown>): void {
    this.#log('ERROR', message, data);
  }

  #log(level: LevelName, message: string, data: Record<string, unknown> | undefined): void {
    if (LEVELS[level] < this.#level) return;
    const line: Record<string, unknown> = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.#service,
      ...this.#context,
      correlation_id: this.#correlationId,
      xray_trace_id: traceId(),
    };
    let text: string;
    try {
      for (const [key, value] of Object.entries(data ?? {})) {
        // Defined, not assigned: data parsed from JSON may hold an own `__proto__` key, which an
        // assignment would take as the line's prototype (and JSON.stringify would then drop).
        if (!RESERVED.has(key))
          Object.defineProperty(line, key, { value, enumerable: true, writable: true, configurable: true });
      }
      text = toJson(line);
    } catch (error) {
      // A getter that throws, say: the line still says what happened, and the call does not fail.
      text = toJson({ level, message, timestamp: line.timestamp, service: this.#service, log_error: String(error) });
    }
    this.#write(text);
  }
}

/** The one logger of a function's container. */
export const logger = new JsonLogger();

/** The narrow logger type logic modules depend on, so tests pass a spy instead of a logger. */
export type LogSink = Pick<JsonLogger, 'debug' | 'info' | 'warn' | 'error'>;
