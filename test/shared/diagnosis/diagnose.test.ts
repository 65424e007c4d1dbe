import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DIAGNOSIS_CATEGORIES,
  DIAGNOSIS_TABLE,
  diagnoseApiError,
  diagnoseJob,
  normalizeStatusMessage,
} from '../../../shared/diagnosis/index.js';

const vault = 'arn:aws:backup:us-west-2:1112233445566:backup-vault:9ab3e749-82c6-4342-9320-5edbf4918b86';

// One message per seeded row, worded as AWS words it (samples and documented reasons).
const SEEDED: readonly (readonly [message: string, kind: 'backup' | 'copy', category: string, retryable: boolean])[] = [
  [
    '"The KMS key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab is disabled."',
    'backup',
    'kms-key-disabled',
    false,
  ],
  ['KMS key is pending deletion', 'backup', 'kms-key-disabled', false],
  [
    'The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it.',
    'copy',
    'kms-key-not-shared',
    false,
  ],
  ['Access denied when trying to use the KMS key for the destination vault', 'copy', 'kms-key-not-shared', false],
  [
    'Copy of a recovery point encrypted with the AWS managed key cannot be shared with another account',
    'copy',
    'default-key-cross-account',
    false,
  ],
  ['Cross-account backup is not enabled for this organization', 'copy', 'cross-account-copy-disabled', false],
  [
    'The source account and destination account are not part of the same organization',
    'copy',
    'not-same-organization',
    false,
  ],
  [
    'The retention period is not within the allowed range of the vault lock on the destination vault',
    'copy',
    'vault-lock-retention',
    false,
  ],
  [
    `User is not authorized to perform: backup:CopyIntoBackupVault on resource: ${vault}`,
    'copy',
    'vault-access-policy',
    false,
  ],
  [`"Backup job failed because backup vault ${vault} does not exist."`, 'backup', 'vault-not-found', false],
  ['Access denied, either the vault does not exist or you do not have access to it', 'copy', 'vault-not-found', false],
  ['Unable to assume role arn:aws:iam::111122223333:role/BackupRole', 'backup', 'iam-role-invalid', false],
  ['Copying AMIs with AWS Marketplace product codes is not supported', 'copy', 'marketplace-ami', false],
  ['Too many copy jobs are in progress for this resource', 'copy', 'too-many-copy-jobs', true],
  ['"Backup job failed because there was a running job for the same resource."', 'backup', 'job-already-running', true],
  ['The DB instance is in a maintenance window', 'backup', 'maintenance-window', true],
  [
    'The maximum number of manual snapshots for this DB instance has been reached (SnapshotQuotaExceeded)',
    'backup',
    'snapshot-limit',
    false,
  ],
  ['Resource type Aurora is not opted in for this Region', 'backup', 'resource-type-not-opted-in', false],
  ['The volume vol-0b5ae24f2ee72d926 does not exist', 'backup', 'resource-not-found', false],
  ['DB instance is not in available state', 'backup', 'resource-state', true],
  ['Continuous backup is not supported for this resource', 'backup', 'unsupported-resource', false],
  [
    'Invalid lifecycle: DeleteAfterDays must be 90 days greater than MoveToColdStorageAfterDays',
    'backup',
    'lifecycle-invalid',
    false,
  ],
  [
    'Windows VSS Backup attempt failed because either Instance or SSM Agent has invalid state',
    'backup',
    'vss-failed',
    true,
  ],
  ['Access denied exception while trying to list tags', 'copy', 'access-denied', false],
  ['Insufficient privileges to perform this action.', 'backup', 'access-denied', false],
  ['"Backup job was stopped by user."', 'backup', 'aborted-by-user', false],
  ['Rate exceeded', 'backup', 'throttling', true],
  ['An internal error occurred. Please try again later.', 'backup', 'internal-error', true],
  ['Invalid parameter value for StartWindowMinutes', 'backup', 'invalid-parameter', false],
];

describe('diagnoseJob: every seeded message', () => {
  it.each(SEEDED)('%s -> %s', (statusMessage, kind, category, retryable) => {
    const d = diagnoseJob({ kind, state: 'FAILED', statusMessage });
    expect(d.category).toBe(category);
    expect(d.retryable).toBe(retryable);
    expect(d.cause.length).toBeGreaterThan(10);
    expect(d.cause).not.toContain('\n');
    expect(d.remedy.length).toBeGreaterThan(10);
    expect(d.statusMessage?.startsWith('"')).toBe(false);
  });

  it('has a seeded message for every row of the table', () => {
    const seeded = new Set(SEEDED.map(([, , category]) => category));
    expect(DIAGNOSIS_TABLE.map((row) => row.category).filter((c) => !seeded.has(c))).toEqual([]);
  });

  it('uses only declared categories', () => {
    for (const row of DIAGNOSIS_TABLE) expect(DIAGNOSIS_CATEGORIES).toContain(row.category);
  });
});

