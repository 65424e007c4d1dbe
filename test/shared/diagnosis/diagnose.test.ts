import { readFileSync } from 'node:fs';
import {
  BackupServiceException,
  ConflictException,
  MissingParameterValueException,
  ServiceUnavailableException,
} from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import {
  API_ERROR_TABLE,
  DIAGNOSIS_CATEGORIES,
  DIAGNOSIS_TABLE,
  type DiagnosedKind,
  type DiagnosisCategory,
  diagnoseApiError,
  diagnoseJob,
  normalizeStatusMessage,
  STATE_ROWS,
} from '../../../shared/diagnosis/index.js';

const vault = 'arn:aws:backup:us-west-2:1112233445566:backup-vault:9ab3e749-82c6-4342-9320-5edbf4918b86';

interface Seed {
  readonly message: string;
  readonly kind: DiagnosedKind;
  readonly category: DiagnosisCategory;
  readonly retryable: boolean;
  readonly resourceType?: string;
}

// Every example message the table is seeded with (its `examples`, with their sources in table.ts),
// written out here so a change to a pattern that stops recognising one fails this test.
const SEEDED: readonly Seed[] = [
  {
    message:
      'DisabledException: arn:aws:kms:us-west-2:111122223333:key/c98e0539-7d2a-4bdf-9380-0a5258a69b44 is disabled.',
    kind: 'backup',
    category: 'kms-key-disabled',
    retryable: false,
  },
  {
    message: 'The KMS key arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab is disabled.',
    kind: 'backup',
    category: 'kms-key-disabled',
    retryable: false,
  },
  {
    message:
      'AMI snapshot copy failed with error: Given key ID is not accessible. You must have DescribeKey permissions on the default CMK',
    kind: 'copy',
    category: 'default-key-cross-account',
    retryable: false,
  },
  {
    message:
      'The source snapshot KMS key [arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab] does not exist, is not enabled or you do not have permissions to access it.',
    kind: 'copy',
    category: 'kms-key-not-shared',
    retryable: false,
  },
  {
    message: 'Cross-account backup is not enabled for this organization.',
    kind: 'copy',
    category: 'cross-account-copy-disabled',
    retryable: false,
  },
  {
    message: 'Copy job failed. Both source and destination account must be a member of the same organization.',
    kind: 'copy',
    category: 'not-same-organization',
    retryable: false,
  },
  {
    message: 'The retention period is not within the allowed range of the vault lock on the destination vault.',
    kind: 'copy',
    category: 'vault-lock-retention',
    retryable: false,
  },
  {
    message:
      'User: arn:aws:sts::111122223333:assumed-role/AWSBackupDefaultServiceRole/AWSBackup-AWSBackupDefaultServiceRole is not authorized to perform: backup:CopyIntoBackupVault on resource: arn:aws:backup:us-east-1:444455556666:backup-vault:central',
    kind: 'copy',
    category: 'vault-access-policy',
    retryable: false,
  },
  {
    message: `"Backup job failed because backup vault ${vault} does not exist."`,
    kind: 'backup',
    category: 'vault-not-found',
    retryable: false,
  },
  {
    message: 'Access denied, either the vault does not exist or you do not have access to it.',
    kind: 'copy',
    category: 'vault-not-found',
    retryable: false,
  },
  {
    message: 'Unable to assume role arn:aws:iam::111122223333:role/BackupRole',
    kind: 'backup',
    category: 'iam-role-invalid',
    retryable: false,
  },
  {
    message: 'Copying AMIs with AWS Marketplace product codes is not supported',
    kind: 'copy',
    category: 'marketplace-ami',
    retryable: false,
    resourceType: 'EC2',
  },
  {
    message: 'Too many copy jobs are in progress for this resource.',
    kind: 'copy',
    category: 'too-many-copy-jobs',
    retryable: true,
  },
  {
    message: '"Backup job failed because there was a running job for the same resource."',
    kind: 'backup',
    category: 'job-already-running',
    retryable: true,
  },
  {
    message: 'The DB instance is in a maintenance window.',
    kind: 'backup',
    category: 'maintenance-window',
    retryable: true,
  },
  {
    message: 'The maximum number of manual snapshots for this DB instance has been reached (SnapshotQuotaExceeded)',
    kind: 'backup',
    category: 'snapshot-limit',
    retryable: false,
  },
  {
    message: 'Versioning is not enabled on my-bucket within account 111122223333',
    kind: 'backup',
    category: 's3-versioning-disabled',
    retryable: false,
    resourceType: 'S3',
  },
  {
    message:
      'Windows VSS Backup attempt failed because either Instance or SSM Agent has invalid state or insufficient privileges.',
    kind: 'backup',
    category: 'vss-failed',
    retryable: true,
    resourceType: 'EC2',
  },
  {
    message: 'Resource type Aurora is not opted in for this Region',
    kind: 'backup',
    category: 'resource-type-not-opted-in',
    retryable: false,
  },
  {
    message: 'The volume vol-0b5ae24f2ee72d926 does not exist',
    kind: 'backup',
    category: 'resource-not-found',
    retryable: false,
  },
  { message: 'DB instance is not in available state', kind: 'backup', category: 'resource-state', retryable: true },
  {
    message:
      'Copy job from us-west-2 to us-east-1 cannot be initiated for RDS resources. Feature is not supported for provided resource type.',
    kind: 'copy',
    category: 'unsupported-resource',
    retryable: false,
  },
  {
    message:
      'An error occurred (InvalidDBInstanceState) when calling the ModifyDBInstance operation: DB Backups not supported on a read replica for engine postgres',
    kind: 'backup',
    category: 'unsupported-resource',
    retryable: false,
  },
  {
    // A restore passed as a backup (post-summary does) gets the restore row: its pattern is one
    // only a restore produces.
    message:
      'AWS Backup does not permit attaching a new instance profile to an EC2 instance. Please restore using the backed up instance profile.',
    kind: 'backup',
    category: 'restore-instance-profile',
    retryable: false,
  },
  {
    message:
      'InvalidParameterValue: Value (s3-access-for-ec2) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
    kind: 'restore',
    category: 'restore-instance-profile',
    retryable: false,
  },
  {
    message:
      'You are not authorized to perform this operation. Please consult the permissions associated with your AWS Backup role(s), and refer to the AWS Backup documentation for more details.',
    kind: 'restore',
    category: 'restore-role-denied',
    retryable: false,
  },
  {
    message: "InvalidGroup.NotFound, AWS Error Message: The security group 'sg-########' does not exist",
    kind: 'restore',
    category: 'restore-network-gone',
    retryable: false,
  },
  {
    message: 'ResourceInUseException: Table already exists: <my-table>',
    kind: 'restore',
    category: 'restore-name-exists',
    retryable: false,
  },
  {
    message: 'Invalid lifecycle: DeleteAfterDays must be 90 days greater than MoveToColdStorageAfterDays',
    kind: 'backup',
    category: 'lifecycle-invalid',
    retryable: false,
  },
  {
    message: 'Access denied exception while trying to list tags',
    kind: 'copy',
    category: 'access-denied',
    retryable: false,
  },
  {
    message: 'Insufficient privileges to perform this action.',
    kind: 'backup',
    category: 'access-denied',
    retryable: false,
  },
  {
    message:
      'Your backup job failed as AWS Backup does not have permission to describe resource arn:aws:s3:::my-bucket. Please review your IAM policies to ensure AWS Backup can protect your resources.',
    kind: 'backup',
    category: 'access-denied',
    retryable: false,
  },
  { message: '"Backup job was stopped by user."', kind: 'backup', category: 'aborted-by-user', retryable: false },
  { message: '"Rate exceeded"', kind: 'backup', category: 'throttling', retryable: true },
  {
    message: '"An internal error occurred. Please try again later."',
    kind: 'backup',
    category: 'internal-error',
    retryable: true,
  },
  {
    message: 'Invalid parameter value for StartWindowMinutes',
    kind: 'backup',
    category: 'invalid-parameter',
    retryable: false,
  },
  {
    message:
      'The AWS Backup service-linked role AWSServiceRoleForBackup is not authorized to use the KMS key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    kind: 'copy',
    category: 'kms-service-linked-role',
    retryable: false,
  },
  {
    message: 'The tags on the recovery point are not compliant with the tag policy of the destination account.',
    kind: 'copy',
    category: 'tag-policy',
    retryable: false,
  },
  {
    message: 'Access Denied trying to call AWS Backup service',
    kind: 'copy',
    category: 'vault-access-policy',
    retryable: false,
  },
  {
    message: 'Too many snapshot copies in progress. The limit is 5 for this destination region.',
    kind: 'copy',
    category: 'concurrency-limit',
    retryable: true,
  },
  {
    message:
      'An error occurred (SnapshotQuotaExceeded) when calling the CopyDBSnapshot operation: Cannot copy more than 5 snapshots across regions: SnapshotQuotaExceededFault',
    kind: 'copy',
    category: 'concurrency-limit',
    retryable: true,
  },
  {
    message:
      'Backup job could not start because it is either inside or too close to the automated backup window configured in RDS instance',
    kind: 'backup',
    category: 'backup-window-collision',
    retryable: true,
  },
  {
    message:
      'An error occurred (SnapshotQuotaExceeded) when calling the CopyDBClusterSnapshot operation: Cannot create more than 100 manual snapshots',
    kind: 'copy',
    category: 'snapshot-limit',
    retryable: false,
  },
  {
    message:
      'InvalidDBInstanceState: Cannot create a snapshot because the database instance cloud-platform-16a74aa5ce79e853-bkp-copy is not currently in the available state.',
    kind: 'backup',
    category: 'resource-state',
    retryable: true,
  },
  {
    message:
      'SnapshotCreationPerVolumeRateExceeded: The maximum per volume CreateSnapshot request rate has been exceeded. Use an increasing or variable sleep interval between requests.',
    kind: 'backup',
    category: 'throttling',
    retryable: true,
  },
];

