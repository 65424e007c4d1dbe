import type { BackupClient, BackupRule } from '@aws-sdk/client-backup';
import {
  backupVaultFacts,
  copyVaultFacts,
  describeBackupJob,
  describeCopyJob,
  getBackupPlan,
  jobOriginOf,
  listBackupJobs,
  listCopyJobs,
  vaultNameFromArn,
} from '../../shared/backup/index.js';
import { ToolkitError } from '../../shared/errors.js';
import { DAY_MS } from '../../shared/time.js';
import type { FailedJob, FailedKind } from './facts.js';

const ACTIVE = new Set(['CREATED', 'PENDING', 'RUNNING']);

/** A job this toolkit cannot act on because AWS returned too little about it. */
export class IncompleteJobError extends ToolkitError {
  constructor(jobId: string, field: string) {
    super(`job ${jobId}: AWS returned no ${field}`);
    this.name = 'IncompleteJobError';
  }
}

function need<T>(jobId: string, field: string, value: T | undefined): T {
  if (value === undefined || value === null || value === '') throw new IncompleteJobError(jobId, field);
  return value;
}

/**
 * Describes a failed job into {@link FailedJob}. Events carry no MessageCategory, ParentJobId or
 * (for FAILED backups) CreatedBy, so the Describe call is what the decision stands on.
 */
export async function describeFailedJob(
  client: BackupClient,
  kind: FailedKind,
  jobId: string,
  region: string,
  signal?: AbortSignal,
): Promise<FailedJob> {
  if (kind === 'backup') {
    const j = await describeBackupJob(client, jobId, signal);
    const plan = jobOriginOf(j.CreatedBy);
    const vault = backupVaultFacts(j);
    return {
      kind,
      jobId,
      state: need(jobId, 'State', j.State),
      accountId: need(jobId, 'AccountId', j.AccountId),
      region,
      resourceArn: need(jobId, 'ResourceArn', j.ResourceArn),
      resourceType: j.ResourceType,
      vaultName: need(jobId, 'BackupVaultName', j.BackupVaultName),
      iamRoleArn: need(jobId, 'IamRoleArn', j.IamRoleArn),
      createdAt: need(jobId, 'CreationDate', j.CreationDate),
      completedAt: j.CompletionDate,
      statusMessage: j.StatusMessage,
      messageCategory: j.MessageCategory,
      parentJobId: j.ParentJobId,
      isParent: j.IsParent,
      plan,
      ...(vault ? { vault } : {}),
      backupOptions: j.BackupOptions,
      lifecycle: j.RecoveryPointLifecycle,
    };
  }
  const c = await describeCopyJob(client, jobId, signal);
  const sourceVaultArn = need(jobId, 'SourceBackupVaultArn', c.SourceBackupVaultArn);
  const vault = copyVaultFacts(c);
  return {
    kind,
    jobId,
    state: need(jobId, 'State', c.State),
    accountId: need(jobId, 'AccountId', c.AccountId),
    region,
    resourceArn: need(jobId, 'ResourceArn', c.ResourceArn),
    resourceType: c.ResourceType,
    vaultName: vaultNameFromArn(sourceVaultArn, 'SourceBackupVaultArn'),
    iamRoleArn: need(jobId, 'IamRoleArn', c.IamRoleArn),
    createdAt: need(jobId, 'CreationDate', c.CreationDate),
    completedAt: c.CompletionDate,
    statusMessage: c.StatusMessage,
    messageCategory: c.MessageCategory,
    parentJobId: c.ParentJobId,
    isParent: c.IsParent,
    plan: jobOriginOf(c.CreatedBy),
    ...(vault ? { vault } : {}),
    lifecycle: c.DestinationRecoveryPointLifecycle,
    copy: {
      sourceRecoveryPointArn: need(jobId, 'SourceRecoveryPointArn', c.SourceRecoveryPointArn),
      destinationVaultArn: need(jobId, 'DestinationBackupVaultArn', c.DestinationBackupVaultArn),
    },
  };
}

/** The plan rule that created a job, at the plan version that created it. */
export async function planRuleOf(
  client: BackupClient,
  job: FailedJob,
  signal?: AbortSignal,
): Promise<BackupRule | undefined> {
  if (!job.plan) return undefined;
  const plan = await getBackupPlan(client, { backupPlanId: job.plan.planId, versionId: job.plan.versionId }, signal);
  return plan.BackupPlan?.Rules?.find((rule) => rule.RuleId === job.plan?.ruleId);
}

/**
 * The schedule the next-run check reads: the job record's own `CreatedBy.BackupRuleCron` and
 * `BackupRuleTimezone` when AWS sent them (no GetBackupPlan needed), else the plan rule's
 * ScheduleExpression and ScheduleExpressionTimezone; undefined when neither is known.
 */
export function ruleScheduleOf(
  job: FailedJob,
  rule: BackupRule | undefined,
): { readonly expression: string; readonly timezone?: string } | undefined {
  if (job.plan?.scheduleExpression) return { expression: job.plan.scheduleExpression, timezone: job.plan.timezone };
  if (rule?.ScheduleExpression)
    return { expression: rule.ScheduleExpression, timezone: rule.ScheduleExpressionTimezone };
  return undefined;
}

/**
 * Looks for a newer COMPLETED job of the same resource into the same vault (a retry is then
 * pointless) and for a job already queued or running for it (AWS runs one at a time). One list
 * call, filtered by resource, reaching a week before the failure (ListBackupJobs covers 30 days).
 */
export async function relatedJobs(
  client: BackupClient,
  job: FailedJob,
  now: Date,
  signal?: AbortSignal,
): Promise<{ newerCompletedJobId?: string; activeJobId?: string }> {
  const createdAfter = new Date(Math.max(job.createdAt.getTime() - 7 * DAY_MS, now.getTime() - 29 * DAY_MS));
  let newerCompletedJobId: string | undefined;
  let activeJobId: string | undefined;
  if (job.kind === 'copy' && job.copy) {
    for await (const c of listCopyJobs(
      client,
      { sourceRecoveryPointArn: job.copy.sourceRecoveryPointArn, destinationVaultArn: job.copy.destinationVaultArn },
      { signal },
    )) {
      if (c.CopyJobId === job.jobId) continue;
      if (c.State === 'COMPLETED') newerCompletedJobId ??= c.CopyJobId;
      if (c.State && ACTIVE.has(c.State)) activeJobId ??= c.CopyJobId;
    }
    return { newerCompletedJobId, activeJobId };
  }
  for await (const b of listBackupJobs(client, { resourceArn: job.resourceArn, createdAfter }, { signal, now })) {
    if (b.BackupJobId === job.jobId) continue;
    const created = b.CreationDate?.getTime() ?? 0;
    if (b.State === 'COMPLETED' && b.BackupVaultName === job.vaultName && created > job.createdAt.getTime()) {
      newerCompletedJobId ??= b.BackupJobId;
    }
    if (b.State && ACTIVE.has(b.State)) activeJobId ??= b.BackupJobId;
  }
  return { newerCompletedJobId, activeJobId };
}
