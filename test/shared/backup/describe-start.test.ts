import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  GetBackupPlanCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BackupApiError,
  describeBackupJob,
  describeCopyJob,
  describeRecoveryPoint,
  describeRestoreJob,
  getBackupPlan,
  idempotencyToken,
  isRecoveryPointUsable,
  type StartBackupJobRequest,
  type StartCopyJobRequest,
  startBackupJob,
  startCopyJob,
} from '../../../shared/backup/index.js';
import { ValidationError } from '../../../shared/errors.js';

const backup = mockClient(BackupClient);
const client = new BackupClient({ region: 'us-east-1' });
const role = 'arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole';
const backupRequest: StartBackupJobRequest = {
  BackupVaultName: 'prod-vault',
  ResourceArn: 'arn:aws:ec2:us-east-1:111122223333:volume/vol-0abc',
  IamRoleArn: role,
  IdempotencyToken: idempotencyToken('job-1', 1),
  StartWindowMinutes: 60,
  Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 },
};
const rpArn = 'arn:aws:ec2:us-east-1::snapshot/snap-0abc';
const copyRequest: StartCopyJobRequest = {
  RecoveryPointArn: rpArn,
  SourceBackupVaultName: 'prod-vault',
  DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr',
  IamRoleArn: role,
  IdempotencyToken: idempotencyToken('rp', 'dest', 1),
};

beforeEach(() => backup.reset());

describe('describe calls', () => {
  it('describes a backup job by id', async () => {
    backup
      .on(DescribeBackupJobCommand, { BackupJobId: 'job-1' })
      .resolves({ BackupJobId: 'job-1', MessageCategory: 'SUCCESS' });
    await expect(describeBackupJob(client, 'job-1')).resolves.toMatchObject({ MessageCategory: 'SUCCESS' });
  });

  it('returns the copy job itself', async () => {
    backup
      .on(DescribeCopyJobCommand, { CopyJobId: 'c-1' })
      .resolves({ CopyJob: { CopyJobId: 'c-1', State: 'FAILED' } });
    await expect(describeCopyJob(client, 'c-1')).resolves.toEqual({ CopyJobId: 'c-1', State: 'FAILED' });
  });

  it('treats an empty DescribeCopyJob answer as an error, not a job', async () => {
    backup.on(DescribeCopyJobCommand).resolves({});
    await expect(describeCopyJob(client, 'c-1')).rejects.toMatchObject({
      errorName: 'EmptyResponse',
      retryable: false,
    });
  });

  it('describes a restore job by id, CreatedBy included', async () => {
    const testing = 'arn:aws:backup:us-east-1:111122223333:restore-testing-plan:daily-abc';
    backup
      .on(DescribeRestoreJobCommand, { RestoreJobId: 'r-1' })
      .resolves({ RestoreJobId: 'r-1', Status: 'FAILED', CreatedBy: { RestoreTestingPlanArn: testing } });
    await expect(describeRestoreJob(client, 'r-1')).resolves.toMatchObject({
      Status: 'FAILED',
      CreatedBy: { RestoreTestingPlanArn: testing },
    });
  });

  it('names DescribeRestoreJob in the error AWS answers', async () => {
    backup
      .on(DescribeRestoreJobCommand)
      .rejects(Object.assign(new Error('no such job'), { name: 'ResourceNotFoundException' }));
    await expect(describeRestoreJob(client, 'r-1')).rejects.toMatchObject({
      operation: 'DescribeRestoreJob',
      errorName: 'ResourceNotFoundException',
    });
  });

  it('describes a recovery point in its vault', async () => {
    backup.on(DescribeRecoveryPointCommand).resolves({ Status: 'AVAILABLE' });
    await describeRecoveryPoint(client, { backupVaultName: 'v', recoveryPointArn: rpArn });
    expect(backup).toHaveReceivedCommandWith(DescribeRecoveryPointCommand, {
      BackupVaultName: 'v',
      RecoveryPointArn: rpArn,
    });
  });

  it('gets the plan at a given version', async () => {
    backup.on(GetBackupPlanCommand).resolves({ BackupPlanId: 'p', VersionId: 'v2' });
    await getBackupPlan(client, { backupPlanId: 'p', versionId: 'v2' });
    expect(backup).toHaveReceivedCommandWith(GetBackupPlanCommand, { BackupPlanId: 'p', VersionId: 'v2' });
  });

  it.each([
    ['AVAILABLE', true],
    ['COMPLETED', true],
    ['PARTIAL', false],
    ['EXPIRED', false],
    ['DELETING', false],
    [undefined, false],
  ])('recovery point status %s usable: %s', (status, usable) => {
    expect(isRecoveryPointUsable(status)).toBe(usable);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['empty job id', () => describeBackupJob(client, ''), 'backupJobId'],
    ['empty copy id', () => describeCopyJob(client, ' '), 'copyJobId'],
    ['empty restore id', () => describeRestoreJob(client, ''), 'restoreJobId'],
    [
      'bad recovery point',
      () => describeRecoveryPoint(client, { backupVaultName: 'v', recoveryPointArn: 'rp' }),
      'recoveryPointArn',
    ],
    [
      'no vault',
      () => describeRecoveryPoint(client, { backupVaultName: '', recoveryPointArn: rpArn }),
      'backupVaultName',
    ],
    ['empty version', () => getBackupPlan(client, { backupPlanId: 'p', versionId: '' }), 'versionId'],
  ])('%s fails before any call', async (_name, call, field) => {
    let error: unknown;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect(backup.calls()).toHaveLength(0);
  });
});

