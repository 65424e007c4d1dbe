import type { BackupRule, CopyJob, DescribeBackupJobOutput, ScanJob } from '@aws-sdk/client-backup';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { loadRetryConfig, type RetryConfig } from '../../../functions/retry-failed-job/config.js';
import type { RetryDeps } from '../../../functions/retry-failed-job/deps.js';
import type { Facts, FailedJob } from '../../../functions/retry-failed-job/facts.js';
import { RetryLedger } from '../../../functions/retry-failed-job/ledger.js';
import { RestoreLedger } from '../../../functions/retry-failed-job/restore-ledger.js';
import { ScanLedger } from '../../../functions/retry-failed-job/scan-ledger.js';
import type { StartBackupJobRequest } from '../../../shared/backup/index.js';
import { diagnoseJob } from '../../../shared/diagnosis/index.js';
import { SeenPlaces } from '../../../shared/sweep/seen-places.js';
import { SweepState } from '../../../shared/sweep/state.js';
import { aBaseDeps } from '../../support/base-deps.js';
import type { LedgerTable } from '../../support/ledger-table.js';

export const NOW = new Date('2026-11-24T03:00:00Z');
export const ROLE = 'arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole';
export const RESOURCE = 'arn:aws:ec2:us-east-1:111122223333:volume/vol-0b5ae24f2ee72d926';

export const ENV = {
  LEDGER_TABLE_NAME: 'ledger-test',
  SCHEDULER_GROUP_NAME: 'backup-autopilot',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/backup-autopilot-scheduler',
  NOTIFY_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:backup-autopilot',
};

export const aConfig = (env: Record<string, string> = {}): RetryConfig => loadRetryConfig({ ...ENV, ...env });

export const aFailedJob = (overrides: Partial<FailedJob> = {}): FailedJob => ({
  kind: 'backup',
  jobId: 'job-1',
  state: 'EXPIRED',
  accountId: '111122223333',
  region: 'us-east-1',
  resourceArn: RESOURCE,
  resourceType: 'EBS',
  vaultName: 'prod-daily',
  iamRoleArn: ROLE,
  createdAt: new Date('2026-11-24T01:00:00Z'),
  completedAt: new Date('2026-11-24T02:00:00Z'),
  statusMessage: '"Backup job failed because there was a running job for the same resource."',
  ...overrides,
});

export const aRule = (overrides: Partial<BackupRule> = {}): BackupRule => ({
  RuleName: 'daily',
  RuleId: 'rule-1',
  TargetBackupVaultName: 'prod-daily',
  ScheduleExpression: 'cron(0 1 * * ? *)',
  ScheduleExpressionTimezone: 'UTC',
  StartWindowMinutes: 120,
  CompletionWindowMinutes: 720,
  Lifecycle: { DeleteAfterDays: 35 },
  RecoveryPointTags: { team: 'storage' },
  ...overrides,
});

export const someFacts = (overrides: Partial<Facts> & { job?: FailedJob } = {}): Facts => {
  const job = overrides.job ?? aFailedJob();
  return {
    job,
    diagnosis: diagnoseJob({
      kind: job.kind,
      state: job.state,
      statusMessage: job.statusMessage,
      messageCategory: job.messageCategory,
    }),
    ledger: { attempts: 0, originalJobId: job.jobId, alerted: false },
    ...overrides,
  };
};

/** A copy job's source vault, recovery point and destination (another Region and account). */
export const COPY_SOURCE_VAULT = 'arn:aws:backup:us-east-1:111122223333:backup-vault:prod-daily';
export const COPY_RECOVERY_POINT = 'arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f67890';
export const COPY_DESTINATION = 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr';

/** A FAILED copy job, as gather.ts describes it; override any field. */
export const aFailedCopyJob = (overrides: Partial<FailedJob> = {}): FailedJob =>
  aFailedJob({
    kind: 'copy',
    jobId: 'copy-1',
    state: 'FAILED',
    statusMessage: 'Too many copy jobs are in progress for this resource',
    copy: { sourceRecoveryPointArn: COPY_RECOVERY_POINT, destinationVaultArn: COPY_DESTINATION },
    ...overrides,
  });

