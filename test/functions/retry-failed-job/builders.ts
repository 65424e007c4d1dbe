import type { BackupRule } from '@aws-sdk/client-backup';
import { loadRetryConfig, type RetryConfig } from '../../../functions/retry-failed-job/config.js';
import type { Facts, FailedJob } from '../../../functions/retry-failed-job/facts.js';
import { diagnoseJob } from '../../../shared/diagnosis/index.js';

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
