/**
 * Normalized domain types of AWS Backup's EventBridge events. Parsers in this folder turn what AWS
 * really sends (state vs status, strings vs numbers, locale dates, quoted messages, `{}` for a
 * missing ARN) into these; handlers only ever see these.
 */

/** Every documented backup job state (ListBackupJobs ByState). */
export const BACKUP_JOB_STATES = [
  'CREATED',
  'PENDING',
  'RUNNING',
  'ABORTING',
  'ABORTED',
  'COMPLETED',
  'FAILED',
  'EXPIRED',
  'PARTIAL',
] as const;
export type BackupJobState = (typeof BACKUP_JOB_STATES)[number];

/** Every documented copy job state (ListCopyJobs ByState). */
export const COPY_JOB_STATES = ['CREATED', 'RUNNING', 'COMPLETED', 'FAILED', 'PARTIAL'] as const;
export type CopyJobState = (typeof COPY_JOB_STATES)[number];

/** Every documented restore job status (ListRestoreJobs ByStatus). */
export const RESTORE_JOB_STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'ABORTED', 'FAILED'] as const;
export type RestoreJobStatus = (typeof RESTORE_JOB_STATUSES)[number];

/** Every documented scan job state (ListScanJobs ByState, model shape ScanState). */
export const SCAN_JOB_STATES = [
  'CREATED',
  'RUNNING',
  'COMPLETED',
  'COMPLETED_WITH_ISSUES',
  'FAILED',
  'CANCELED',
] as const;
export type ScanJobState = (typeof SCAN_JOB_STATES)[number];

/** What a finished scan found (model shape ScanResultStatus; GuardDuty: THREATS_FOUND means malware was detected). */
export const SCAN_RESULT_STATUSES = ['NO_THREATS_FOUND', 'THREATS_FOUND'] as const;
export type ScanResultStatus = (typeof SCAN_RESULT_STATUSES)[number];

/**
 * The terminal states that are a problem, worst first: the one list the retry function acts on, the
 * summary counts as failed and lists problem jobs by. Backup jobs reach all four; copy jobs FAILED and
 * PARTIAL; restore jobs FAILED and ABORTED (the state lists above). COMPLETED with a MessageCategory
 * other than SUCCESS is "completed with issues", not a state (shared/backup/completed-with-issues).
 */
