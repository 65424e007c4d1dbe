import { describe, expect, it } from 'vitest';
import { JsonLogger, logLevelFrom, serviceName } from '../../shared/logger.js';
import { aContext } from '../fixtures/context.js';

/** A logger at `level` (INFO by default) whose lines are parsed into `lines`. */
const loggerInto = (lines: Record<string, unknown>[], level = logLevelFrom({})) =>
  new JsonLogger({ service: 'retry-failed-job', level, write: (line) => void lines.push(JSON.parse(line)) });

describe('JsonLogger', () => {
  it("writes one JSON line with Powertools' keys: level, message, timestamp, service, the context, correlation id, then the data", () => {
    const lines: Record<string, unknown>[] = [];
    const logger = loggerInto(lines);
    logger.addContext(aContext());
    logger.setCorrelationId('6b1a8e4c-2f0d-4c9e-9f5e-1d2c3b4a5f60');
    logger.info('retry scheduled', { jobId: 'job-1', attempt: 2 });
    expect(lines).toEqual([
      {
        level: 'INFO',
        message: 'retry scheduled',
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        service: 'retry-failed-job',
        cold_start: true,
        function_arn: 'arn:aws:lambda:us-east-1:111122223333:function:backup-autopilot-test',
        function_memory_size: 256,
        function_name: 'backup-autopilot-test',
        function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
        correlation_id: '6b1a8e4c-2f0d-4c9e-9f5e-1d2c3b4a5f60',
        jobId: 'job-1',
        attempt: 2,
      },
    ]);
    expect(Object.keys(lines[0] ?? {}).slice(0, 4)).toEqual(['level', 'message', 'timestamp', 'service']);
  });

  it('marks only the first invocation a cold start, and drops the last invocation’s correlation id', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = loggerInto(lines);
    logger.addContext(aContext());
    logger.setCorrelationId('first');
    logger.info('one');
    logger.addContext(aContext({ awsRequestId: 'second-request' }));
    logger.info('two');
    expect(
      lines.map(({ cold_start, correlation_id, function_request_id }) => ({
        cold_start,
        correlation_id,
        function_request_id,
      })),
    ).toEqual([
      { cold_start: true, correlation_id: 'first', function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678' },
      { cold_start: false, correlation_id: undefined, function_request_id: 'second-request' },
    ]);
  });

  it('writes nothing below its level, and every level at or above it', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = loggerInto(lines, logLevelFrom({ AWS_LAMBDA_LOG_LEVEL: 'WARN' }));
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['WARN', 'w'],
      ['ERROR', 'e'],
    ]);
  });

  it('never lets data replace a key every line starts with', () => {
    const lines: Record<string, unknown>[] = [];
    loggerInto(lines).warn('the phrase', { message: 'forged', level: 'DEBUG', service: 'other', ok: true });
    expect(lines[0]).toMatchObject({ level: 'WARN', message: 'the phrase', service: 'retry-failed-job', ok: true });
  });

  it('writes a key named __proto__ in the data as a key, not as the line’s prototype', () => {
    const lines: Record<string, unknown>[] = [];
    const data = JSON.parse('{"__proto__": {"level": "DEBUG"}, "jobId": "job-1"}') as Record<string, unknown>;
    loggerInto(lines).info('event refused', data);
    expect(Object.getOwnPropertyDescriptor(lines[0], '__proto__')?.value).toEqual({ level: 'DEBUG' });
    expect(lines[0]).toMatchObject({ level: 'INFO', jobId: 'job-1' });
  });

  it('writes out an error (name, message, stack, cause, its own fields), a bigint and a cycle instead of throwing', () => {
    const lines: Record<string, unknown>[] = [];
    const error = Object.assign(new Error('Rate exceeded', { cause: new Error('socket hang up') }), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400, attempts: 6 },
    });
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    loggerInto(lines).error('describe failed', { error, bytes: 10n ** 20n, cycle });
    expect(lines[0]).toMatchObject({
      error: {
        name: 'ThrottlingException',
        message: 'Rate exceeded',
        stack: expect.stringContaining('Rate exceeded'),
        cause: { name: 'Error', message: 'socket hang up' },
        $metadata: { httpStatusCode: 400, attempts: 6 },
      },
      bytes: '100000000000000000000',
      cycle: { name: 'loop', self: '[Circular]' },
    });
  });

  it('still writes the line, with the problem, when the data cannot be serialized', () => {
    const lines: Record<string, unknown>[] = [];
    const hostile = {
      get value(): never {
        throw new Error('getter refused');
      },
    };
    expect(() => loggerInto(lines).warn('could not record', { hostile })).not.toThrow();
    // The data itself with a getter that throws, read before anything is serialized.
    expect(() => loggerInto(lines).warn('could not record either', hostile)).not.toThrow();
    expect(lines).toMatchObject([
      { level: 'WARN', message: 'could not record', log_error: 'Error: getter refused' },
      { level: 'WARN', message: 'could not record either', log_error: 'Error: getter refused' },
    ]);
  });

  it('carries the X-Ray trace id Lambda sets for the invocation', () => {
    const lines: Record<string, unknown>[] = [];
    const before = process.env._X_AMZN_TRACE_ID;
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    try {
      loggerInto(lines).info('traced');
    } finally {
      if (before === undefined) delete process.env._X_AMZN_TRACE_ID;
      else process.env._X_AMZN_TRACE_ID = before;
    }
    expect(lines[0]?.xray_trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });
});

describe('logLevelFrom', () => {
  it('takes the function’s LoggingConfig (AWS_LAMBDA_LOG_LEVEL) over POWERTOOLS_LOG_LEVEL over LOG_LEVEL', () => {
    expect(logLevelFrom({ AWS_LAMBDA_LOG_LEVEL: 'ERROR', POWERTOOLS_LOG_LEVEL: 'DEBUG', LOG_LEVEL: 'INFO' })).toBe(20);
    expect(logLevelFrom({ POWERTOOLS_LOG_LEVEL: 'debug', LOG_LEVEL: 'ERROR' })).toBe(8);
    expect(logLevelFrom({ LOG_LEVEL: 'warn' })).toBe(16);
  });

  it('reads FATAL as CRITICAL, and an unknown or missing name as INFO', () => {
    expect(logLevelFrom({ AWS_LAMBDA_LOG_LEVEL: 'FATAL' })).toBe(24);
    expect(logLevelFrom({ AWS_LAMBDA_LOG_LEVEL: 'LOUD' })).toBe(12);
    expect(logLevelFrom({})).toBe(12);
  });
});

describe('serviceName', () => {
  it('is POWERTOOLS_SERVICE_NAME, and backup-autopilot when it is unset or blank', () => {
    expect(serviceName({ POWERTOOLS_SERVICE_NAME: 'retry-failed-job' })).toBe('retry-failed-job');
    expect(serviceName({ POWERTOOLS_SERVICE_NAME: '  ' })).toBe('backup-autopilot');
    expect(serviceName({})).toBe('backup-autopilot');
  });
});