describe('diagnoseJob: precedence and fallbacks', () => {
  it('MessageCategory first, refined by the message', () => {
    expect(diagnoseJob({ kind: 'backup', messageCategory: 'ACCESS_DENIED', statusMessage: 'something' }).category).toBe(
      'access-denied',
    );
    expect(
      diagnoseJob({ kind: 'backup', messageCategory: 'AccessDenied', statusMessage: 'The KMS key is disabled' })
        .category,
    ).toBe('kms-key-disabled');
    expect(diagnoseJob({ kind: 'backup', messageCategory: 'INVALID_PARAMETERS' }).category).toBe('invalid-parameter');
  });

  it('MessageCategory wins over a message that alone would say otherwise', () => {
    const d = diagnoseJob({ kind: 'backup', messageCategory: 'ACCESS_DENIED', statusMessage: 'Rate exceeded' });
    expect(d).toMatchObject({ category: 'access-denied', retryable: false, messageCategory: 'ACCESS_DENIED' });
  });

  it('falls back to the message when the category is unknown or SUCCESS', () => {
    expect(diagnoseJob({ kind: 'backup', messageCategory: 'SUCCESS', statusMessage: 'Rate exceeded' }).category).toBe(
      'throttling',
    );
    expect(diagnoseJob({ kind: 'backup', messageCategory: 'NEW_THING', statusMessage: 'Rate exceeded' }).category).toBe(
      'throttling',
    );
  });

  it.each([
    ['EXPIRED', 'expired-start-window', true],
    ['ABORTED', 'aborted-by-user', false],
    ['PARTIAL', 'partial', false],
    ['FAILED', 'unknown', false],
  ])('a %s job with no message is %s', (state, category, retryable) => {
    expect(diagnoseJob({ kind: 'backup', state })).toMatchObject({ category, retryable });
  });

  it('copy-only rows do not classify backup jobs', () => {
    expect(diagnoseJob({ kind: 'backup', statusMessage: 'Too many copy jobs are in progress' }).category).not.toBe(
      'too-many-copy-jobs',
    );
  });

  it('keeps the text of an unknown reason, not retryable', () => {
    const d = diagnoseJob({ kind: 'copy', state: 'FAILED', statusMessage: '"Something new went wrong."' });
    expect(d).toMatchObject({ category: 'unknown', retryable: false, statusMessage: 'Something new went wrong.' });
  });

  it('handles a 1 MB message', () => {
    const d = diagnoseJob({ kind: 'backup', statusMessage: `${'x'.repeat(1_000_000)} Rate exceeded` });
    expect(d.statusMessage?.length).toBe(4097);
  });
});

describe('normalizeStatusMessage', () => {
  it.each([
    [`"Backup vault ${vault} does not exist."`, 'Backup vault <arn> does not exist.'],
    ['\\"escaped\\"', 'escaped'],
    ['job 34176239-e96d-4e1d-9fad-529dbb3c3556 failed', 'job <id> failed'],
    ['volume vol-0b5ae24f2ee72d926 in 111122223333', 'volume <resource-id> in <account>'],
    ['  many   spaces\n here ', 'many spaces here'],
    ['', ''],
  ])('%j -> %j', (text, expected) => {
    expect(normalizeStatusMessage(text)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = normalizeStatusMessage(`"Backup vault ${vault} does not exist."`);
    expect(normalizeStatusMessage(once)).toBe(once);
  });

  it('groups failures that differ only in ids', () => {
    const a = normalizeStatusMessage(`"Backup vault ${vault} does not exist."`);
    const b = normalizeStatusMessage(`"Backup vault ${vault.replace('9ab3', '0000')} does not exist."`);
    expect(a).toBe(b);
  });
});

describe('diagnoseApiError', () => {
  it.each([
    ['ThrottlingException', undefined, 'throttling', true],
    ['LimitExceededException', 400, 'limit-exceeded', true],
    ['ServiceUnavailableException', 503, 'service-unavailable', true],
    ['SomethingNew', 500, 'service-unavailable', true],
    ['SomethingNew', 429, 'service-unavailable', true],
    ['AccessDeniedException', 403, 'access-denied', false],
    ['InvalidParameterValueException', 400, 'invalid-parameter', false],
    ['ResourceNotFoundException', 404, 'resource-not-found', false],
    ['InvalidRequestException', 400, 'invalid-request', false],
    ['ConflictException', 409, 'conflict', false],
    ['SomethingNew', 400, 'unknown', false],
  ])('%s (%s) -> %s', (name, status, category, retryable) => {
    const sdkError = Object.assign(new Error('the message'), { name, $metadata: { httpStatusCode: status } });
    expect(diagnoseApiError(sdkError)).toMatchObject({ category, retryable, statusMessage: 'the message' });
  });

  it('reads a BackupApiError shape', () => {
    expect(diagnoseApiError({ errorName: 'AccessDeniedException', statusCode: 403, message: 'x' })).toMatchObject({
      category: 'access-denied',
      retryable: false,
    });
  });

  it.each([[null], [undefined], ['text'], [42]])('never throws on %j', (value) => {
    expect(diagnoseApiError(value).category).toBe('unknown');
  });
});

describe('README documents the diagnosis table', () => {
  it('lists every row of the table', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const documented = DIAGNOSIS_TABLE.map((row) => row.category);
    const missing = documented.filter((c) => !readme.includes(`| \`${c}\` |`));
    expect(missing).toEqual([]);
  });
});