describe('diagnoseJob: every seeded message', () => {
  it.each(SEEDED)('$category: $message', ({ message, kind, category, retryable, resourceType }) => {
    // Act
    const d = diagnoseJob({ kind, state: 'FAILED', statusMessage: message, ...(resourceType ? { resourceType } : {}) });
    // Assess
    expect(d).toMatchObject({ category, retryable });
    expect(d.cause).toMatch(/^\S.{10,}$/); // one line, not empty
    expect(d.remedy.length).toBeGreaterThan(30);
    expect(d.statusMessage).toBe(message.replace(/^"|"$/g, ''));
  });

  it.each(SEEDED)(
    '$category also when AWS escapes the quotes once more',
    ({ message, kind, category, resourceType }) => {
      const escaped = `"\\"${message.replace(/^"|"$/g, '')}\\""`;
      expect(diagnoseJob({ kind, statusMessage: escaped, ...(resourceType ? { resourceType } : {}) }).category).toBe(
        category,
      );
    },
  );

  it('lists every example of the table here, and every row has one', () => {
    const seeded = new Set(SEEDED.map((s) => s.message));
    const missing = DIAGNOSIS_TABLE.flatMap((row) => row.examples).filter((m) => !seeded.has(m));
    expect(missing).toEqual([]);
    expect(DIAGNOSIS_TABLE.filter((row) => row.examples.length === 0).map((row) => row.category)).toEqual([]);
    expect(DIAGNOSIS_TABLE.filter((row) => !row.source).map((row) => row.category)).toEqual([]);
  });

  it('uses only declared categories', () => {
    const used = [
      ...DIAGNOSIS_TABLE.map((row) => row.category),
      ...Object.values(STATE_ROWS).map((row) => row?.category),
      ...API_ERROR_TABLE.map((row) => row.category),
    ];
    expect(used.filter((c) => !(DIAGNOSIS_CATEGORIES as readonly (string | undefined)[]).includes(c))).toEqual([]);
  });

  it('keeps causes on one line', () => {
    const causes = [...DIAGNOSIS_TABLE, ...API_ERROR_TABLE].map((row) => row.cause);
    expect(causes.filter((c) => c.includes('\n'))).toEqual([]);
  });
});

