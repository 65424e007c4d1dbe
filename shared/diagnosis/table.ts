import type { DiagnosedKind, DiagnosisCategory } from './categories.js';

/** One row of the diagnosis table: a cause, how to recognise it, and what a person should do. */
export interface DiagnosisRow {
  readonly category: DiagnosisCategory;
  /** Whether a later retry can succeed without a person changing anything. */
  readonly retryable: boolean;
  /** One line: what went wrong. */
  readonly cause: string;
  /** Steps a person can follow: console page, policy, API or CLI command. */
  readonly remedy: string;
  /**
   * AWS MessageCategory values meaning this row, compared upper-case without `_`, `-` or spaces
   * (AWS writes both `AccessDenied` and `ACCESS_DENIED`). Within one MessageCategory, the row whose
   * pattern matches the message wins; the last row of that MessageCategory is its generic answer.
   */
  readonly messageCategories?: readonly string[];
  /** Patterns over the normalised status message (see normalizeStatusMessage). */
  readonly patterns?: readonly RegExp[];
  /** Job kinds the row applies to; absent = every kind. */
  readonly kinds?: readonly DiagnosedKind[];
  /** AWS Backup resource types the row applies to, checked only when the job names one; absent = all. */
  readonly resourceTypes?: readonly string[];
  /**
   * Where the row comes from: the page that published the message (verbatim examples), or the page
   * that documents the condition when AWS publishes no wording for it (then the examples are ours).
   */
  readonly source: string;
  /** Status messages this row classifies, as AWS (or the source) writes them; each is asserted in tests. */
  readonly examples: readonly string[];
}

const ACCESS_DENIED = 'ACCESSDENIED';
const INVALID_PARAMETERS = 'INVALIDPARAMETERS';

/**
 * Why AWS Backup backup and copy jobs fail, most specific first. MessageCategory values are those
 * AWS documents for ListBackupJobs ByMessageCategory ("AccessDenied, SUCCESS, AGGREGATE_ALL, and
 * InvalidParameters"; API_ListBackupJobs); AWS publishes no complete list, so an unlisted
 * MessageCategory falls back to the message text. Messages are from AWS's EventBridge samples
 * (eventbridge.html), AWS re:Post Knowledge Center articles, and, where AWS publishes no wording,
 * messages users reported from their jobs (named in `source`).
 */
