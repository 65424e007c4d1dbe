import { describe, expect, it } from 'vitest';
import { BackupApiError, backupClientFor, createBackupClient, toBackupApiError } from '../../../shared/backup/index.js';
import { ValidationError } from '../../../shared/errors.js';

describe('toBackupApiError', () => {
  it.each([
    [{ name: 'ThrottlingException' }, true],
    [{ name: 'LimitExceededException' }, true],
    [{ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }, false],
    [{ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } }, false],
    [{ name: 'SomethingNew', $metadata: { httpStatusCode: 502 } }, true],
    [{ name: 'SomethingNew', $metadata: { httpStatusCode: 429 } }, true],
    [{ name: 'AbortError' }, true],
    [{ code: 'ECONNRESET', name: 'Error' }, true],
  ])('%j retryable %s', (shape, retryable) => {
    const error = toBackupApiError('ListBackupJobs', Object.assign(new Error('x'), shape));
    expect(error).toBeInstanceOf(BackupApiError);
    expect((error as BackupApiError).retryable).toBe(retryable);
  });

  it('keeps toolkit errors as they are and names unknown throwables', () => {
    const validation = new ValidationError('f', 1, 'bad');
    expect(toBackupApiError('X', validation)).toBe(validation);
    expect(toBackupApiError('X', 'boom')).toMatchObject({ errorName: 'UnknownError', retryable: false });
    expect(toBackupApiError('X', undefined).message).toContain('X failed');
  });
});

describe('clients', () => {
  it('creates one client per Region and reuses it', async () => {
    expect(backupClientFor('eu-west-1')).toBe(backupClientFor('eu-west-1'));
    expect(backupClientFor('eu-west-1')).not.toBe(backupClientFor('us-east-1'));
    expect(backupClientFor()).toBe(backupClientFor());
    expect(await backupClientFor('eu-west-1').config.region()).toBe('eu-west-1');
  });

  it('uses the standard retry strategy with more attempts', async () => {
    const client = createBackupClient();
    expect(await client.config.maxAttempts()).toBe(6);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
  });
});
