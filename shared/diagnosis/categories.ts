/**
 * Every diagnosis category, in the order of the table; `unknown` last. Ids are stable: they are
 * stored in the ledger, sent as SNS message attributes and named in mute rules (`ALERT_MUTE`).
 */
export const DIAGNOSIS_CATEGORIES = [
  'access-denied',
  'iam-role-invalid',
  'kms-key-disabled',
  'kms-service-linked-role',
  'kms-key-not-shared',
  'vault-not-found',
  'vault-access-policy',
  'cross-account-copy-disabled',
  'not-same-organization',
  'tag-policy',
  'vault-lock-retention',
  'default-key-cross-account',
  'restore-instance-profile',
  'restore-role-denied',
  'restore-network-gone',
  'restore-name-exists',
  'marketplace-ami',
  'too-many-copy-jobs',
  'concurrency-limit',
  'job-already-running',
  'backup-window-collision',
  'maintenance-window',
  'snapshot-limit',
  's3-versioning-disabled',
  'resource-not-found',
  'resource-state',
  'resource-type-not-opted-in',
  'unsupported-resource',
  'lifecycle-invalid',
  'vss-failed',
  'aborted-by-user',
  'expired-start-window',
  'partial',
  'throttling',
  'limit-exceeded',
  'service-unavailable',
  'timeout',
  'internal-error',
  'invalid-parameter',
  'invalid-request',
  'conflict',
  'unknown',
] as const;

/** A diagnosis category id (kebab-case), one of {@link DIAGNOSIS_CATEGORIES}. */
export type DiagnosisCategory = (typeof DIAGNOSIS_CATEGORIES)[number];

/**
 * The job kinds the diagnosis table distinguishes. Rows without `kinds` apply to all of them; the retry
 * function passes a restore as `restore` (functions/retry-failed-job/restore.ts), so it gets the
 * kind-neutral rows and the restore-only ones, and a failed malware scan as `scan`
 * (functions/retry-failed-job/scan.ts), which gets the kind-neutral rows only.
 */
export type DiagnosedKind = 'backup' | 'copy' | 'restore' | 'scan';

/** Why a job or an API call failed, in words a person can act on. */
export interface Diagnosis {
  /** Stable id of the cause, for grouping, metrics and mute rules (e.g. `kms-key-not-shared`). */
  readonly category: DiagnosisCategory;
  /** Whether starting the job again, later, can succeed without a person changing anything. */
  readonly retryable: boolean;
  /** One line: what went wrong. */
  readonly cause: string;
  /** What to do about it: concrete steps, console pages, policies or CLI commands. */
  readonly remedy: string;
  /** AWS's status message (or the API error's message), quotes stripped, ARNs kept, at most 4 KiB. */
  readonly statusMessage?: string;
  /** AWS's MessageCategory as given (DescribeBackupJob / ListBackupJobs), when known. */
  readonly messageCategory?: string;
}