describe('diagnoseJob: MessageCategory first', () => {
  it.each([
    { case: 'generic answer', messageCategory: 'ACCESS_DENIED', statusMessage: 'something', category: 'access-denied' },
    {
      case: 'refined by the message',
      messageCategory: 'AccessDenied',
      statusMessage: 'The KMS key is disabled',
      category: 'kms-key-disabled',
    },
    {
      case: 'refined to the vault',
      messageCategory: 'ACCESS_DENIED',
      statusMessage: `"Backup job failed because backup vault ${vault} does not exist."`,
      category: 'vault-not-found',
    },
    {
      case: 'wins over a retryable message',
      messageCategory: 'ACCESS_DENIED',
      statusMessage: 'Rate exceeded',
      category: 'access-denied',
    },
    { case: 'InvalidParameters alone', messageCategory: 'INVALID_PARAMETERS', category: 'invalid-parameter' },
    { case: 'AWS spelling', messageCategory: 'InvalidParameters', category: 'invalid-parameter' },
    {
      case: 'InvalidParameters refined',
      messageCategory: 'InvalidParameters',
      statusMessage: 'Retention outside the vault lock range',
      category: 'vault-lock-retention',
    },
    {
      case: 'SUCCESS is no reason',
      messageCategory: 'SUCCESS',
      statusMessage: 'Rate exceeded',
      category: 'throttling',
    },
    {
      case: 'AGGREGATE_ALL is no reason',
      messageCategory: 'AGGREGATE_ALL',
      statusMessage: 'Rate exceeded',
      category: 'throttling',
    },
    {
      case: 'an unknown one falls back',
      messageCategory: 'NEW_THING',
      statusMessage: 'Rate exceeded',
      category: 'throttling',
    },
  ])('$case', ({ messageCategory, statusMessage, category }) => {
    const d = diagnoseJob({
      kind: 'backup',
      state: 'FAILED',
      messageCategory,
      ...(statusMessage ? { statusMessage } : {}),
    });
    expect(d).toMatchObject({ category, messageCategory });
  });

  it('keeps access-denied not retryable even when the message alone would be', () => {
    expect(
      diagnoseJob({ kind: 'backup', messageCategory: 'ACCESS_DENIED', statusMessage: 'Rate exceeded' }).retryable,
    ).toBe(false);
  });
});

