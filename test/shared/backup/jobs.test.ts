import {
  BackupClient,
  ListBackupJobsCommand,
  type ListBackupJobsCommandInput,
  ListCopyJobsCommand,
  type ListCopyJobsCommandInput,
  ListRestoreJobsCommand,
  type ListRestoreJobsCommandInput,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BackupApiError,
  type BackupJobFilter,
  type CopyJobFilter,
  listBackupJobs,
  listCopyJobs,
  listRestoreJobs,
  type RestoreJobFilter,
} from '../../../shared/backup/index.js';
import { ValidationError } from '../../../shared/errors.js';
import { collect } from '../../fixtures/collect.js';

const backup = mockClient(BackupClient);
const client = new BackupClient({ region: 'us-east-1' });
const now = new Date('2026-11-24T08:00:00Z');
const after = new Date('2026-11-23T08:00:00Z');
const before = new Date('2026-11-24T08:00:00Z');
const vaultArn = 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr';
const rpArn = 'arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0';

beforeEach(() => {
  backup.reset();
  backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
  backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
});

describe('filters map to the API names, in one place', () => {
  it.each<[keyof BackupJobFilter, BackupJobFilter[keyof BackupJobFilter], keyof ListBackupJobsCommandInput]>([
    ['state', 'PARTIAL', 'ByState'],
    ['resourceArn', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1', 'ByResourceArn'],
    ['resourceType', 'Storage Gateway', 'ByResourceType'],
    ['vaultName', 'aws/backup/AutomatedBackupVault', 'ByBackupVaultName'],
    ['accountId', '*', 'ByAccountId'],
    ['createdAfter', after, 'ByCreatedAfter'],
    ['createdBefore', before, 'ByCreatedBefore'],
    ['completedAfter', after, 'ByCompleteAfter'],
    ['completedBefore', before, 'ByCompleteBefore'],
    ['parentJobId', 'parent-1', 'ByParentJobId'],
    ['messageCategory', 'ACCESS_DENIED', 'ByMessageCategory'],
  ])('backup %s -> %s', async (key, value, apiName) => {
    await collect(listBackupJobs(client, { [key]: value }, { now }));
    expect(backup).toHaveReceivedCommandTimes(ListBackupJobsCommand, 1);
    expect(backup).toHaveReceivedCommandWith(ListBackupJobsCommand, { [apiName]: value, MaxResults: 1000 });
    const input = (backup.commandCalls(ListBackupJobsCommand)[0]?.args[0].input ?? {}) as Record<string, unknown>;
    const sent = Object.keys(input).filter((k) => input[k] !== undefined);
    expect(sent.sort()).toEqual([apiName, 'MaxResults'].sort());
  });

  it.each<[keyof CopyJobFilter, CopyJobFilter[keyof CopyJobFilter], keyof ListCopyJobsCommandInput]>([
    ['state', 'FAILED', 'ByState'],
    ['resourceArn', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1', 'ByResourceArn'],
    ['resourceType', 'EBS', 'ByResourceType'],
    ['destinationVaultArn', vaultArn, 'ByDestinationVaultArn'],
    ['sourceRecoveryPointArn', rpArn, 'BySourceRecoveryPointArn'],
    ['accountId', '111122223333', 'ByAccountId'],
    ['createdAfter', after, 'ByCreatedAfter'],
    ['createdBefore', before, 'ByCreatedBefore'],
    ['completedAfter', after, 'ByCompleteAfter'],
    ['completedBefore', before, 'ByCompleteBefore'],
    ['parentJobId', 'parent-1', 'ByParentJobId'],
    ['messageCategory', 'SUCCESS', 'ByMessageCategory'],
  ])('copy %s -> %s', async (key, value, apiName) => {
    await collect(listCopyJobs(client, { [key]: value }));
    expect(backup).toHaveReceivedCommandWith(ListCopyJobsCommand, { [apiName]: value, MaxResults: 1000 });
  });

  it.each<[keyof RestoreJobFilter, RestoreJobFilter[keyof RestoreJobFilter], keyof ListRestoreJobsCommandInput]>([
    ['status', 'ABORTED', 'ByStatus'],
    ['accountId', '111122223333', 'ByAccountId'],
    ['resourceType', 'EFS', 'ByResourceType'],
    ['createdAfter', after, 'ByCreatedAfter'],
    ['createdBefore', before, 'ByCreatedBefore'],
    ['completedAfter', after, 'ByCompleteAfter'],
    ['completedBefore', before, 'ByCompleteBefore'],
    [
      'restoreTestingPlanArn',
      'arn:aws:backup:us-east-1:111122223333:restore-testing-plan:p-1',
      'ByRestoreTestingPlanArn',
    ],
    ['parentJobId', 'parent-1', 'ByParentJobId'],
  ])('restore %s -> %s', async (key, value, apiName) => {
    await collect(listRestoreJobs(client, { [key]: value }));
    expect(backup).toHaveReceivedCommandWith(ListRestoreJobsCommand, { [apiName]: value, MaxResults: 1000 });
  });
});

describe('pagination', () => {
  it('follows NextToken across pages and yields every job in order', async () => {
    // The paginator reuses one input object across pages, so record what each call carried when sent.
    const sent: ListBackupJobsCommandInput[] = [];
    const pages = [
      { BackupJobs: [{ BackupJobId: 'a' }, { BackupJobId: 'b' }], NextToken: 't1' },
      { BackupJobs: [], NextToken: 't2' },
      { BackupJobs: [{ BackupJobId: 'c' }] },
    ];
    backup.on(ListBackupJobsCommand).callsFake((input: ListBackupJobsCommandInput) => {
      sent.push({ ...input });
      return pages[sent.length - 1];
    });
    const jobs = await collect(listBackupJobs(client, { state: 'FAILED' }, { pageSize: 2 }));
    expect(jobs.map((j) => j.BackupJobId)).toEqual(['a', 'b', 'c']);
    expect(sent.map((c) => c.NextToken)).toEqual([undefined, 't1', 't2']);
    expect(sent.every((c) => c.MaxResults === 2 && c.ByState === 'FAILED')).toBe(true);
  });

  it('iterates copy and restore pages the same way', async () => {
    backup
      .on(ListCopyJobsCommand)
      .resolvesOnce({ CopyJobs: [{ CopyJobId: 'c1' }], NextToken: 'n' })
      .resolvesOnce({ CopyJobs: [{ CopyJobId: 'c2' }] });
    backup
      .on(ListRestoreJobsCommand)
      .resolvesOnce({ RestoreJobs: [{ RestoreJobId: 'r1' }], NextToken: 'n' })
      .resolvesOnce({ RestoreJobs: [{ RestoreJobId: 'r2' }] });
    expect((await collect(listCopyJobs(client))).map((j) => j.CopyJobId)).toEqual(['c1', 'c2']);
    expect((await collect(listRestoreJobs(client))).map((j) => j.RestoreJobId)).toEqual(['r1', 'r2']);
  });

  it('wraps a service error in BackupApiError with the operation and retryability', async () => {
    backup
      .on(ListBackupJobsCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
      );
    const error = await collect(listBackupJobs(client)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupApiError);
    expect(error).toMatchObject({ operation: 'ListBackupJobs', errorName: 'ThrottlingException', retryable: true });
  });

  it('passes the abort signal to every page', async () => {
    const controller = new AbortController();
    await collect(listBackupJobs(client, {}, { signal: controller.signal }));
    expect((backup.commandCalls(ListBackupJobsCommand)[0]?.args as unknown[] | undefined)?.[1]).toMatchObject({
      abortSignal: controller.signal,
    });
  });
});

describe('validation happens before any call', () => {
  const old = new Date(now.getTime() - 31 * 86_400_000);
  it.each<[string, () => unknown, string]>([
    ['pageSize 0', () => listBackupJobs(client, {}, { pageSize: 0 }), 'pageSize'],
    ['pageSize 1001', () => listCopyJobs(client, {}, { pageSize: 1001 }), 'pageSize'],
    ['pageSize 2.5', () => listRestoreJobs(client, {}, { pageSize: 2.5 }), 'pageSize'],
    ['account id too short', () => listBackupJobs(client, { accountId: '12345' }), 'accountId'],
    ['* for copy jobs', () => listCopyJobs(client, { accountId: '*' }), 'accountId'],
    ['* for restore jobs', () => listRestoreJobs(client, { accountId: '*' }), 'accountId'],
    [
      'created range reversed',
      () => listBackupJobs(client, { createdAfter: before, createdBefore: after }, { now }),
      'createdAfter',
    ],
    [
      'completed range reversed',
      () => listCopyJobs(client, { completedAfter: before, completedBefore: after }),
      'completedAfter',
    ],
    ['invalid date', () => listRestoreJobs(client, { createdAfter: new Date('nope') }), 'createdAfter'],
    ['backup window beyond 30 days', () => listBackupJobs(client, { createdAfter: old }, { now }), 'createdAfter'],
    [
      'backup completed beyond 30 days',
      () => listBackupJobs(client, { completedAfter: old }, { now }),
      'completedAfter',
    ],
    ['unknown backup state', () => listBackupJobs(client, { state: 'DONE' as never }), 'state'],
    ['unknown restore status', () => listRestoreJobs(client, { status: 'CREATED' as never }), 'status'],
    ['resource ARN not an ARN', () => listBackupJobs(client, { resourceArn: 'vol-1' }), 'resourceArn'],
    ['destination vault not an ARN', () => listCopyJobs(client, { destinationVaultArn: 'dr' }), 'destinationVaultArn'],
    ['empty vault name', () => listBackupJobs(client, { vaultName: ' ' }), 'vaultName'],
  ])('%s', (_name, call, field) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect((error as ValidationError).message).toContain(field);
    expect(backup.calls()).toHaveLength(0);
  });

  it('says ListBackupJobs only covers 30 days', () => {
    expect(() => listBackupJobs(client, { createdAfter: old }, { now })).toThrow(/only covers the last 30 days/);
  });

  it('does not enforce the model pattern that rejects documented resource types', async () => {
    await collect(listBackupJobs(client, { resourceType: 'SAP HANA on Amazon EC2' }));
    expect(backup).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByResourceType: 'SAP HANA on Amazon EC2' });
  });

  it('accepts a window 29 days back', async () => {
    await collect(listBackupJobs(client, { createdAfter: new Date(now.getTime() - 29 * 86_400_000) }, { now }));
    expect(backup).toHaveReceivedCommandTimes(ListBackupJobsCommand, 1);
  });
});
