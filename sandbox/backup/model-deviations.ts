/**
 * Where the Backup stand-in deliberately checks input differently from AWS's service model, because AWS's
 * own data or documentation disagrees with the model (listed in `model/README.md`). The one table of them:
 * every other constraint comes from the model unchanged.
 */
export interface ModelDeviation {
  /** The shape whose constraint changes, or the structure holding `member`. */
  readonly shape: string;
  /** Set for a change that applies to one member of one structure only. */
  readonly member?: string;
  /** The pattern enforced instead of the model's (Java syntax, like the model); `null` = no pattern. */
  readonly pattern: string | null;
  /** Why, with the AWS source that shows the model is stricter than the service. */
  readonly source: string;
}

export const MODEL_DEVIATIONS: readonly ModelDeviation[] = [
  {
    shape: 'BackupVaultName',
    pattern: '^[a-zA-Z0-9\\-\\_/]{2,50}$',
    source:
      'AWS-managed vault names contain "/": AWS\'s published EXPIRED backup job event names the vault ' +
      '"aws/backup/AutomatedBackupVaultDel2" (events/backup-job.expired.json), which the model pattern forbids.',
  },
  {
    shape: 'ListBackupJobsInput',
    member: 'ByAccountId',
    pattern: '^(\\*|[0-9]{12})$',
    source:
      'API_ListBackupJobs documents ByAccountId "*" (all jobs across the organization, from the management ' +
      "account); the model's AccountId pattern does not allow it.",
  },
  {
    shape: 'ListBackupJobSummariesInput',
    member: 'AccountId',
    pattern: '^(ANY|AGGREGATE_ALL|[0-9]{12})$',
    source:
      "The model's own documentation of ListBackupJobSummaries AccountId: root, admin and delegated administrator " +
      'accounts "can use the value ANY", and AGGREGATE_ALL sums over the organization; its AccountId pattern allows neither.',
  },
  {
    shape: 'ListCopyJobSummariesInput',
    member: 'AccountId',
    pattern: '^(ANY|AGGREGATE_ALL|[0-9]{12})$',
    source:
      "The model's own documentation of ListCopyJobSummaries AccountId: root, admin and delegated administrator " +
      'accounts "can use the value ANY", and AGGREGATE_ALL sums over the organization; its AccountId pattern allows neither.',
  },
  {
    shape: 'ListRestoreJobSummariesInput',
    member: 'AccountId',
    pattern: '^(ANY|AGGREGATE_ALL|[0-9]{12})$',
    source:
      "The model's own documentation of ListRestoreJobSummaries AccountId: root, admin and delegated administrator " +
      'accounts "can use the value ANY", and AGGREGATE_ALL sums over the organization; its AccountId pattern allows neither.',
  },
  {
    shape: 'ResourceType',
    pattern: null,
    source:
      'Documented resource types break the model pattern: "Storage Gateway", "SAP HANA on Amazon EC2" ' +
      '(AWS Backup Developer Guide, "Supported resource types"; API_ListBackupJobs ByResourceType).',
  },
];

/**
 * The pattern to enforce on a member: the deviation for this member of this structure, else the
 * deviation for its target shape, else the model's pattern. undefined = no pattern check.
 */
export const patternFor = (
  container: string,
  member: string,
  target: string,
  modelPattern: string | undefined,
  deviations: readonly ModelDeviation[] = MODEL_DEVIATIONS,
): string | undefined => {
  const own = deviations.find((d) => d.shape === container && d.member === member);
  const shared = own ?? deviations.find((d) => d.shape === target && d.member === undefined);
  if (shared) return shared.pattern ?? undefined;
  return modelPattern;
};