describe('start calls carry the idempotency token', () => {
  it('starts a backup job with exactly the input given', async () => {
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'new-1', RecoveryPointArn: 'rp', IsParent: false });
    await expect(startBackupJob(client, backupRequest)).resolves.toEqual({
      backupJobId: 'new-1',
      recoveryPointArn: 'rp',
      creationDate: undefined,
      isParent: false,
    });
    expect(backup.commandCalls(StartBackupJobCommand)[0]?.args[0].input).toEqual(backupRequest);
  });

  it('starts a copy job with exactly the input given', async () => {
    backup.on(StartCopyJobCommand).resolves({ CopyJobId: 'copy-1' });
    await expect(startCopyJob(client, copyRequest)).resolves.toMatchObject({ copyJobId: 'copy-1' });
    expect(backup.commandCalls(StartCopyJobCommand)[0]?.args[0].input).toEqual(copyRequest);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    [
      'missing token',
      () => startBackupJob(client, { ...backupRequest, IdempotencyToken: undefined as never }),
      'IdempotencyToken',
    ],
    [
      'random text token',
      () => startCopyJob(client, { ...copyRequest, IdempotencyToken: 'retry-1' }),
      'IdempotencyToken',
    ],
    [
      'start window under 60',
      () => startBackupJob(client, { ...backupRequest, StartWindowMinutes: 30 }),
      'StartWindowMinutes',
    ],
    [
      'complete window over 100 years',
      () => startBackupJob(client, { ...backupRequest, CompleteWindowMinutes: 52_560_001 }),
      'CompleteWindowMinutes',
    ],
    [
      'cold storage without 90 more days',
      () =>
        startCopyJob(client, { ...copyRequest, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 100 } }),
      'Lifecycle.DeleteAfterDays',
    ],
    ['bad resource', () => startBackupJob(client, { ...backupRequest, ResourceArn: 'vol-1' }), 'ResourceArn'],
    [
      'bad destination',
      () => startCopyJob(client, { ...copyRequest, DestinationBackupVaultArn: 'dr' }),
      'DestinationBackupVaultArn',
    ],
    [
      'no source vault',
      () => startCopyJob(client, { ...copyRequest, SourceBackupVaultName: '' }),
      'SourceBackupVaultName',
    ],
  ])('%s fails before any call', async (_name, call, field) => {
    await expect(call()).rejects.toMatchObject({ name: 'ValidationError', field });
    expect(backup.calls()).toHaveLength(0);
  });

  it.each([
    ['AccessDeniedException', 400, false],
    ['InvalidParameterValueException', 400, false],
    ['LimitExceededException', 400, true],
    ['ServiceUnavailableException', 503, true],
    ['InternalFailure', 500, true],
  ])('maps %s to a BackupApiError (retryable %s)', async (name, status, retryable) => {
    backup
      .on(StartBackupJobCommand)
      .rejects(Object.assign(new Error('nope'), { name, $metadata: { httpStatusCode: status } }));
    const error = await startBackupJob(client, backupRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupApiError);
    expect(error).toMatchObject({ operation: 'StartBackupJob', errorName: name, retryable, statusCode: status });
  });
});
