/** Why a job failed, in words a person can act on. */
export interface Diagnosis {
  /** Stable id of the cause, for grouping, metrics and mute rules (e.g. `kms-key-not-shared`). */
  readonly category: DiagnosisCategory;
  /** Whether starting the job again, later, can succeed without a person changing anything. */
  readonly retryable: boolean;
  /** One line: what went wrong. */
  readonly cause: string;
  /** What to do about it: concrete steps, console pages, policies or CLI commands. */
  readonly remedy: string;
  /** AWS's status message, quotes stripped, when there was one. */
  readonly statusMessage?: string;
  /** AWS's MessageCategory, when known (DescribeBackupJob / ListBackupJobs). */
  readonly messageCategory?: string;
}

/** Every diagnosis category, in table order; `unknown` last. */
export const DIAGNOSIS_CATEGORIES = [
  'access-denied',
  'iam-role-invalid',
  'kms-key-disabled',
  'kms-key-not-shared',
  'vault-not-found',
  'vault-access-policy',
  'cross-account-copy-disabled',
  'not-same-organization',
  'vault-lock-retention',
  'default-key-cross-account',
  'marketplace-ami',
  'too-many-copy-jobs',
  'job-already-running',
  'maintenance-window',
  'snapshot-limit',
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
  'internal-error',
  'invalid-parameter',
  'invalid-request',
  'conflict',
  'unknown',
] as const;

/** A diagnosis category id. */
export type DiagnosisCategory = (typeof DIAGNOSIS_CATEGORIES)[number];

/** The job kinds a row applies to. */
export type DiagnosedKind = 'backup' | 'copy';
