import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  GetBackupPlanCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  describeFailedJob,
  IncompleteJobError,
  planRuleOf,
  relatedJobs,
  ruleScheduleOf,
} from '../../../functions/retry-failed-job/gather.js';
import {
  aDescribedBackupJob,
  aDescribedCopyJob,
  aFailedCopyJob,
  aFailedJob,
  aRule,
  COPY_DESTINATION,
  COPY_RECOVERY_POINT,
  NOW,
  RESOURCE,
  ROLE,
} from './builders.js';

const backup = mockClient(BackupClient);
const client = new BackupClient({ region: 'us-east-1' });

beforeEach(() => backup.reset());

describe('describeFailedJob', () => {
  it('describes a backup job into the facts the decision stands on, its plan rule included', async () => {
    backup.on(DescribeBackupJobCommand).resolves(
      aDescribedBackupJob({
        MessageCategory: 'SUCCESS',
        CreatedBy: { BackupPlanId: 'plan-1', BackupPlanVersion: 'v7', BackupRuleId: 'rule-1' },
        BackupOptions: { WindowsVSS: 'enabled' },
        RecoveryPointLifecycle: { DeleteAfterDays: 35 },
        ParentJobId: 'parent-1',
      }),
    );
    await expect(describeFailedJob(client, 'backup', 'job-1', 'us-east-1')).resolves.toEqual({
      ...aFailedJob({ messageCategory: 'SUCCESS' }),
      parentJobId: 'parent-1',
      isParent: undefined,
      plan: { planId: 'plan-1', versionId: 'v7', ruleId: 'rule-1' },
      backupOptions: { WindowsVSS: 'enabled' },
      lifecycle: { DeleteAfterDays: 35 },
    });
    expect(backup).toHaveReceivedCommandWith(DescribeBackupJobCommand, { BackupJobId: 'job-1' });
  });

  it("reads the 2025 fields: plan and rule names, the rule's cron and time zone, the vault type and lock", async () => {
    // Prepare
    backup.on(DescribeBackupJobCommand).resolves(
      aDescribedBackupJob({
        CreatedBy: {
          BackupPlanId: 'plan-1',
          BackupPlanVersion: 'v7',
          BackupRuleId: 'rule-1',
          BackupPlanName: 'daily-prod',
          BackupRuleName: 'nightly',
          BackupRuleCron: 'cron(0 5 ? * * *)',
          BackupRuleTimezone: 'Europe/Paris',
        },
        VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
        VaultLockState: 'LOCKED',
      }),
    );
    // Act
    const job = await describeFailedJob(client, 'backup', 'job-1', 'us-east-1');
    // Assess
    expect(job.plan).toEqual({
      planId: 'plan-1',
      versionId: 'v7',
      ruleId: 'rule-1',
      planName: 'daily-prod',
      ruleName: 'nightly',
      scheduleExpression: 'cron(0 5 ? * * *)',
      timezone: 'Europe/Paris',
    });
    expect(job.vault).toEqual({ type: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT', lockState: 'LOCKED' });
  });

  it("reads a copy job's destination vault type and lock state", async () => {
    backup.on(DescribeCopyJobCommand).resolves({
      CopyJob: aDescribedCopyJob({ DestinationVaultType: 'BACKUP_VAULT', DestinationVaultLockState: 'LOCKED' }),
    });
    const job = await describeFailedJob(client, 'copy', 'copy-1', 'us-east-1');
    expect(job.vault).toEqual({ type: 'BACKUP_VAULT', lockState: 'LOCKED' });
  });

  it('has no plan for an on-demand job (no CreatedBy)', async () => {
    backup.on(DescribeBackupJobCommand).resolves(aDescribedBackupJob());
    expect((await describeFailedJob(client, 'backup', 'job-1', 'us-east-1')).plan).toBeUndefined();
  });

  it('describes a copy job: the source vault by name, the recovery point and destination to copy again', async () => {
    backup.on(DescribeCopyJobCommand).resolves({
      CopyJob: aDescribedCopyJob({ DestinationRecoveryPointLifecycle: { DeleteAfterDays: 365 } }),
    });
    const job = await describeFailedJob(client, 'copy', 'copy-1', 'us-east-1');
    expect(job).toMatchObject({
      kind: 'copy',
      jobId: 'copy-1',
      state: 'FAILED',
      vaultName: 'prod-daily',
      iamRoleArn: ROLE,
      lifecycle: { DeleteAfterDays: 365 },
      copy: { sourceRecoveryPointArn: COPY_RECOVERY_POINT, destinationVaultArn: COPY_DESTINATION },
    });
    expect(job.plan).toBeUndefined();
  });

  it.each([
    ['State', { State: undefined }],
    ['AccountId', { AccountId: '' }],
    ['ResourceArn', { ResourceArn: undefined }],
    ['BackupVaultName', { BackupVaultName: undefined }],
    ['IamRoleArn', { IamRoleArn: undefined }],
    ['CreationDate', { CreationDate: undefined }],
  ])('refuses a backup job AWS returned without %s, naming it', async (field, overrides) => {
    backup.on(DescribeBackupJobCommand).resolves(aDescribedBackupJob(overrides));
    const error = await describeFailedJob(client, 'backup', 'job-1', 'us-east-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteJobError);
    expect((error as Error).message).toBe(`job job-1: AWS returned no ${field}`);
  });

  it.each([
    ['SourceBackupVaultArn', { SourceBackupVaultArn: undefined }],
    ['SourceRecoveryPointArn', { SourceRecoveryPointArn: undefined }],
    ['DestinationBackupVaultArn', { DestinationBackupVaultArn: undefined }],
  ])('refuses a copy job AWS returned without %s, naming it', async (field, overrides) => {
    backup.on(DescribeCopyJobCommand).resolves({ CopyJob: aDescribedCopyJob(overrides) });
    await expect(describeFailedJob(client, 'copy', 'copy-1', 'us-east-1')).rejects.toThrow(
      `job copy-1: AWS returned no ${field}`,
    );
  });
});

describe('planRuleOf', () => {
  const planned = aFailedJob({ plan: { planId: 'plan-1', versionId: 'v7', ruleId: 'rule-2' } });

  it('reads the rule that created the job, at the plan version that created it', async () => {
    backup.on(GetBackupPlanCommand).resolves({
      BackupPlan: { BackupPlanName: 'p', Rules: [aRule(), aRule({ RuleId: 'rule-2', StartWindowMinutes: 90 })] },
    });
    await expect(planRuleOf(client, planned)).resolves.toMatchObject({ RuleId: 'rule-2', StartWindowMinutes: 90 });
    expect(backup).toHaveReceivedCommandWith(GetBackupPlanCommand, { BackupPlanId: 'plan-1', VersionId: 'v7' });
  });

  it('is undefined when the plan no longer has the rule', async () => {
    backup.on(GetBackupPlanCommand).resolves({ BackupPlan: { BackupPlanName: 'p', Rules: [aRule()] } });
    await expect(planRuleOf(client, planned)).resolves.toBeUndefined();
  });

  it('makes no call for a job no plan created', async () => {
    await expect(planRuleOf(client, aFailedJob())).resolves.toBeUndefined();
    expect(backup.calls()).toHaveLength(0);
  });
});

describe('relatedJobs of a backup job', () => {
  // The failed job was created at 01:00 into prod-daily.
  const job = aFailedJob();
  const later = new Date('2026-11-24T02:30:00Z');

  it('lists the resource from a week before the failure', async () => {
    backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
    await relatedJobs(client, job, NOW);
    expect(backup).toHaveReceivedCommandWith(ListBackupJobsCommand, {
      ByResourceArn: RESOURCE,
      ByCreatedAfter: new Date('2026-11-17T01:00:00Z'),
    });
  });

  it('stays inside the 30 days ListBackupJobs covers for an old failure', async () => {
    backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
    await relatedJobs(client, aFailedJob({ createdAt: new Date('2026-10-20T00:00:00Z') }), NOW);
    expect(backup).toHaveReceivedCommandWith(ListBackupJobsCommand, {
      ByCreatedAfter: new Date('2026-10-26T03:00:00Z'),
    });
  });

  it('finds a newer COMPLETED job into the same vault and a job queued or running', async () => {
    backup.on(ListBackupJobsCommand).resolves({
      BackupJobs: [
        { BackupJobId: 'job-1', State: 'COMPLETED', BackupVaultName: 'prod-daily', CreationDate: later },
        { BackupJobId: 'other-vault', State: 'COMPLETED', BackupVaultName: 'test', CreationDate: later },
        {
          BackupJobId: 'older',
          State: 'COMPLETED',
          BackupVaultName: 'prod-daily',
          CreationDate: new Date('2026-11-23T01:00:00Z'),
        },
        { BackupJobId: 'newer', State: 'COMPLETED', BackupVaultName: 'prod-daily', CreationDate: later },
        { BackupJobId: 'newest', State: 'COMPLETED', BackupVaultName: 'prod-daily', CreationDate: NOW },
        { BackupJobId: 'failed-again', State: 'FAILED', BackupVaultName: 'prod-daily', CreationDate: later },
        { BackupJobId: 'queued', State: 'PENDING', BackupVaultName: 'prod-daily', CreationDate: later },
        { BackupJobId: 'running', State: 'RUNNING', BackupVaultName: 'prod-daily', CreationDate: later },
      ],
    });
    await expect(relatedJobs(client, job, NOW)).resolves.toEqual({
      newerCompletedJobId: 'newer',
      activeJobId: 'queued',
    });
  });

  it('finds neither when the listing holds only the failed job itself', async () => {
    backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [{ BackupJobId: 'job-1', State: 'RUNNING' }] });
    await expect(relatedJobs(client, job, NOW)).resolves.toEqual({
      newerCompletedJobId: undefined,
      activeJobId: undefined,
    });
  });
});

describe('relatedJobs of a copy job', () => {
  it('lists copies of the same recovery point to the same destination', async () => {
    backup.on(ListCopyJobsCommand).resolves({
      CopyJobs: [
        { CopyJobId: 'copy-1', State: 'RUNNING' },
        { CopyJobId: 'copied', State: 'COMPLETED' },
        { CopyJobId: 'copying', State: 'CREATED' },
      ],
    });
    await expect(relatedJobs(client, aFailedCopyJob(), NOW)).resolves.toEqual({
      newerCompletedJobId: 'copied',
      activeJobId: 'copying',
    });
    expect(backup).toHaveReceivedCommandWith(ListCopyJobsCommand, {
      BySourceRecoveryPointArn: COPY_RECOVERY_POINT,
      ByDestinationVaultArn: COPY_DESTINATION,
    });
    expect(backup).not.toHaveReceivedCommand(ListBackupJobsCommand);
  });
});

describe('ruleScheduleOf', () => {
  const plan = { planId: 'plan-1', ruleId: 'rule-1' };
  it.each([
    {
      case: "the record's cron and time zone win over the rule",
      job: aFailedJob({ plan: { ...plan, scheduleExpression: 'cron(0 5 ? * * *)', timezone: 'Asia/Tokyo' } }),
      rule: aRule(),
      expected: { expression: 'cron(0 5 ? * * *)', timezone: 'Asia/Tokyo' },
    },
    {
      case: "the rule's schedule when the record has no cron",
      job: aFailedJob({ plan }),
      rule: aRule({ ScheduleExpression: 'cron(0 1 * * ? *)', ScheduleExpressionTimezone: 'UTC' }),
      expected: { expression: 'cron(0 1 * * ? *)', timezone: 'UTC' },
    },
    { case: 'neither', job: aFailedJob({ plan }), rule: undefined, expected: undefined },
  ])('$case', ({ job, rule, expected }) => {
    expect(ruleScheduleOf(job, rule)).toEqual(expected);
  });
});