export const DIAGNOSIS_TABLE: readonly DiagnosisRow[] = [
  {
    category: 'kms-key-disabled',
    retryable: false,
    cause: 'The KMS key that encrypts the resource, the recovery point or the vault is disabled or pending deletion.',
    remedy:
      'KMS console > Customer managed keys > the key named in the message > Key actions > Enable (or Cancel key deletion); aws kms enable-key --key-id <key>. Then run the job again.',
    messageCategories: [ACCESS_DENIED],
    patterns: [
      /\bkms\b.*\b(is disabled|disabled|pending deletion|pendingdeletion)\b/i,
      /\bDisabledException\b|\bKMSInvalidStateException\b|\bKMSKeyDisabled/i,
      /\bkey <arn> is (disabled|pending deletion)\b/i,
    ],
    source:
      'KMS DisabledException wording ("<key arn> is disabled.", quoted in hashicorp/terraform#5688); condition: encryption.html',
    examples: [
      'DisabledException: arn:aws:kms:us-west-2:111122223333:key/c98e0539-7d2a-4bdf-9380-0a5258a69b44 is disabled.',
      'The KMS key arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab is disabled.',
    ],
  },
  {
    category: 'default-key-cross-account',
    retryable: false,
    cause:
      'The recovery point is encrypted with an AWS managed key (aws/backup, aws/ebs, aws/rds), which cannot be shared with another account.',
    remedy:
      'Back up into a vault encrypted with a customer managed KMS key whose key policy allows the destination account (kms:Decrypt, kms:DescribeKey, kms:CreateGrant), or encrypt the resource itself with one, then copy that recovery point.',
    messageCategories: [ACCESS_DENIED],
    kinds: ['copy'],
    patterns: [/\bdefault (cmk|kms key|key)\b/i, /\baws managed (kms )?key\b/i, /\baws\/(backup|ebs|rds)\b/i],
    source:
      'create-cross-account-backup.html (AWS managed keys cannot be shared); message reported in aws-samples/aws-backup-automation#2',
    examples: [
      'AMI snapshot copy failed with error: Given key ID is not accessible. You must have DescribeKey permissions on the default CMK',
    ],
  },
  {
    category: 'kms-service-linked-role',
    retryable: false,
    cause:
      "A KMS key policy does not let AWS Backup's service-linked role (AWSServiceRoleForBackup) use the key; restoring or copying a backup made in another account needs it on the key of either side.",
    remedy:
      'In the account that owns the key named in the message: KMS console > the key > Key policy > Edit; allow arn:aws:iam::<account>:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup kms:Decrypt, kms:DescribeKey, kms:CreateGrant and kms:GenerateDataKey* (for a restore in the destination account, the source key must allow that account too).',
    messageCategories: [ACCESS_DENIED],
    patterns: [
      /AWSServiceRoleForBackup\b.*\bkms\b|\bkms\b.*AWSServiceRoleForBackup\b|\bservice[- ]linked role\b.*\b(kms|key)\b/i,
    ],
    source:
      'restoring-cross-account (restore of a cross-account copy uses the service-linked role); encryption.html (condition; AWS publishes no wording: example is ours)',
    examples: [
      'The AWS Backup service-linked role AWSServiceRoleForBackup is not authorized to use the KMS key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
  },
  {
    category: 'kms-key-not-shared',
    retryable: false,
    cause:
      'The KMS key of the source recovery point is not usable by the copy (not shared with the destination account, or its key policy does not allow the role).',
    remedy:
      "In the key's account, add the destination account and the backup role to the key policy (kms:Decrypt, kms:DescribeKey, kms:CreateGrant, kms:GenerateDataKey*): KMS console > the key > Key policy > Edit; check the key is enabled and in the source Region.",
    messageCategories: [ACCESS_DENIED],
    patterns: [
      /KMSKeyNotAccessible/i,
      /\bkms key\b.*\b(does not exist|not enabled|not accessible|do not have permissions?|not authorized|access denied)/i,
      /\bkey id is not accessible\b/i,
      /\b(not authorized|access denied|no access|do not have permissions?)\b.*\bkms\b/i,
    ],
    source:
      'RDS KMSKeyNotAccessibleFault wording (awslabs/aurora-snapshot-tool#29); repost.aws knowledge-center backup-troubleshoot-cross-account-copy (key policy must allow the destination account)',
    examples: [
      'The source snapshot KMS key [arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab] does not exist, is not enabled or you do not have permissions to access it.',
    ],
  },
  {
    category: 'cross-account-copy-disabled',
    retryable: false,
    cause: 'Cross-account backup is not turned on for the organization.',
    remedy:
      'In the management account: AWS Backup console > Settings > Cross-account management > Cross-account backup > Turn on (aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true).',
    messageCategories: [ACCESS_DENIED],
    kinds: ['copy'],
    patterns: [/\bcross[- ]account (backup|copy|copies|management)? ?(is |are )?(not enabled|disabled|turned off)\b/i],
    source: 'create-cross-account-backup.html (condition; AWS publishes no wording: example is ours)',
    examples: ['Cross-account backup is not enabled for this organization.'],
  },
  {
    category: 'not-same-organization',
    retryable: false,
    cause: 'The source and destination accounts are not in the same AWS Organization.',
    remedy:
      "Copy only between accounts of one organization: move one account into the other's organization (AWS Organizations console > AWS accounts), or change the copy rule's destination vault.",
    messageCategories: [ACCESS_DENIED],
    kinds: ['copy'],
    patterns: [
      /\bmember of the same organi[sz]ation\b/i,
      /\bnot (part of|in|a member of) the same (aws )?organi[sz]ation\b/i,
    ],
    source: 'repost.aws knowledge-center backup-troubleshoot-cross-account-copy (verbatim)',
    examples: ['Copy job failed. Both source and destination account must be a member of the same organization.'],
  },
  {
    category: 'tag-policy',
    retryable: false,
    cause:
      'An AWS Organizations tag policy rejects the tags the copy or restore carries (a non-compliant key or value on the recovery point, enforced for the backup resource type).',
    remedy:
      "In the management account: AWS Organizations > Policies > Tag policies > the policy attached to the destination account: allow the recovery point's tag keys and values (or stop enforcing it for backup:recoveryPoint); or change the tags the backup plan copies.",
    patterns: [/\btag polic(y|ies)\b/i, /\bTagPolicyViolation\b/i, /\btags?\b.*\b(non-?compliant|not compliant)\b/i],
    source:
      'repost.aws knowledge-center backup-troubleshoot-cross-account-copy (check the organization tag policy: condition; AWS publishes no wording: example is ours)',
    examples: ['The tags on the recovery point are not compliant with the tag policy of the destination account.'],
  },
  {
    category: 'vault-lock-retention',
    retryable: false,
    cause:
      "The recovery point's retention is outside the MinRetentionDays..MaxRetentionDays range of the destination vault's Vault Lock.",
    remedy:
      "Read the range (aws backup describe-backup-vault --backup-vault-name <vault>: MinRetentionDays, MaxRetentionDays) and set the plan rule's or copy rule's DeleteAfterDays inside it.",
    messageCategories: [INVALID_PARAMETERS],
    patterns: [
      /\b(retention|lifecycle|DeleteAfterDays)\b.*\b(vault lock|locked vault|min(imum)? ?retention|max(imum)? ?retention)/i,
      /\bvault lock\b/i,
    ],
    source:
      'vault-lock.html, API_PutBackupVaultLockConfiguration (condition; AWS publishes no wording: example is ours)',
    examples: ['The retention period is not within the allowed range of the vault lock on the destination vault.'],
  },
  {
    category: 'vault-access-policy',
    retryable: false,
    cause: "The destination vault's access policy does not allow the source account to copy into it.",
    remedy:
      'In the destination account: AWS Backup console > Backup vaults > the vault > Access policy > Edit; allow backup:CopyIntoBackupVault for the source account (or aws:PrincipalOrgID of the organization).',
    messageCategories: [ACCESS_DENIED],
    kinds: ['copy'],
    patterns: [
      /CopyIntoBackupVault/i,
      /\bvault access policy\b/i,
      // repost.aws knowledge-center backup-resolve-access-denied-error: the destination vault's
      // access policy does not allow the source account (verbatim wording).
      /\baccess denied trying to call aws backup service\b/i,
      /\baccess denied\b.*\b(destination|target) (backup )?vault\b/i,
    ],
    source:
      'repost.aws knowledge-center backup-troubleshoot-cross-account-copy (destination vault access policy); repost.aws knowledge-center backup-resolve-access-denied-error (verbatim); IAM AccessDenied wording',
    examples: [
      'Access Denied trying to call AWS Backup service',
      'User: arn:aws:sts::111122223333:assumed-role/AWSBackupDefaultServiceRole/AWSBackup-AWSBackupDefaultServiceRole is not authorized to perform: backup:CopyIntoBackupVault on resource: arn:aws:backup:us-east-1:444455556666:backup-vault:central',
    ],
  },
  {
    category: 'vault-not-found',
    retryable: false,
    cause: 'The backup vault does not exist (deleted, misspelt, or in another Region or account).',
    remedy:
      'Create the vault (aws backup create-backup-vault --backup-vault-name <name>), or point the plan rule or copy rule at an existing one (aws backup list-backup-vaults).',
    messageCategories: [ACCESS_DENIED],
    patterns: [/\bvault (<arn> )?(does not exist|not found)\b/i, /\bvault\b.*\bdoes not exist\b/i],
    source:
      'eventbridge.html (FAILED backup job sample, verbatim); the second example is the wording issue 10 quotes, not found in stored AWS pages',
    examples: [
      '"Backup job failed because backup vault arn:aws:backup:us-west-2:1112233445566:backup-vault:9ab3e749-82c6-4342-9320-5edbf4918b86 does not exist."',
      'Access denied, either the vault does not exist or you do not have access to it.',
    ],
  },
  {
    category: 'restore-instance-profile',
    retryable: false,
    cause:
      'The restore asked for an EC2 instance profile that does not exist, or a different one from the backed-up instance, which AWS Backup does not attach.',
    remedy:
      "Restore with the backed-up instance profile (AWS Backup console > the recovery point > Restore > Instance IAM role: Restore with original IAM role) or with none (Proceed with no IAM role), and attach a profile afterwards; for restore testing, fix the plan's IamInstanceProfileName override. Check the profile exists: aws iam get-instance-profile --instance-profile-name <name>.",
    patterns: [/\binstance profile\b/i, /\biamInstanceProfile\b/i],
    source:
      'eventbridge.html (FAILED restore job sample, verbatim); EC2 RunInstances InvalidParameterValue wording (CiscoDevNet/cloud-cml#4)',
    examples: [
      'AWS Backup does not permit attaching a new instance profile to an EC2 instance. Please restore using the backed up instance profile.',
      'InvalidParameterValue: Value (s3-access-for-ec2) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
    ],
  },
  {
    category: 'restore-role-denied',
    retryable: false,
    cause:
      "The role the restore ran as is not allowed an action the restore needs, most often iam:PassRole for the instance's IAM role.",
    remedy:
      'Decode the message (aws sts decode-authorization-message --encoded-message <message>) to see the action and resource; then grant the restore role that action (for iam:PassRole: the role named in the decoded message), or restore with no instance IAM role and attach it afterwards.',
    messageCategories: [ACCESS_DENIED],
    kinds: ['restore'],
    patterns: [
      /\bnot authorized to perform this operation\b.*\bAWS Backup role/i,
      /\bencoded authorization failure\b/i,
    ],
    source: 'repost.aws knowledge-center aws-backup-encoded-authorization-failure (verbatim)',
    examples: [
      'You are not authorized to perform this operation. Please consult the permissions associated with your AWS Backup role(s), and refer to the AWS Backup documentation for more details.',
    ],
  },
  {
    category: 'restore-network-gone',
    retryable: false,
    cause:
      'The subnet or security group the restore names no longer exists (or is in another VPC), so the resource cannot be created there.',
    remedy:
      "Restore into an existing subnet and security group of the target VPC (aws ec2 describe-subnets, aws ec2 describe-security-groups); for restore testing, update the plan's restore metadata overrides (SubnetId, SecurityGroupIds, DBSubnetGroupName).",
    patterns: [
      /\bInvalid(Group|SubnetID|Subnet|VpcID)\.NotFound\b/i,
      /\b(security group|subnet|db subnet group|vpc)\b.*\b(does not exist|not found)\b/i,
    ],
    source:
      'EC2 InvalidGroup.NotFound wording (aws/aws-sdk-java#202, getmoto/moto#5484); restore-testing-inferred-metadata.html (condition)',
    examples: ["InvalidGroup.NotFound, AWS Error Message: The security group 'sg-########' does not exist"],
  },
  {
    category: 'restore-name-exists',
    retryable: false,
    cause:
      'A resource with the name the job asked for already exists (for a restore: the table, DB instance, cluster or file system it was to create).',
    remedy:
      'Restore under a new name (DynamoDB targetTableName, RDS DBInstanceIdentifier, DBClusterIdentifier), or delete or rename the existing resource first; restore testing generates names, so a clash there means a previous test resource was not cleaned up.',
    patterns: [/\balready exists\b/i, /\bpreexisting\b/i, /AlreadyExists(Fault|Exception)?\b/],
    source: 'DynamoDB ResourceInUseException wording (markitx/dynamo-backup-to-s3#82, cds-snc/sre-bot#284)',
    examples: ['ResourceInUseException: Table already exists: <my-table>'],
  },
  {
    category: 'iam-role-invalid',
    retryable: false,
    cause: 'AWS Backup cannot assume or pass the IAM role given for the job.',
    remedy:
      "Check the role named in the plan's resource assignment exists and its trust policy allows backup.amazonaws.com sts:AssumeRole (IAM console > Roles > the role > Trust relationships); or assign the AWS Backup default service role.",
    messageCategories: [ACCESS_DENIED],
    patterns: [
      /\b(unable|failed|cannot|could not) (to )?assume (the )?(iam )?role\b/i,
      /\b(iam )?role\b.*\b(does not exist|is invalid)\b/i,
      /\binvalid (iam )?role\b/i,
      /iam:PassRole/i,
    ],
    source: 'iam-service-roles.html, troubleshooting.html (condition; AWS publishes no wording: examples are ours)',
    examples: ['Unable to assume role arn:aws:iam::111122223333:role/BackupRole'],
  },
  {
    category: 'marketplace-ami',
    retryable: false,
    cause: 'The instance was launched from an AWS Marketplace AMI whose product code does not allow this copy.',
    remedy:
      'Exclude the instance from cross-account copy rules (or from the plan), or protect its data another way: back up its EBS volumes as EBS resources.',
    resourceTypes: ['EC2'],
    patterns: [/\bmarketplace\b/i, /\bproduct codes?\b/i],
    source: 'recov-point-create-a-copy.html, create-cross-account-backup.html (condition; examples are ours)',
    examples: ['Copying AMIs with AWS Marketplace product codes is not supported'],
  },
  {
    category: 'too-many-copy-jobs',
    retryable: true,
    cause: 'Too many copy jobs were in progress for this resource or account.',
    remedy:
      'Nothing to fix for one occurrence: the copy is retried once running copies finish. If it recurs, stagger copy rules or request a higher quota (Service Quotas console > AWS Backup).',
    kinds: ['copy'],
    patterns: [
      /\btoo many (concurrent |in[- ]progress )?copy jobs\b/i,
      /\b(maximum|limit) (number )?of (concurrent )?copy jobs\b/i,
      /\bcopy job limit\b/i,
    ],
    source: 'recov-point-create-a-copy.html, backup-limits.html (condition; examples are ours)',
    examples: ['Too many copy jobs are in progress for this resource.'],
  },
  {
    category: 'concurrency-limit',
    retryable: true,
    cause:
      'A limit on how many operations may be in progress at once was reached (snapshot copies in flight to a Region, concurrent snapshots of a volume); it clears as running ones finish.',
    remedy:
      'Nothing to fix for one occurrence: a later retry succeeds once running copies or snapshots finish. If it recurs, stagger the rules and copy actions that start together (different start times or Regions per plan), or ask for a higher concurrency quota (Service Quotas console > AWS Backup, Amazon EC2 or Amazon RDS). Deleting snapshots does not help: this limit counts what is running, not what exists.',
    patterns: [
      /\btoo many\b.*\bin[- ]progress\b/i,
      /\bcannot copy more than \d+ snapshots\b/i,
      /\bconcurrent (snapshot )?(snapshots?|copies|copy|copy jobs|backups?|operations)\b/i,
      /\bConcurrentSnapshotLimitExceeded\b/i,
      /\bmaximum (allowed )?(number of )?in[- ]progress\b/i,
    ],
    source:
      'EC2 CopySnapshot ResourceLimitExceeded wording (aws-samples/copy-encrypted-ami#3); RDS CopyDBSnapshot wording (pbudzon/aws-maintenance#19); aws-backup-limits.html (concurrent copies per destination Region)',
    examples: [
      'Too many snapshot copies in progress. The limit is 5 for this destination region.',
      'An error occurred (SnapshotQuotaExceeded) when calling the CopyDBSnapshot operation: Cannot copy more than 5 snapshots across regions: SnapshotQuotaExceededFault',
    ],
  },
  {
    category: 'job-already-running',
    retryable: true,
    cause: 'Another backup or copy job was running for the same resource; AWS Backup runs one at a time.',
    remedy:
      'Nothing to fix for one occurrence: retry after the running job ends. If it recurs, two plans or rules target the resource at overlapping times: space their backup windows (Backup plans > the plan > rule > Backup window).',
    patterns: [
      /\brunning job for the same resource\b/i,
      /\b(job|backup) (is )?already (in progress|running)\b/i,
      /\banother (backup |copy )?job\b.*\b(in progress|running)\b/i,
    ],
    source: 'eventbridge.html (EXPIRED and FAILED backup job samples, verbatim); recov-point-create-a-copy.html',
    examples: ['"Backup job failed because there was a running job for the same resource."'],
  },
  {
    category: 'backup-window-collision',
    retryable: true,
    cause:
      "The backup collided with the database's own automated backup window: RDS does not take a snapshot inside it or too close to it.",
    remedy:
      "A later retry succeeds once the window has passed. Move the plan rule's start time (Backup plans > the plan > rule > Backup window) at least an hour away from the instance's or cluster's PreferredBackupWindow (RDS console > the database > Maintenance & backups), or let AWS Backup manage the automated backups with a continuous backup rule.",
    patterns: [
      /\b(inside|within|too close to|overlaps? with)\b.*\bautomated backup window\b/i,
      /\bautomated backup window\b.*\b(in progress|running|conflict)/i,
    ],
    source:
      'AWS Backup status message quoted in a Chinese AWS Backup FAQ on GitHub (its repository could not be named; not in the corpus); point-in-time-recovery.html (AWS Backup schedules RDS automated backups)',
    examples: [
      'Backup job could not start because it is either inside or too close to the automated backup window configured in RDS instance',
    ],
  },
  {
    category: 'maintenance-window',
    retryable: true,
    cause:
      'The resource was in its own maintenance window or under maintenance, which AWS Backup cannot back up through.',
    remedy:
      "A later retry succeeds after the maintenance. Move the plan's backup window away from the resource's maintenance window (RDS console > the database > Maintenance & backups; FSx and DocumentDB: the file system's or cluster's weekly maintenance window).",
    // Narrow on purpose: a bare "maintenance" also matches parameter errors such as "The backup
    // window and maintenance window must not overlap.", which a retry never fixes.
    patterns: [
      /\b(in|inside|during|within) (a|the|its) (scheduled |weekly )?maintenance window\b/i,
      /\b(undergoing|under) maintenance\b/i,
      /\bmaintenance (is )?(in progress|running)\b/i,
    ],
    source: 'troubleshooting.html (RDS and Aurora; condition; example is ours)',
    examples: ['The DB instance is in a maintenance window.'],
  },
  {
    category: 'snapshot-limit',
    retryable: false,
    cause:
      'A quota on how many snapshots, recovery points or vaults may exist was reached; it does not clear by itself.',
    remedy:
      "Delete recovery points or snapshots you no longer need, or shorten retention (the plan rule's DeleteAfterDays) so fewer exist; or request a quota increase (Service Quotas console > Amazon EC2, Amazon RDS or AWS Backup). Then retry.",
    // After concurrency-limit: RDS reports its in-flight copy limit as SnapshotQuotaExceeded too.
    patterns: [
      /\bsnapshots?\b.*\b(limit|quota)\b/i,
      /SnapshotQuotaExceeded|SnapshotLimitExceeded/i,
      /\bmaximum number of (manual )?snapshots\b/i,
      /\bcannot create more than \d+ (manual )?snapshots\b/i,
      /\b(recovery points?|backup vaults?)\b.*\b(limit|quota)\b.*\b(reached|exceeded)\b/i,
    ],
    source:
      'RDS CopyDBClusterSnapshot SnapshotQuotaExceeded wording (pbudzon/aws-maintenance#12); EC2 SnapshotLimitExceeded error code; aws-backup-limits.html (recovery points per vault, vaults per Region)',
    examples: [
      'The maximum number of manual snapshots for this DB instance has been reached (SnapshotQuotaExceeded)',
      'An error occurred (SnapshotQuotaExceeded) when calling the CopyDBClusterSnapshot operation: Cannot create more than 100 manual snapshots',
    ],
  },
  {
    category: 's3-versioning-disabled',
    retryable: false,
    cause: 'S3 Versioning is not enabled on the bucket; AWS Backup needs it to back up S3.',
    remedy:
      'Enable versioning on the bucket (S3 console > the bucket > Properties > Bucket Versioning > Enable; aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled), then set a lifecycle rule to expire old versions.',
    resourceTypes: ['S3'],
    patterns: [/\bversioning is not enabled\b/i, /\bversioning (is )?(disabled|suspended)\b/i],
    source: 's3-backups.html (versioning required); message reported in ministryofjustice/modernisation-platform#11307',
    examples: ['Versioning is not enabled on my-bucket within account 111122223333'],
  },
  {
    category: 'vss-failed',
    retryable: true,
    cause: 'The Windows VSS (application-consistent) snapshot failed on the instance.',
    remedy:
      'On the instance, check the SSM Agent is running and current, the AWS VSS components (AwsVssComponents) are installed, and the instance role has AmazonSSMManagedInstanceCore; the next run usually succeeds.',
    resourceTypes: ['EC2'],
    patterns: [/\bvss\b/i],
    source: 'windows-backups.html (condition); message as reported on AWS re:Post',
    examples: [
      'Windows VSS Backup attempt failed because either Instance or SSM Agent has invalid state or insufficient privileges.',
    ],
  },
  {
    category: 'resource-type-not-opted-in',
    retryable: false,
    cause: 'The resource type is not opted in to AWS Backup in this Region.',
    remedy:
      'AWS Backup console > Settings > Service opt-in > Configure resources: turn the type on in this Region (aws backup update-region-settings --resource-type-opt-in-preference <Type>=true).',
    patterns: [/\bnot opted[- ]in\b/i, /\bopt[- ]in (preference|setting)\b/i],
    source:
      'service-opt-in.html; repost.aws knowledge-center aws-backup-troubleshoot-scheduled-backup-plans (condition; example is ours)',
    examples: ['Resource type Aurora is not opted in for this Region'],
  },
  {
    category: 'resource-not-found',
    retryable: false,
    cause: 'The protected resource no longer exists.',
    remedy:
      'Remove it from the backup plan resource assignment (or let tag-based selection drop it); nothing is left to back up.',
    patterns: [
      /\bresource\b.*\b(not found|does not exist|no longer exists)\b/i,
      /NotFound\b/,
      /\b(instance|volume|db instance|cluster|table|file system|bucket)\b.*\b(does not exist|not found)\b/i,
    ],
    source: 'troubleshooting.html (condition; example is ours)',
    examples: ['The volume vol-0b5ae24f2ee72d926 does not exist'],
  },
  {
    category: 'resource-state',
    retryable: true,
    cause: 'The resource was not in a state that can be backed up (stopped, modifying, creating, or not available).',
    remedy:
      'Retry when the resource is available; if it is stopped or modified on a schedule, move the backup window away from that time.',
    patterns: [
      /\bnot (currently )?in (an? |the )?(available|valid|running|active|in-use) state\b/i,
      /\binvalid (db )?(instance |cluster )?state\b/i,
      /\bis (currently )?(stopped|modifying|creating|stopping|upgrading|being)\b/i,
    ],
    source:
      'troubleshooting.html (condition); RDS InvalidDBInstanceState wording (ministryofjustice/cloud-platform-user-guide#1842)',
    examples: [
      'DB instance is not in available state',
      'InvalidDBInstanceState: Cannot create a snapshot because the database instance cloud-platform-16a74aa5ce79e853-bkp-copy is not currently in the available state.',
    ],
  },
  {
    category: 'unsupported-resource',
    retryable: false,
    cause: 'AWS Backup does not support this operation for this resource type, Region pair or configuration.',
    remedy:
      'Check Feature availability by resource in the AWS Backup Developer Guide; copy cross-Region and cross-account in two hops, or exclude the resource from the plan or copy rule.',
    patterns: [/\bnot supported\b|\bunsupported\b|\bdoes not support\b|\bdoes not permit\b/i],
    source:
      'repost.aws knowledge-center backup-troubleshoot-cross-account-copy (verbatim); RDS InvalidDBInstanceState wording (cloud-custodian/cloud-custodian#178)',
    examples: [
      'Copy job from us-west-2 to us-east-1 cannot be initiated for RDS resources. Feature is not supported for provided resource type.',
      'An error occurred (InvalidDBInstanceState) when calling the ModifyDBInstance operation: DB Backups not supported on a read replica for engine postgres',
    ],
  },
  {
    category: 'lifecycle-invalid',
    retryable: false,
    cause: 'The lifecycle is invalid: DeleteAfterDays must be at least 90 days more than MoveToColdStorageAfterDays.',
    remedy:
      "Fix the plan rule's or copy rule's lifecycle so the recovery point is deleted at least 90 days after it moves to cold storage.",
    messageCategories: [INVALID_PARAMETERS],
    patterns: [/\blifecycle\b/i, /DeleteAfterDays|MoveToColdStorageAfterDays/i],
    source: 'API_Lifecycle, API_CopyAction (condition; example is ours)',
    examples: ['Invalid lifecycle: DeleteAfterDays must be 90 days greater than MoveToColdStorageAfterDays'],
  },
  {
    category: 'access-denied',
    retryable: false,
    cause: 'The backup role is not allowed to read the resource or its tags, or to write to the vault.',
    remedy:
      "Give the role the permissions of AWSBackupServiceRolePolicyForBackup (for S3 also AWSBackupServiceRolePolicyForS3Backup): IAM console > Roles > the role in the plan's resource assignment > Add permissions; or use the AWS Backup default service role. Check SCPs, the vault access policy and the resource's own policy.",
    messageCategories: [ACCESS_DENIED],
    patterns: [
      /\baccess ?denied\b|\bnot authorized\b|\binsufficient privileges\b|\bunauthorized\b/i,
      /\bdoes not have permissions? to\b|\breview your iam polic/i,
    ],
    source:
      'eventbridge.html (FAILED copy job sample, verbatim); repost.aws knowledge-center backup-insufficient-privileges-efs (verbatim); S3 message as shown by the console (dev.classmethod.jp aws-backup-s3)',
    examples: [
      'Access denied exception while trying to list tags',
      'Insufficient privileges to perform this action.',
      'Your backup job failed as AWS Backup does not have permission to describe resource arn:aws:s3:::my-bucket. Please review your IAM policies to ensure AWS Backup can protect your resources.',
    ],
  },
  {
    category: 'aborted-by-user',
    retryable: false,
    cause: 'A person or automation stopped the job (StopBackupJob).',
    remedy:
      'No action unless the stop was a mistake: then start an on-demand backup (AWS Backup console > Protected resources > the resource > Create on-demand backup).',
    patterns: [/\bstopped by (the )?user\b|\baborted by\b|\bstopped by\b/i],
    source: 'eventbridge.html (ABORTED backup job sample, verbatim)',
    examples: ['"Backup job was stopped by user."'],
  },
  {
    category: 'throttling',
    retryable: true,
    cause: 'AWS throttled a call the job needed.',
    remedy:
      'Nothing to fix for one occurrence; if it recurs, spread backup windows so fewer jobs start in the same minute.',
    patterns: [
      /\brate exceeded\b|\bthrottl|\bRequestLimitExceeded\b|\btoo many requests\b/i,
      /RateExceeded\b|\brate has been exceeded\b/i,
    ],
    source:
      'eventbridge.html (FAILED backup job sample, verbatim); EC2 SnapshotCreationPerVolumeRateExceeded wording (vmware-tanzu/velero#4969)',
    examples: [
      '"Rate exceeded"',
      'SnapshotCreationPerVolumeRateExceeded: The maximum per volume CreateSnapshot request rate has been exceeded. Use an increasing or variable sleep interval between requests.',
    ],
  },
  {
    category: 'internal-error',
    retryable: true,
    cause: 'AWS Backup or the service of the resource had an internal error.',
    remedy:
      'Retry; if it fails again for the same resource, check the AWS Health Dashboard and open an AWS Support case with the job id.',
    patterns: [
      /\binternal (server )?(error|failure)\b|\bInternalFailure\b|\bservice (is )?unavailable\b|\btry again later\b/i,
    ],
    source: 'eventbridge.html (FAILED backup job sample, verbatim)',
    examples: ['"An internal error occurred. Please try again later."'],
  },
  {
    category: 'invalid-parameter',
    retryable: false,
    cause: 'The job was started with a parameter AWS Backup rejected.',
    remedy:
      'Check the plan rule or copy rule settings named in the message (start and completion windows, lifecycle, backup options) and fix them in the plan.',
    messageCategories: [INVALID_PARAMETERS],
    patterns: [/\binvalid parameter|InvalidParameter(Value|Combination)|\bvalidation (error|exception)\b/i],
    source: 'API_ListBackupJobs (MessageCategory InvalidParameters); example is ours',
    examples: ['Invalid parameter value for StartWindowMinutes'],
  },
];

/** Answers by job state when neither MessageCategory nor the message matched a row. */
export const STATE_ROWS: Readonly<Partial<Record<string, DiagnosisRow>>> = {
  EXPIRED: {
    category: 'expired-start-window',
    retryable: true,
    cause:
      'The job did not start within its start window; AWS Backup had already retried it at least every 10 minutes for the whole window.',
    remedy:
      "A later retry can work, but not at once: usually the resource was busy. Widen the rule's StartWindowMinutes (Backup plans > the plan > rule > Start within), or move the window away from other jobs on the resource.",
    source: 'API_BackupRule, API_StartBackupJob (StartWindowMinutes)',
    examples: [],
  },
  ABORTED: {
    category: 'aborted-by-user',
    retryable: false,
    cause: 'The job was stopped before it finished.',
    remedy:
      'No action unless the stop was a mistake: then start an on-demand backup (AWS Backup console > Protected resources > the resource > Create on-demand backup).',
    source: 'API_StopBackupJob',
    examples: [],
  },
  PARTIAL: {
    category: 'partial',
    retryable: false,
    cause: 'Only part of the job succeeded: some child jobs or items failed.',
    remedy:
      'AWS Backup console > Jobs > the job > its child jobs: fix the failed ones (each has its own message), then start the parent job again.',
    source: 'API_ListBackupJobs (ByState PARTIAL)',
    examples: [],
  },
};

/** The answer for a reason nothing in the table matches: not retried, AWS's text kept. */
export const UNKNOWN_ROW: DiagnosisRow = {
  category: 'unknown',
  retryable: false,
  cause: 'AWS Backup reported a reason this toolkit does not recognise.',
  remedy:
    'Read the status message and open the job in the AWS Backup console (Jobs); fix the cause, then retry by hand.',
  source: 'backup-autopilot',
  examples: [],
};
