import type { DiagnosedKind, DiagnosisCategory } from './types.js';

/** One row of the diagnosis table. */
export interface DiagnosisRow {
  readonly category: DiagnosisCategory;
  readonly retryable: boolean;
  readonly cause: string;
  readonly remedy: string;
  /** AWS MessageCategory values (compared upper-case, without `_`) that mean this row. */
  readonly messageCategories?: readonly string[];
  /** Patterns over the normalised status message (see normalizeStatusMessage). */
  readonly patterns?: readonly RegExp[];
  /** Job kinds the row applies to; absent = both. */
  readonly kinds?: readonly DiagnosedKind[];
  /** Where the wording comes from (AWS Backup Developer Guide page unless noted). */
  readonly source: string;
}

/**
 * Why AWS Backup jobs fail, most specific first. Seeded from the reasons AWS publishes for its jobs
 * (jobs dashboard "problematic reasons", troubleshooting.html, recov-point-create-a-copy.html,
 * create-cross-account-backup.html, vault-lock.html, the published event samples) and the API's
 * error names. Rows with `messageCategories` win when DescribeBackupJob supplies a MessageCategory;
 * otherwise the first row whose pattern matches the normalised message wins.
 */
export const DIAGNOSIS_TABLE: readonly DiagnosisRow[] = [
  {
    category: 'kms-key-disabled',
    retryable: false,
    cause: 'The KMS key that encrypts the resource or the vault is disabled or pending deletion.',
    remedy:
      'Enable the key (KMS console > Customer managed keys > Key actions > Enable) or cancel its deletion, then run the backup again.',
    patterns: [
      /\bkms\b.*\b(disabled|pending deletion|pendingdeletion)\b/i,
      /KMSInvalidStateException|KMS key is disabled/i,
    ],
    messageCategories: ['ACCESSDENIED'],
    source: 'troubleshooting.html; KMS KMSInvalidStateException',
  },
  {
    category: 'kms-key-not-shared',
    retryable: false,
    cause:
      'The copy or backup role cannot use the KMS key (not shared with the destination account, or the key policy does not allow the role).',
    remedy:
      'Use a customer managed key and allow the destination account and the backup role kms:Decrypt, kms:GenerateDataKey*, kms:CreateGrant and kms:DescribeKey in its key policy.',
    patterns: [
      /\bkms\b.*\b(not authorized|access denied|accessdenied|do not have permissions?|not have access|not shared|cannot be used|unable to use)\b/i,
      /(not authorized|access denied|no access|permission).*\b(kms|key)\b/i,
      /source snapshot kms key does not exist, is not enabled or you do not have permissions/i,
    ],
    messageCategories: ['ACCESSDENIED'],
    source: 'create-cross-account-backup.html (encryption); recov-point-create-a-copy.html',
  },
  {
    category: 'default-key-cross-account',
    retryable: false,
    cause:
      'The recovery point is encrypted with the AWS managed key (aws/backup or the service default), which cannot be shared across accounts.',
    remedy:
      'Back up into a vault encrypted with a customer managed key shared with the destination account (or use a resource fully managed by AWS Backup), then copy that recovery point.',
    patterns: [
      /(aws managed|default) (kms )?key.*(cross[- ]account|another account|shared)/i,
      /aws\/backup.*(cross[- ]account|cannot be copied)/i,
    ],
    kinds: ['copy'],
    source: 'create-cross-account-backup.html',
  },
  {
    category: 'cross-account-copy-disabled',
    retryable: false,
    cause: 'Cross-account backup is not enabled for the organization.',
    remedy:
      'In the management account, open AWS Backup > Settings > Cross-account management and turn on cross-account backup (aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true).',
    patterns: [/cross[- ]account (backup|copy|copies)? ?(is )?(not enabled|disabled)/i],
    kinds: ['copy'],
    source: 'create-cross-account-backup.html',
  },
  {
    category: 'not-same-organization',
    retryable: false,
    cause: 'The source and destination accounts are not in the same AWS Organization.',
    remedy:
      'Copy only between accounts of one organization, or invite the destination account into it (AWS Organizations).',
    patterns: [/not (part of|in|a member of) the same (aws )?organi[sz]ation/i, /same organi[sz]ation/i],
    kinds: ['copy'],
    source: 'create-cross-account-backup.html',
  },
  {
    category: 'vault-lock-retention',
    retryable: false,
    cause: "The recovery point's retention is outside the range the destination vault's Vault Lock allows.",
    remedy:
      "Set the rule's or copy's DeleteAfterDays inside the vault lock's MinRetentionDays..MaxRetentionDays (aws backup describe-backup-vault shows them).",
    patterns: [
      /(retention|lifecycle).*(vault lock|locked vault|allowed range|min(imum)? retention|max(imum)? retention)/i,
      /vault lock/i,
    ],
    source: 'vault-lock.html',
  },
  {
    category: 'vault-access-policy',
    retryable: false,
    cause: "The destination vault's access policy does not allow this account to copy into it.",
    remedy:
      'Add a statement to the destination vault access policy allowing backup:CopyIntoBackupVault for the source account (or aws:PrincipalOrgID of the organization).',
    patterns: [/CopyIntoBackupVault/i, /access denied.*(destination|target) (backup )?vault/i, /vault access policy/i],
    kinds: ['copy'],
    source: 'create-cross-account-backup.html (destination vault policy)',
  },
  {
    category: 'vault-not-found',
    retryable: false,
    cause: 'The backup vault does not exist (deleted, misspelt, or in another Region or account).',
    remedy:
      'Create the vault, or point the backup plan rule or copy rule at an existing one (aws backup list-backup-vaults).',
    patterns: [
      /(backup )?vault <arn> does not exist/i,
      /vault (does not exist|not found)/i,
      /either the vault does not exist/i,
    ],
    source: 'eventbridge.html (FAILED sample); troubleshooting.html',
  },
  {
    category: 'iam-role-invalid',
    retryable: false,
    cause: 'AWS Backup cannot assume the IAM role given for the job.',
    remedy:
      "Check the role exists and its trust policy allows backup.amazonaws.com to sts:AssumeRole; the plan's resource assignment names the role.",
    patterns: [
      /(unable|failed|cannot|could not) (to )?assume (the )?(iam )?role/i,
      /(iam )?role .*(does not exist|is invalid|not found)/i,
      /invalid (iam )?role/i,
    ],
    source: 'troubleshooting.html; iam-service-roles.html',
  },
  {
    category: 'marketplace-ami',
    retryable: false,
    cause: 'The instance was launched from an AWS Marketplace AMI whose product code forbids copying.',
    remedy:
      'Exclude the instance from cross-account or cross-Region copy rules, or back it up another way (its data volumes as EBS).',
    patterns: [/marketplace/i, /product code/i],
    source: 'recov-point-create-a-copy.html (EC2 copies)',
  },
  {
    category: 'too-many-copy-jobs',
    retryable: true,
    cause: 'Too many copy jobs are in progress for this resource or account.',
    remedy: 'Nothing to fix: the copy can be retried once running copies finish. Stagger copy rules if it recurs.',
    patterns: [/too many (concurrent )?copy jobs/i, /(maximum|limit) (number )?of (concurrent )?copy jobs/i],
    kinds: ['copy'],
    source: 'recov-point-create-a-copy.html; service quotas (backup)',
  },
  {
    category: 'job-already-running',
    retryable: true,
    cause: 'Another backup or copy job was running for the same resource (AWS runs one at a time).',
    remedy:
      'Nothing to fix for one occurrence: retry after the running job ends. If it recurs, two plans or rules target the resource at the same time; space their windows.',
    patterns: [
      /running job for the same resource/i,
      /(job|backup) (is )?already (in progress|running)/i,
      /another (backup )?job .*in progress/i,
    ],
    source: 'eventbridge.html (EXPIRED sample); recov-point-create-a-copy.html',
  },
  {
    category: 'maintenance-window',
    retryable: true,
    cause: 'The resource was in a maintenance window or a state change AWS Backup cannot back up through.',
    remedy:
      "Retry after the maintenance window; move the plan's backup window away from the resource's maintenance window.",
    patterns: [/maintenance window/i, /\bmaintenance\b/i],
    source: 'troubleshooting.html (RDS/Aurora)',
  },
  {
    category: 'snapshot-limit',
    retryable: false,
    cause: 'The account reached a snapshot quota for this resource type.',
    remedy:
      'Delete old snapshots or recovery points, or request a quota increase (Service Quotas console), then retry.',
    patterns: [
      /snapshot.*(limit|quota)/i,
      /SnapshotQuotaExceeded|SnapshotLimitExceeded/i,
      /maximum number of (manual )?snapshots/i,
    ],
    source: 'troubleshooting.html; EC2/RDS quotas',
  },
  {
    category: 'vss-failed',
    retryable: true,
    cause: 'The Windows VSS (application-consistent) snapshot failed on the instance.',
    remedy:
      'Check the SSM agent, AWS VSS components and the instance role on the instance; the next run usually succeeds.',
    patterns: [/\bvss\b/i],
    source: 'windows-backups.html',
  },
  {
    category: 'resource-type-not-opted-in',
    retryable: false,
    cause: 'The resource type is not opted in to AWS Backup in this Region.',
    remedy: 'AWS Backup > Settings > Service opt-in: enable the resource type (aws backup update-region-settings).',
    patterns: [/not opted[- ]in/i, /opt[- ]in (preference|setting)/i],
    source: 'service-opt-in.html',
  },
  {
    category: 'resource-not-found',
    retryable: false,
    cause: 'The protected resource no longer exists.',
    remedy:
      'Remove it from the backup plan resource assignment (or let tag-based selection drop it); nothing to back up.',
    patterns: [
      /resource .*(not found|does not exist|no longer exists)/i,
      /NotFound\b/,
      /(instance|volume|db instance|cluster|table|file system) .*(does not exist|not found)/i,
    ],
    source: 'troubleshooting.html',
  },
  {
    category: 'resource-state',
    retryable: true,
    cause: 'The resource was not in a state that can be backed up (stopped, modifying, creating, or not available).',
    remedy:
      'Retry when the resource is available; if it is stopped or being modified on schedule, move the backup window.',
    patterns: [
      /not in (an? )?(available|valid|running|active|in-use) state/i,
      /invalid (db )?(instance |cluster )?state/i,
      /is (currently )?(stopped|modifying|creating|stopping|upgrading|being)/i,
    ],
    source: 'troubleshooting.html',
  },
  {
    category: 'unsupported-resource',
    retryable: false,
    cause: 'AWS Backup does not support this operation for this resource or configuration.',
    remedy:
      'Check feature availability by resource (AWS Backup docs) and exclude the resource from this plan or copy rule.',
    patterns: [/not supported|unsupported|does not support/i],
    source: 'backup-feature-availability.html',
  },
  {
    category: 'lifecycle-invalid',
    retryable: false,
    cause: 'The lifecycle is invalid: DeleteAfterDays must be at least 90 days more than MoveToColdStorageAfterDays.',
    remedy: "Fix the plan rule's or copy rule's lifecycle (delete at least 90 days after moving to cold storage).",
    patterns: [/lifecycle/i, /DeleteAfterDays|MoveToColdStorageAfterDays/i],
    source: 'API_Lifecycle',
  },
  {
    category: 'access-denied',
    retryable: false,
    cause: 'The backup role is not allowed to read the resource or its tags, or to write to the vault.',
    remedy:
      'Give the role the permissions of AWSBackupServiceRolePolicyForBackup (and ...ForRestores), or use the AWS Backup default service role; check SCPs and resource policies.',
    patterns: [/access denied|accessdenied|not authorized|insufficient privileges|unauthorized|permission/i],
    messageCategories: ['ACCESSDENIED'],
    source: 'troubleshooting.html; eventbridge.html (copy FAILED sample)',
  },
  {
    category: 'aborted-by-user',
    retryable: false,
    cause: 'A person or automation stopped the job.',
    remedy: 'No action unless the stop was a mistake: then start an on-demand backup.',
    patterns: [/stopped by (the )?user|aborted by|stopped by/i],
    source: 'eventbridge.html (ABORTED sample)',
  },
  {
    category: 'throttling',
    retryable: true,
    cause: 'AWS throttled a call the job needed.',
    remedy: 'Nothing to fix for one occurrence; if it recurs, spread backup windows so fewer jobs start at once.',
    patterns: [/rate exceeded|throttl|RequestLimitExceeded|too many requests/i],
    source: 'API common errors',
  },
  {
    category: 'internal-error',
    retryable: true,
    cause: 'AWS Backup or the resource service had an internal error.',
    remedy: 'Retry; if it persists for the same resource, open an AWS Support case with the job id.',
    patterns: [/internal (server )?(error|failure)|InternalFailure|service (is )?unavailable|try again later/i],
    source: 'troubleshooting.html',
  },
  {
    category: 'invalid-parameter',
    retryable: false,
    cause: 'The job was started with a parameter AWS Backup rejected.',
    remedy: 'Check the plan rule or copy rule settings named in the status message (windows, lifecycle, options).',
    patterns: [/invalid parameter|InvalidParameterValue|validation/i],
    messageCategories: ['INVALIDPARAMETERS', 'INVALIDPARAMETER'],
    source: 'API common errors; ListBackupJobs ByMessageCategory',
  },
];

/** The answer for a message nothing in the table matches: not retried, text kept. */
export const UNKNOWN_ROW: DiagnosisRow = {
  category: 'unknown',
  retryable: false,
  cause: 'AWS Backup reported a reason this toolkit does not recognise.',
  remedy: 'Read the status message and open the job in the AWS Backup console; retry by hand once the cause is fixed.',
  source: 'backup-autopilot',
};
