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