describe('diagnoseJob: states, kinds and unknown reasons', () => {
  it.each([
    { state: 'EXPIRED', category: 'expired-start-window', retryable: true },
    { state: 'expired', category: 'expired-start-window', retryable: true },
    { state: 'ABORTED', category: 'aborted-by-user', retryable: false },
    { state: 'PARTIAL', category: 'partial', retryable: false },
    { state: 'FAILED', category: 'unknown', retryable: false },
    { state: undefined, category: 'unknown', retryable: false },
  ])('a $state job with no message is $category', ({ state, category, retryable }) => {
    const d = diagnoseJob({ kind: 'backup', ...(state ? { state } : {}) });
    expect(d).toMatchObject({ category, retryable });
    expect(d.statusMessage).toBeUndefined();
  });

  it('says an expired job was already retried by AWS for the whole window', () => {
    expect(diagnoseJob({ kind: 'backup', state: 'EXPIRED' }).cause).toMatch(/already retried.*whole window/);
  });

  it('an EXPIRED job with the published reason is the running job, retryable', () => {
    const d = diagnoseJob({
      kind: 'backup',
      state: 'EXPIRED',
      statusMessage: '"Backup job failed because there was a running job for the same resource."',
    });
    expect(d).toMatchObject({ category: 'job-already-running', retryable: true });
  });

  it('an ABORTED job is not retryable whatever its message says', () => {
    const d = diagnoseJob({ kind: 'backup', state: 'ABORTED', statusMessage: 'Rate exceeded' });
    expect(d).toMatchObject({ category: 'throttling', retryable: false });
  });

  it('copy-only rows do not classify backup jobs', () => {
    const d = diagnoseJob({ kind: 'backup', statusMessage: 'Too many copy jobs are in progress for this resource.' });
    expect(d.category).not.toBe('too-many-copy-jobs');
  });

  it('rows for one resource type do not classify another', () => {
    const message = 'Versioning is not enabled on my-bucket within account 111122223333';
    expect(diagnoseJob({ kind: 'backup', statusMessage: message, resourceType: 'S3' }).category).toBe(
      's3-versioning-disabled',
    );
    expect(diagnoseJob({ kind: 'backup', statusMessage: message, resourceType: 'EBS' }).category).toBe('unknown');
  });

  it('keeps the text of an unknown reason, not retryable', () => {
    const d = diagnoseJob({ kind: 'copy', state: 'FAILED', statusMessage: '"Something new went wrong."' });
    expect(d).toEqual({
      category: 'unknown',
      retryable: false,
      cause: expect.any(String),
      remedy: expect.any(String),
      statusMessage: 'Something new went wrong.',
    });
  });

  it('handles a 1 MB message quickly, keeping 4 KiB of it', () => {
    const huge = `${'x'.repeat(1_000_000)} Rate exceeded`;
    const started = performance.now();
    const d = diagnoseJob({ kind: 'backup', state: 'FAILED', statusMessage: huge });
    const elapsed = performance.now() - started;
    expect(d.category).toBe('unknown'); // the reason lies past what is read
    expect(d.statusMessage).toHaveLength(4097);
    expect(d.statusMessage?.endsWith('…')).toBe(true);
    // A guard against super-linear work, not a speed target (that is npm run bench): the bound leaves
    // room for a loaded 2-core CI machine, where the suite runs sandboxes beside it.
    expect(elapsed).toBeLessThan(1_000);
  });

  it('handles adversarial repetition of pattern words quickly', () => {
    const text = 'kms key access vault role snapshot '.repeat(30_000);
    const started = performance.now();
    diagnoseJob({ kind: 'copy', messageCategory: 'ACCESS_DENIED', statusMessage: text });
    diagnoseJob({ kind: 'backup', statusMessage: text });
    // About 25 ms idle, 200 ms once seen under the whole suite's load: a guard against backtracking
    // (which would take far longer on these 8 KiB), not a speed target.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('normalizeStatusMessage', () => {
  it.each([
    { text: `"Backup vault ${vault} does not exist."`, expected: 'Backup vault <arn> does not exist.' },
    { text: '"\\"Rate exceeded\\""', expected: 'Rate exceeded' },
    { text: 'vault \\"x\\" is gone', expected: 'vault x is gone' },
    {
      text: 'Unable to assume role arn:aws:iam::111122223333:role/BackupRole.',
      expected: 'Unable to assume role <arn>.',
    },
    { text: 'bucket arn:aws:s3:::my-bucket, then', expected: 'bucket <arn>, then' },
    { text: 'job 34176239-E96D-4e1d-9fad-529dbb3c3556 failed', expected: 'job <uuid> failed' },
    { text: 'volume vol-0b5ae24f2ee72d926 in 111122223333', expected: 'volume <resource-id> in <account>' },
    { text: '  many   spaces\n here ', expected: 'many spaces here' },
    { text: '""', expected: '' },
    { text: '', expected: '' },
    { text: undefined, expected: '' },
  ])('$text -> $expected', ({ text, expected }) => {
    expect(normalizeStatusMessage(text)).toBe(expected);
  });

  it.each(SEEDED)('is idempotent: $message', ({ message }) => {
    const once = normalizeStatusMessage(message);
    expect(normalizeStatusMessage(once)).toBe(once);
  });

  it('groups failures that differ only in ids', () => {
    const a = normalizeStatusMessage(`"Backup job failed because backup vault ${vault} does not exist."`);
    const b = normalizeStatusMessage(
      'Backup job failed because backup vault arn:aws:backup:eu-west-1:444455556666:backup-vault:other does not exist.',
    );
    expect(a).toBe(b);
  });

  it('reads at most 8 KiB of a 1 MB message', () => {
    expect(normalizeStatusMessage(`"${'a '.repeat(500_000)}"`).length).toBeLessThanOrEqual(8192);
  });
});

const sdkError = (name: string, status: number | undefined, extra: object = {}): Error =>
  Object.assign(new Error('the message'), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('diagnoseApiError', () => {
  it.each([
    { name: 'ThrottlingException', status: 400, category: 'throttling', retryable: true },
    { name: 'TooManyRequestsException', status: 429, category: 'throttling', retryable: true },
    { name: 'LimitExceededException', status: 400, category: 'limit-exceeded', retryable: true },
    { name: 'ServiceUnavailableException', status: 503, category: 'service-unavailable', retryable: true },
    { name: 'DependencyFailureException', status: 500, category: 'service-unavailable', retryable: true },
    { name: 'TimeoutError', status: undefined, category: 'timeout', retryable: true },
    { name: 'SomethingNew', status: 500, category: 'service-unavailable', retryable: true },
    { name: 'SomethingNew', status: 429, category: 'throttling', retryable: true },
    { name: 'AccessDeniedException', status: 403, category: 'access-denied', retryable: false },
    { name: 'InvalidParameterValueException', status: 400, category: 'invalid-parameter', retryable: false },
    { name: 'MissingParameterValueException', status: 400, category: 'invalid-parameter', retryable: false },
    { name: 'ResourceNotFoundException', status: 404, category: 'resource-not-found', retryable: false },
    { name: 'InvalidRequestException', status: 400, category: 'invalid-request', retryable: false },
    { name: 'ConflictException', status: 409, category: 'conflict', retryable: false },
    { name: 'AlreadyExistsException', status: 400, category: 'conflict', retryable: false },
    { name: 'InvalidResourceStateException', status: 400, category: 'conflict', retryable: false },
    { name: 'SomethingNew', status: 400, category: 'unknown', retryable: false },
  ])('$name ($status) -> $category', ({ name, status, category, retryable }) => {
    expect(diagnoseApiError(sdkError(name, status))).toMatchObject({
      category,
      retryable,
      statusMessage: 'the message',
    });
  });

  it('honours the SDK retry marks on an unknown name', () => {
    expect(diagnoseApiError(sdkError('Odd', 400, { $retryable: { throttling: true } })).category).toBe('throttling');
    expect(diagnoseApiError(sdkError('Odd', 400, { $retryable: {} })).retryable).toBe(true);
    expect(diagnoseApiError(sdkError('Odd', undefined, { $fault: 'server' })).category).toBe('service-unavailable');
  });

  it('reads the SDK exception classes themselves', () => {
    const unavailable = new ServiceUnavailableException({ message: 'try later', $metadata: { httpStatusCode: 503 } });
    expect(diagnoseApiError(unavailable)).toMatchObject({
      category: 'service-unavailable',
      retryable: true,
      statusMessage: 'try later',
    });
    const missing = new MissingParameterValueException({ message: 'IamRoleArn', $metadata: {} });
    expect(diagnoseApiError(missing)).toMatchObject({ category: 'invalid-parameter', retryable: false });
    const conflict = new ConflictException({ message: 'busy', $metadata: {} });
    expect(diagnoseApiError(conflict)).toMatchObject({ category: 'conflict', retryable: false });
    // Throttling and AccessDenied are not modeled: the SDK raises the service base class with that name.
    const throttled = new BackupServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Rate exceeded',
    });
    expect(diagnoseApiError(throttled)).toMatchObject({ category: 'throttling', statusMessage: 'Rate exceeded' });
    const denied = new BackupServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {} });
    expect(diagnoseApiError(denied).category).toBe('access-denied');
  });

  it('reads a Node network error by its code', () => {
    expect(diagnoseApiError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).category).toBe(
      'timeout',
    );
  });

  it.each([
    { errorName: 'AccessDeniedException', statusCode: 403, retryable: false, category: 'access-denied' },
    { errorName: 'ThrottlingException', statusCode: 400, retryable: true, category: 'throttling' },
    { errorName: 'AbortError', statusCode: undefined, retryable: true, category: 'timeout' },
    { errorName: 'UnknownError', statusCode: undefined, retryable: true, category: 'service-unavailable' },
    { errorName: 'UnknownError', statusCode: undefined, retryable: false, category: 'unknown' },
  ])('reads a BackupApiError shape: $errorName -> $category', ({ errorName, statusCode, retryable, category }) => {
    const cause = sdkError(errorName, statusCode);
    const error = Object.assign(new Error(`StartBackupJob failed: ${errorName}: the message`), {
      name: 'BackupApiError',
      operation: 'StartBackupJob',
      errorName,
      retryable,
      statusCode,
      cause,
    });
    expect(diagnoseApiError(error)).toMatchObject({ category, statusMessage: 'the message' });
  });

  it.each([{ value: null }, { value: undefined }, { value: 'text' }, { value: 42 }, { value: {} }])(
    'never throws on $value',
    ({ value }) => {
      expect(diagnoseApiError(value)).toMatchObject({ category: 'unknown', retryable: false });
    },
  );
});

describe('docs/diagnosis.md documents the diagnosis table', () => {
  it('lists every row of the table', () => {
    const readme = readFileSync(new URL('../../../docs/diagnosis.md', import.meta.url), 'utf8');
    const documented = [...DIAGNOSIS_TABLE, ...Object.values(STATE_ROWS)].map((row) => row?.category);
    const missing = documented.filter((c) => !readme.includes(`| \`${c}\` |`));
    expect(missing).toEqual([]);
  });
});
