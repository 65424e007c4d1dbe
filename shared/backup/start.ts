import {
  type BackupClient,
  StartBackupJobCommand,
  type StartBackupJobInput,
  StartCopyJobCommand,
  type StartCopyJobInput,
} from '@aws-sdk/client-backup';
import { ValidationError } from '../errors.js';
import { isArn } from './arn.js';
import { BackupApiError, toBackupApiError } from './errors.js';

/**
 * StartBackupJob's input with IdempotencyToken REQUIRED: the SDK silently fills a random UUID when
 * it is omitted (aws-facts.md), which would make every re-send a new job.
 */
export type StartBackupJobRequest = StartBackupJobInput & { readonly IdempotencyToken: string };

/** StartCopyJob's input with IdempotencyToken REQUIRED (see {@link StartBackupJobRequest}). */
export type StartCopyJobRequest = StartCopyJobInput & { readonly IdempotencyToken: string };

/** What StartBackupJob returns that callers keep. */
export interface StartedBackupJob {
  readonly backupJobId: string;
  readonly recoveryPointArn?: string;
  readonly creationDate?: Date;
  readonly isParent?: boolean;
}

/** What StartCopyJob returns that callers keep. */
export interface StartedCopyJob {
  readonly copyJobId: string;
  readonly creationDate?: Date;
  readonly isParent?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkToken(token: unknown): void {
  // Checked at run time too: JSON from the ledger or a test can lack it, and the SDK would fill a random one.
  if (typeof token !== 'string' || !UUID.test(token)) {
    throw new ValidationError('IdempotencyToken', token, 'must be a UUID from idempotencyToken()');
  }
}

/**
 * The longest StartWindowMinutes or CompleteWindowMinutes StartBackupJob accepts: "a maximum value
 * of 100 years (52,560,000 minutes)" (service-2.json, StartBackupJobInput).
 */
export const MAX_WINDOW_MINUTES = 52_560_000;

function checkWindow(field: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > MAX_WINDOW_MINUTES)) {
    throw new ValidationError(field, value, `must be an integer from ${min} to ${MAX_WINDOW_MINUTES}`);
  }
}

function checkLifecycle(lifecycle: StartBackupJobInput['Lifecycle']): void {
  const cold = lifecycle?.MoveToColdStorageAfterDays;
  const del = lifecycle?.DeleteAfterDays;
  // "When MoveToColdStorageAfterDays is set, DeleteAfterDays must be at least 90 days more" (API_Lifecycle).
  if (cold !== undefined && del !== undefined && del < cold + 90) {
    throw new ValidationError(
      'Lifecycle.DeleteAfterDays',
      del,
      `must be at least 90 days after MoveToColdStorageAfterDays (${cold})`,
    );
  }
}

/**
 * StartBackupJob with a required idempotency token. A re-send with the same token and input is
 * answered with "success ... no action taken" and the original job id (API_StartBackupJob).
 */
export async function startBackupJob(
  client: BackupClient,
  input: StartBackupJobRequest,
  signal?: AbortSignal,
): Promise<StartedBackupJob> {
  checkToken(input.IdempotencyToken);
  if (!isArn(input.ResourceArn)) throw new ValidationError('ResourceArn', input.ResourceArn, 'must be an ARN');
  if (!isArn(input.IamRoleArn)) throw new ValidationError('IamRoleArn', input.IamRoleArn, 'must be an ARN');
  if (!input.BackupVaultName) throw new ValidationError('BackupVaultName', input.BackupVaultName, 'is required');
  // StartWindowMinutes: "minimum 60" when set (API_StartBackupJob).
  checkWindow('StartWindowMinutes', input.StartWindowMinutes, 60);
  checkWindow('CompleteWindowMinutes', input.CompleteWindowMinutes, 1);
  checkLifecycle(input.Lifecycle);
  try {
    const out = await client.send(new StartBackupJobCommand({ ...input }), { abortSignal: signal });
    if (!out.BackupJobId) throw new BackupApiError('StartBackupJob', 'EmptyResponse', false, undefined, out);
    return {
      backupJobId: out.BackupJobId,
      recoveryPointArn: out.RecoveryPointArn,
      creationDate: out.CreationDate,
      isParent: out.IsParent,
    };
  } catch (error) {
    throw toBackupApiError('StartBackupJob', error);
  }
}

/**
 * StartCopyJob with a required idempotency token. Runs in the source recovery point's account and
 * Region: pass the client for that Region.
 */
export async function startCopyJob(
  client: BackupClient,
  input: StartCopyJobRequest,
  signal?: AbortSignal,
): Promise<StartedCopyJob> {
  checkToken(input.IdempotencyToken);
  if (!isArn(input.RecoveryPointArn))
    throw new ValidationError('RecoveryPointArn', input.RecoveryPointArn, 'must be an ARN');
  if (!isArn(input.DestinationBackupVaultArn)) {
    throw new ValidationError('DestinationBackupVaultArn', input.DestinationBackupVaultArn, 'must be an ARN');
  }
  if (!isArn(input.IamRoleArn)) throw new ValidationError('IamRoleArn', input.IamRoleArn, 'must be an ARN');
  if (!input.SourceBackupVaultName) {
    throw new ValidationError('SourceBackupVaultName', input.SourceBackupVaultName, 'is required');
  }
  checkLifecycle(input.Lifecycle);
  try {
    const out = await client.send(new StartCopyJobCommand({ ...input }), { abortSignal: signal });
    if (!out.CopyJobId) throw new BackupApiError('StartCopyJob', 'EmptyResponse', false, undefined, out);
    return { copyJobId: out.CopyJobId, creationDate: out.CreationDate, isParent: out.IsParent };
  } catch (error) {
    throw toBackupApiError('StartCopyJob', error);
  }
}
