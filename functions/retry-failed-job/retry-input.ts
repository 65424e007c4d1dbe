import type { Lifecycle } from '@aws-sdk/client-backup';
import { idempotencyToken, type StartBackupJobRequest, type StartCopyJobRequest } from '../../shared/backup/index.js';
import type { RetryConfig } from './config.js';
import type { Facts } from './facts.js';

/** Tags on a retried recovery point saying where it came from. */
export const PROVENANCE_TAGS = {
  originalJobId: 'backup-autopilot:original-job-id',
  attempt: 'backup-autopilot:attempt',
} as const;

function cleanLifecycle(lifecycle: Lifecycle | undefined): Lifecycle | undefined {
  if (!lifecycle) return undefined;
  const out: Lifecycle = {};
  if (lifecycle.MoveToColdStorageAfterDays !== undefined)
    out.MoveToColdStorageAfterDays = lifecycle.MoveToColdStorageAfterDays;
  if (lifecycle.DeleteAfterDays !== undefined) out.DeleteAfterDays = lifecycle.DeleteAfterDays;
  if (lifecycle.OptInToArchiveForSupportedResources !== undefined) {
    out.OptInToArchiveForSupportedResources = lifecycle.OptInToArchiveForSupportedResources;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The exact Start* input of attempt `attempt`: same resource, vault and role; from a plan, that
 * plan version's rule logically air-gapped target vault, index action, lifecycle, windows
 * (StartWindowMinutes at least 60, API_StartBackupJob) and recovery point tags; otherwise the configured defaults and the job's own lifecycle. The token is
 * derived from the chain's original job and the attempt, so a re-send is answered "no action taken".
 */
export function retryInput(
  facts: Facts,
  attempt: number,
  config: RetryConfig,
): StartBackupJobRequest | StartCopyJobRequest {
  const { job, rule, ledger } = facts;
  const token = idempotencyToken(ledger.originalJobId, job.kind, attempt);
  if (job.kind === 'copy' && job.copy) {
    const destinationAction = rule?.CopyActions?.find(
      (a) => a.DestinationBackupVaultArn === job.copy?.destinationVaultArn,
    );
    const lifecycle = cleanLifecycle(job.lifecycle ?? destinationAction?.Lifecycle);
    return {
      RecoveryPointArn: job.copy.sourceRecoveryPointArn,
      SourceBackupVaultName: job.vaultName,
      DestinationBackupVaultArn: job.copy.destinationVaultArn,
      IamRoleArn: job.iamRoleArn,
      IdempotencyToken: token,
      ...(lifecycle ? { Lifecycle: lifecycle } : {}),
    } satisfies StartCopyJobRequest;
  }
  const lifecycle = cleanLifecycle(rule?.Lifecycle ?? job.lifecycle);
  const tags = {
    ...(rule?.RecoveryPointTags ?? {}),
    [PROVENANCE_TAGS.originalJobId]: ledger.originalJobId,
    [PROVENANCE_TAGS.attempt]: String(attempt),
  };
  // A rule whose primary target is a logically air-gapped vault names it besides its backup vault
  // (API_BackupRule TargetLogicallyAirGappedBackupVaultArn): the retry starts as the plan does, with
  // both, or its recovery point lands in the standard vault only.
  const airGapped = rule?.TargetLogicallyAirGappedBackupVaultArn;
  // A rule that indexes the resource's type (API_BackupRule IndexActions: EBS, S3) has its plan's
  // backups indexed for search; StartBackupJob takes `Index: ENABLED` for the same (API_StartBackupJob).
  const type = job.resourceType;
  const indexed =
    type !== undefined && (rule?.IndexActions ?? []).some((action) => action.ResourceTypes?.includes(type));
  return {
    BackupVaultName: airGapped ? (rule?.TargetBackupVaultName ?? job.vaultName) : job.vaultName,
    ...(airGapped ? { LogicallyAirGappedBackupVaultArn: airGapped } : {}),
    ResourceArn: job.resourceArn,
    IamRoleArn: job.iamRoleArn,
    IdempotencyToken: token,
    StartWindowMinutes: Math.max(60, rule?.StartWindowMinutes ?? config.defaultStartWindowMinutes),
    CompleteWindowMinutes: rule?.CompletionWindowMinutes ?? config.defaultCompleteWindowMinutes,
    ...(lifecycle ? { Lifecycle: lifecycle } : {}),
    RecoveryPointTags: tags,
    ...(indexed ? { Index: 'ENABLED' as const } : {}),
    ...(job.backupOptions && Object.keys(job.backupOptions).length > 0
      ? { BackupOptions: { ...job.backupOptions } }
      : {}),
  } satisfies StartBackupJobRequest;
}