/** DescribeBackupJob's answer for {@link aFailedJob} (with what events lack: MessageCategory); override any field. */
export const aDescribedBackupJob = (overrides: Partial<DescribeBackupJobOutput> = {}): DescribeBackupJobOutput => ({
  BackupJobId: 'job-1',
  AccountId: '111122223333',
  State: 'EXPIRED',
  ResourceArn: RESOURCE,
  ResourceType: 'EBS',
  BackupVaultName: 'prod-daily',
  IamRoleArn: ROLE,
  CreationDate: new Date('2026-11-24T01:00:00Z'),
  CompletionDate: new Date('2026-11-24T02:00:00Z'),
  StatusMessage: '"Backup job failed because there was a running job for the same resource."',
  MessageCategory: 'SUCCESS',
  ...overrides,
});

/** DescribeCopyJob's `CopyJob` for {@link aFailedCopyJob}; override any field. */
export const aDescribedCopyJob = (overrides: Partial<CopyJob> = {}): CopyJob => ({
  CopyJobId: 'copy-1',
  AccountId: '111122223333',
  State: 'FAILED',
  ResourceArn: RESOURCE,
  ResourceType: 'EBS',
  SourceBackupVaultArn: COPY_SOURCE_VAULT,
  SourceRecoveryPointArn: COPY_RECOVERY_POINT,
  DestinationBackupVaultArn: COPY_DESTINATION,
  IamRoleArn: ROLE,
  CreationDate: new Date('2026-11-24T01:00:00Z'),
  CompletionDate: new Date('2026-11-24T02:00:00Z'),
  StatusMessage: 'Too many copy jobs are in progress for this resource',
  ...overrides,
});

/** A StartBackupJob input of {@link aFailedJob}'s resource, as an attempt stores it. */
export const aBackupInput = (overrides: Partial<StartBackupJobRequest> = {}): StartBackupJobRequest => ({
  BackupVaultName: 'prod-daily',
  ResourceArn: RESOURCE,
  IamRoleArn: ROLE,
  IdempotencyToken: '5d1c7a52-8d0b-5f0e-9a3e-2b7c4d6e8f10',
  StartWindowMinutes: 60,
  CompleteWindowMinutes: 10_080,
  ...overrides,
});

/**
 * The retry function's deps over a ledger table: the base deps (clients mocked by the test), a
 * Scheduler client, the ledger, settings from {@link ENV} plus `env`, the clock stopped at `at`.
 */
export const aRetryDeps = (
  table: LedgerTable,
  {
    env = {},
    at = NOW,
    account,
    functionName = 'backup-autopilot-retry-failed-job',
    ...overrides
  }: Partial<RetryDeps> & { env?: Record<string, string>; at?: Date; account?: string; functionName?: string } = {},
): RetryDeps => ({
  ...aBaseDeps(functionName, {}, account),
  scheduler: new SchedulerClient({ region: 'us-east-1' }),
  ledger: new RetryLedger(table.documentClient, table.tableName, 90),
  sweepState: new SweepState(table.documentClient, { tableName: table.tableName, ttlDays: 90 }, 'retry'),
  seenPlaces: new SeenPlaces(table.documentClient, { tableName: table.tableName, ttlDays: 90 }, 'retry'),
  restoreLedger: new RestoreLedger(table.documentClient, table.tableName, 90),
  scanLedger: new ScanLedger(table.documentClient, table.tableName, 90),
  config: aConfig({ LEDGER_TABLE_NAME: table.tableName, ...env }),
  now: () => at,
  ...overrides,
});

/** A ListScanJobs member in AWS's shape (API_ScanJob: every required field), a GuardDuty full scan of an EBS volume. */
export const aListedScanJob = (overrides: Partial<ScanJob> = {}): ScanJob => ({
  AccountId: '111122223333',
  BackupVaultArn: 'arn:aws:backup:us-east-1:111122223333:backup-vault:prod',
  BackupVaultName: 'prod',
  CreatedBy: {
    BackupPlanArn: 'arn:aws:backup:us-east-1:111122223333:backup-plan:nightly',
    BackupPlanId: 'nightly',
    BackupPlanVersion: 'v1',
    BackupRuleId: 'rule-1',
  },
  CreationDate: new Date('2026-11-24T01:00:00Z'),
  IamRoleArn: 'arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole',
  MalwareScanner: 'GUARDDUTY',
  RecoveryPointArn: 'arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0',
  ResourceArn: 'arn:aws:ec2:us-east-1:111122223333:volume/vol-0123456789abcdef0',
  ResourceName: 'orders-volume',
  ResourceType: 'EBS',
  ScanJobId: 'scan-1',
  ScanMode: 'FULL_SCAN',
  ScannerRoleArn: 'arn:aws:iam::111122223333:role/backup-malware-scanner',
  State: 'COMPLETED',
  ...overrides,
});