export const PROBLEM_STATES = ['FAILED', 'EXPIRED', 'ABORTED', 'PARTIAL'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

/** True when `state` is one of {@link PROBLEM_STATES}. */
export function isProblemState(state: string | undefined): state is ProblemState {
  return (PROBLEM_STATES as readonly (string | undefined)[]).includes(state);
}

/** The EventBridge envelope, kept (Powertools' EventBridgeEnvelope would drop all of it but detail). */
export interface EventEnvelope {
  /** EventBridge event id: the correlation id, and part of dedupe keys. */
  readonly id: string;
  /** Account id as sent; AWS's samples carry 13 digits, so this is not validated as 12. */
  readonly account: string;
  readonly region: string;
  readonly time: Date;
  readonly resources: readonly string[];
}

/** The backup plan that created a job (`createdBy` in events; absent on FAILED/ABORTED backup events). */
export interface CreatedByPlan {
  readonly backupPlanId: string;
  readonly backupPlanArn?: string;
  readonly backupPlanVersion?: string;
  /** `createdBy.backupPlanRuleId` in events; `BackupRuleId` in the API. */
  readonly backupRuleId?: string;
}

/** "Backup Job State Change", normalized. */
export interface BackupJobStateChange extends EventEnvelope {
  readonly kind: 'backup-job';
  readonly backupJobId: string;
  readonly state: BackupJobState;
  /** Absent only on CREATED events (AWS's sample carries only id, state and creation date). */
  readonly backupVaultName?: string;
  readonly backupVaultArn?: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly iamRoleArn?: string;
  /** From `detail.recoveryPointArn`, else (COMPLETED) `resources[0]`: may be a native ARN (snapshot, AMI). */
  readonly recoveryPointArn?: string;
  /** Status message with AWS's surrounding quotes stripped. */
  readonly statusMessage?: string;
  readonly creationDate?: Date;
  readonly completionDate?: Date;
  readonly startBy?: Date;
  readonly expectedCompletionDate?: Date;
  readonly percentDone?: number;
  readonly backupSizeInBytes?: number;
  readonly bytesTransferred?: number;
  readonly createdBy?: CreatedByPlan;
}

/** "Copy Job State Change", normalized. The copy job lives in the source account and Region. */
export interface CopyJobStateChange extends EventEnvelope {
  readonly kind: 'copy-job';
  /** Absent only on CREATED events (AWS's sample has none); the parser requires it for every other state. */
  readonly copyJobId?: string;
  readonly state: CopyJobState;
  readonly sourceBackupVaultArn?: string;
  readonly destinationBackupVaultArn?: string;
  readonly sourceRecoveryPointArn?: string;
  /** Absent when AWS sends `{}` (FAILED and RUNNING copies). */
  readonly destinationRecoveryPointArn?: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly iamRoleArn?: string;
  readonly statusMessage?: string;
  readonly creationDate?: Date;
  readonly completionDate?: Date;
  readonly percentDone?: number;
  readonly backupSizeInBytes?: number;
  readonly createdBy?: CreatedByPlan;
}

/** "Restore Job State Change", normalized (`status`, or `state` on CREATED, both land here). */
export interface RestoreJobStateChange extends EventEnvelope {
  readonly kind: 'restore-job';
  readonly restoreJobId: string;
  /** AWS's CREATED restore event is mapped to PENDING (the API has no CREATED restore status). */
  readonly status: RestoreJobStatus;
  readonly resourceType?: string;
  readonly recoveryPointArn?: string;
  readonly createdResourceArn?: string;
  readonly iamRoleArn?: string;
  readonly statusMessage?: string;
  readonly creationDate?: Date;
  readonly completionDate?: Date;
  readonly percentDone?: number;
  readonly backupSizeInBytes?: number;
}

/**
 * "Scan Job State Change", normalized: a malware scan (AWS Backup with GuardDuty) of one recovery
 * point. Absent members are absent from AWS's sample of that state (eventbridge.html, malware scan
 * job events): `completionDate` before a final state, `scanResultStatus` unless the scan finished.
 */
export interface ScanJobStateChange extends EventEnvelope {
  readonly kind: 'scan-job';
  readonly scanJobId: string;
  readonly state: ScanJobState;
  /** `detail.accountId`: the account that owns the scan job (the envelope's `account` is kept as sent). */
  readonly accountId?: string;
  readonly backupVaultName: string;
  readonly backupVaultArn?: string;
  /** The recovery point scanned (`detail.recoveryPointArn`, else `resources[0]`). */
  readonly recoveryPointArn?: string;
  /** The resource the recovery point is of. */
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly iamRoleArn?: string;
  /** The role GuardDuty scans with. */
  readonly scannerRoleArn?: string;
  /** GuardDuty's scan id (the scan's details live in GuardDuty). */
  readonly scanId?: string;
  /** The earlier recovery point an incremental scan compares with. */
  readonly scanBaseRecoveryPointArn?: string;
  readonly malwareScanner?: string;
  /** `detail.scanResult.scanResultStatus`: present on finished scans. */
  readonly scanResultStatus?: ScanResultStatus;
  readonly statusMessage?: string;
  readonly creationDate?: Date;
  readonly completionDate?: Date;
  readonly createdBy?: CreatedByPlan;
}

/** The EventBridge detail-type of {@link ScanJobStateChange}. */
export const SCAN_JOB_DETAIL_TYPE = 'Scan Job State Change';

/** Any AWS Backup job event this toolkit handles. */
export type BackupEvent = BackupJobStateChange | CopyJobStateChange | RestoreJobStateChange;

/** The EventBridge detail-types that map to {@link BackupEvent}. */
export const DETAIL_TYPES = {
  'backup-job': 'Backup Job State Change',
  'copy-job': 'Copy Job State Change',
  'restore-job': 'Restore Job State Change',
} as const;
