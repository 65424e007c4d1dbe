import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BackupApiError, toBackupApiError } from '../../../shared/backup/index.js';
import { API_ERROR_TABLE, diagnoseApiError } from '../../../shared/diagnosis/index.js';

const sdkError = (shape: Record<string, unknown>) => Object.assign(new Error('AWS said no'), shape);

describe('one error policy: BackupApiError takes its retryability from the diagnosis table', () => {
  const rows = API_ERROR_TABLE.flatMap((row) => row.names.map((name) => ({ name, retryable: row.retryable })));

  it.each(rows)('$name: retryable $retryable, as the diagnosis says', ({ name, retryable }) => {
    const error = sdkError({ name });
    const wrapped = toBackupApiError('StartCopyJob', error) as BackupApiError;
    expect(wrapped.retryable).toBe(retryable);
    expect(diagnoseApiError(wrapped).retryable).toBe(retryable);
    expect(diagnoseApiError(error).retryable).toBe(retryable);
  });

  it.each([
    { case: 'a broken pipe (Node network error)', shape: { name: 'Error', code: 'EPIPE' }, retryable: true },
    {
      case: 'an unknown name with a 503',
      shape: { name: 'Mystery', $metadata: { httpStatusCode: 503 } },
      retryable: true,
    },
    { case: 'a server fault', shape: { name: 'Mystery', $fault: 'server' }, retryable: true },
    {
      case: 'an unknown client error',
      shape: { name: 'Mystery', $metadata: { httpStatusCode: 400 } },
      retryable: false,
    },
  ])('$case: retryable $retryable, the same in both', ({ shape, retryable }) => {
    const error = sdkError(shape);
    expect((toBackupApiError('ListCopyJobs', error) as BackupApiError).retryable).toBe(retryable);
    expect(diagnoseApiError(error).retryable).toBe(retryable);
  });
});

/**
 * The Node network error codes the SDK retries as transient, read from its own source (@smithy/core's
 * retry module does not export them), so a code the SDK adds fails this test until the table has it.
 */
const sdkNetworkCodes = (): string[] => {
  const require = createRequire(import.meta.url);
  const core = dirname(require.resolve('@smithy/core/package.json'));
  const source = readFileSync(join(core, 'dist-cjs', 'submodules', 'retry', 'index.js'), 'utf8');
  return ['NODEJS_TIMEOUT_ERROR_CODES', 'NODEJS_NETWORK_ERROR_CODES'].flatMap((name) => {
    const list = new RegExp(`const ${name} = \\[([^\\]]*)\\]`).exec(source)?.[1];
    if (list === undefined) throw new Error(`@smithy/core no longer declares ${name}: read its isTransientError again`);
    return [...list.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1] as string);
  });
};

describe('a call that never reached AWS is never read as AWS refusing it', () => {
  const codes = sdkNetworkCodes();

  it("reads the SDK's lists", () => {
    expect(codes).toEqual(expect.arrayContaining(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']));
  });

  it.each(codes)('%s, as Node raises it: retryable, diagnosed as a timeout', (code) => {
    const error = Object.assign(new Error(`connect ${code} backup.us-east-1.amazonaws.com`), { code });
    expect((toBackupApiError('StartCopyJob', error) as BackupApiError).retryable).toBe(true);
    expect(diagnoseApiError(error)).toMatchObject({ category: 'timeout', retryable: true });
  });

  it('an AggregateError carrying the code, as Node raises it when every address of an endpoint refuses', async () => {
    // Node's autoSelectFamily (on by default since Node 20) tries each address the name resolves
    // to and, when all fail, raises AggregateError with the first error's code.
    const { connect } = await import('node:net');
    const error = await new Promise<Error>((resolve) => {
      const socket = connect({
        host: 'backup.us-east-1.amazonaws.com',
        port: 1,
        autoSelectFamily: true,
        lookup: (_host, options, callback) => {
          const all = [
            { address: '127.0.0.1', family: 4 },
            { address: '::1', family: 6 },
          ];
          if ((options as { all?: boolean }).all) (callback as (e: null, a: typeof all) => void)(null, all);
          else (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
        },
      });
      socket.on('error', resolve);
    });
    expect(error).toMatchObject({ name: 'AggregateError', code: 'ECONNREFUSED' });
    const wrapped = toBackupApiError('StartCopyJob', error) as BackupApiError;
    expect(wrapped).toMatchObject({ errorName: 'ECONNREFUSED', retryable: true });
    expect(diagnoseApiError(error)).toMatchObject({ category: 'timeout', retryable: true });
  });
});
