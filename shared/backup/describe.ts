import {
  type BackupClient,
  type CopyJob,
  DescribeBackupJobCommand,
  type DescribeBackupJobOutput,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  type DescribeRecoveryPointOutput,
  DescribeRestoreJobCommand,
  type DescribeRestoreJobOutput,
  GetBackupPlanCommand,
  type GetBackupPlanOutput,
} from '@aws-sdk/client-backup';
import { ValidationError } from '../errors.js';
import { isArn } from './arn.js';
import { BackupApiError, toBackupApiError } from './errors.js';

function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2048) {
    throw new ValidationError(field, value, 'must be a non-empty string');
  }
  return value;
}

async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toBackupApiError(operation, error);
  }
}

/**
 * DescribeBackupJob: the fields events lack (MessageCategory, ParentJobId, IsParent, CreatedBy on
 * FAILED jobs, BackupOptions, lifecycle). Backup jobs are described in their own account and Region.
 */
export function describeBackupJob(
  client: BackupClient,
  backupJobId: string,
  signal?: AbortSignal,
): Promise<DescribeBackupJobOutput> {
  const id = requireText('backupJobId', backupJobId);
  return call('DescribeBackupJob', () =>
    client.send(new DescribeBackupJobCommand({ BackupJobId: id }), { abortSignal: signal }),
  );
}

/** DescribeCopyJob: the copy job itself (source recovery point and vault, destination, lifecycle). */
export async function describeCopyJob(client: BackupClient, copyJobId: string, signal?: AbortSignal): Promise<CopyJob> {
  const id = requireText('copyJobId', copyJobId);
  const out = await call('DescribeCopyJob', () =>
    client.send(new DescribeCopyJobCommand({ CopyJobId: id }), { abortSignal: signal }),
  );
  if (!out.CopyJob) {
    throw new BackupApiError('DescribeCopyJob', 'EmptyResponse', false, undefined, new Error(`no CopyJob for ${id}`));
  }
  return out.CopyJob;
}

/**
 * DescribeRestoreJob: what a restore event lacks (the vault, the recovery point, and `CreatedBy`,
 * whose RestoreTestingPlanArn names a restore testing plan's job; API_DescribeRestoreJob).
 * Restore jobs are described in their own account and Region.
 */
export function describeRestoreJob(
  client: BackupClient,
  restoreJobId: string,
  signal?: AbortSignal,
): Promise<DescribeRestoreJobOutput> {
  const id = requireText('restoreJobId', restoreJobId);
  return call('DescribeRestoreJob', () =>
    client.send(new DescribeRestoreJobCommand({ RestoreJobId: id }), { abortSignal: signal }),
  );
}

/** DescribeRecoveryPoint in the vault that holds it. */
export function describeRecoveryPoint(
  client: BackupClient,
  input: { readonly backupVaultName: string; readonly recoveryPointArn: string },
  signal?: AbortSignal,
): Promise<DescribeRecoveryPointOutput> {
  const vault = requireText('backupVaultName', input.backupVaultName);
  if (!isArn(input.recoveryPointArn))
    throw new ValidationError('recoveryPointArn', input.recoveryPointArn, 'must be an ARN');
  return call('DescribeRecoveryPoint', () =>
    client.send(
      new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: input.recoveryPointArn }),
      { abortSignal: signal },
    ),
  );
}

/**
 * True when a recovery point can be copied or restored: a successfully created recovery point is
 * `AVAILABLE`, and `COMPLETED` exists too (API_DescribeRecoveryPoint); both mean usable.
 */
export function isRecoveryPointUsable(status: string | undefined): boolean {
  return status === 'AVAILABLE' || status === 'COMPLETED';
}

/** GetBackupPlan's MaxScheduledRunsPreview: 0 to 10 (service model). */
export const MAX_SCHEDULED_RUNS_PREVIEW = 10;

/**
 * GetBackupPlan, optionally at a given version: a retry must use the rules of the plan version that
 * created the failed job, not whatever the plan says today. With `maxScheduledRunsPreview` (0-10)
 * AWS adds ScheduledRunsPreview, the plan's next runs (ExecutionTime, RuleId, RuleExecutionType);
 * LastExecutionDate says when the plan last ran.
 */
export function getBackupPlan(
  client: BackupClient,
  input: { readonly backupPlanId: string; readonly versionId?: string; readonly maxScheduledRunsPreview?: number },
  signal?: AbortSignal,
): Promise<GetBackupPlanOutput> {
  const planId = requireText('backupPlanId', input.backupPlanId);
  if (input.versionId !== undefined) requireText('versionId', input.versionId);
  const preview = input.maxScheduledRunsPreview;
  if (preview !== undefined && (!Number.isInteger(preview) || preview < 0 || preview > MAX_SCHEDULED_RUNS_PREVIEW)) {
    throw new ValidationError(
      'maxScheduledRunsPreview',
      preview,
      `must be an integer from 0 to ${MAX_SCHEDULED_RUNS_PREVIEW} (MaxScheduledRunsPreview)`,
    );
  }
  return call('GetBackupPlan', () =>
    client.send(
      new GetBackupPlanCommand({
        BackupPlanId: planId,
        ...(input.versionId !== undefined ? { VersionId: input.versionId } : {}),
        ...(preview !== undefined ? { MaxScheduledRunsPreview: preview } : {}),
      }),
      { abortSignal: signal },
    ),
  );
}
