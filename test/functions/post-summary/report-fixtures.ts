import type { AccountLine } from '../../../functions/post-summary/accounts.js';
import {
  type MissingPart,
  type ProblemJob,
  type SilentMiss,
  SUMMARY_SCHEMA_VERSION,
  type SummaryReport,
  type UncopiedRecoveryPoint,
} from '../../../functions/post-summary/report.js';

/** SummaryReport fixtures for renderer, delivery and handler tests (what aggregation would produce). */

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
const SINCE = '2026-11-23T08:00:00.000Z';
const UNTIL = '2026-11-24T08:00:00.000Z';

const none = { total: 0, byState: {} } as const;

const trend = (failedPerDay: readonly number[]): SummaryReport['trend'] => ({
  days: failedPerDay.map((failed, i) => ({
    date: `2026-11-${String(10 + i).padStart(2, '0')}`,
    byState: (failed > 0 ? { COMPLETED: 40, FAILED: failed } : { COMPLETED: 40 }) as Record<string, number>,
  })),
  freshness:
    'AWS Backup job summaries (a daily aggregate) up to 00:00 UTC 2026-11-24; jobs since then are not included',
  scope: 'account',
});

/** 42 backups, 10 copies, 2 restores, all completed; every recovery point copied. */
export const allGreenReport = (overrides: Partial<SummaryReport> = {}): SummaryReport => ({
  schemaVersion: SUMMARY_SCHEMA_VERSION,
  generatedAt: '2026-11-24T08:00:05.000Z',
  window: { since: SINCE, until: UNTIL, hours: 24 },
  scope: { kind: 'account', accountId: ACCOUNT, regions: [REGION] },
  complete: true,
  missing: [],
  backup: {
    total: 42,
    byState: { COMPLETED: 42 },
    bytes: 3 * 1024 ** 3,
    scope: 'account',
    completedWithIssues: 0,
    byResourceType: { EBS: { total: 30, byState: { COMPLETED: 30 } }, RDS: { total: 12, byState: { COMPLETED: 12 } } },
    byVault: { Default: { total: 42, byState: { COMPLETED: 42 } } },
    byAccount: { [ACCOUNT]: { total: 42, byState: { COMPLETED: 42 } } },
    byMessageCategory: { SUCCESS: 42 },
  },
  copy: { total: 10, byState: { COMPLETED: 10 }, bytes: 1024 ** 3, scope: 'account' },
  restore: { total: 2, byState: { COMPLETED: 2 }, bytes: 5 * 1024 ** 2, scope: 'account' },
  failureReasons: [],
  problemJobs: { items: [], more: 0 },
  copyCoverage: { recoveryPoints: 10, copied: 10, ratio: 1, uncopied: { items: [], more: 0 } },
  silentMisses: { items: [], more: 0 },
  toolkit: {
    retries: { scheduled: 0, started: 0, succeeded: 0, failed: 0, exhausted: 0, alerted: 0 },
    copies: { started: 10, failedToStart: 0 },
  },
  previous: {
    since: '2026-11-22T08:00:00.000Z',
    until: SINCE,
    backup: { total: 42, byState: { COMPLETED: 42 } },
    copy: { total: 10, byState: { COMPLETED: 10 } },
    restore: none,
  },
  trend: trend([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  ...overrides,
});

const link = (kind: string, id: string): string =>
  `https://${REGION}.console.aws.amazon.com/backup/home?region=${REGION}#/jobs/${kind}/details/${id}`;

/** A failed backup job as aggregation lists it. */
export const aProblemJob = (n: number, overrides: Partial<ProblemJob> = {}): ProblemJob => ({
  kind: 'backup',
  jobId: `b-${String(n).padStart(4, '0')}`,
  state: 'FAILED',
  accountId: ACCOUNT,
  region: REGION,
  resourceArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-${String(n).padStart(17, '0')}`,
  resourceType: 'EBS',
  vault: 'Default',
  statusMessage: 'Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234',
  category: 'access-denied',
  createdAt: '2026-11-24T02:00:00.000Z',
  link: link('backup', `b-${String(n).padStart(4, '0')}`),
  ...overrides,
});

/** A resource that was backed up the day before and not at all in the window. */
export const aSilentMiss = (n: number): SilentMiss => ({
  resourceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-${n}`,
  resourceType: 'RDS',
  accountId: ACCOUNT,
  region: REGION,
  vault: 'Default',
  lastBackupAt: '2026-11-23T02:00:00.000Z',
  link: `https://${REGION}.console.aws.amazon.com/backup/home?region=${REGION}#/resources/${n}`,
});

/** A recovery point completed in the window without a completed copy. */
export const anUncopiedPoint = (n: number): UncopiedRecoveryPoint => ({
  recoveryPointArn: `arn:aws:ec2:${REGION}::snapshot/snap-${String(n).padStart(17, '0')}`,
  resourceArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-${String(n + 100).padStart(17, '0')}`,
  resourceType: 'EBS',
  vault: 'Default',
  accountId: ACCOUNT,
  region: REGION,
});

/** What an account that does not copy reports: no copy jobs, so none of its recovery points has a copy. */
export const NO_COPIES: Pick<SummaryReport, 'copy' | 'copyCoverage'> = {
  copy: { total: 0, byState: {}, bytes: 0, scope: 'account' },
  copyCoverage: { recoveryPoints: 10, copied: 0, ratio: 0, uncopied: { items: [], more: 0 } },
};

/** 6 failed, 2 expired, 1 aborted backups, 1 failed copy, 3 with issues, 2 silent misses, 80% copied. */
export const badDayReport = (overrides: Partial<SummaryReport> = {}): SummaryReport =>
  allGreenReport({
    backup: {
      total: 50,
      byState: { COMPLETED: 40, FAILED: 6, EXPIRED: 2, ABORTED: 1, RUNNING: 1 },
      bytes: 2 * 1024 ** 3,
      scope: 'account',
      completedWithIssues: 3,
      byResourceType: {
        EBS: { total: 38, byState: { COMPLETED: 30, FAILED: 6, EXPIRED: 2 } },
        RDS: { total: 12, byState: { COMPLETED: 10, ABORTED: 1, RUNNING: 1 } },
      },
      byVault: { Default: { total: 50, byState: { COMPLETED: 40, FAILED: 6, EXPIRED: 2, ABORTED: 1, RUNNING: 1 } } },
      byAccount: {
        [ACCOUNT]: { total: 50, byState: { COMPLETED: 40, FAILED: 6, EXPIRED: 2, ABORTED: 1, RUNNING: 1 } },
      },
      byMessageCategory: { SUCCESS: 37, ACCESS_DENIED: 6, EXPIRED: 2, ABORTED: 1, AGGREGATE_ALL: 0 },
    },
    copy: { total: 9, byState: { COMPLETED: 8, FAILED: 1 }, bytes: 1024 ** 3, scope: 'account' },
    failureReasons: [
      {
        category: 'access-denied',
        cause: 'The backup role cannot use the KMS key of the resource.',
        remedy: "Allow the backup role kms:Decrypt and kms:CreateGrant in the key's policy, then retry.",
        retryable: false,
        count: 6,
        kinds: ['backup'],
        example: 'Access denied to the KMS key arn:aws:kms:eu-west-1:111122223333:key/1234',
      },
      {
        category: 'window-expired',
        cause: 'The job did not start within its start window.',
        remedy: 'Lengthen the start window or move the plan away from busy hours.',
        retryable: true,
        count: 2,
        kinds: ['backup'],
      },
      {
        category: 'copy-vault-access',
        cause: 'The destination vault refused the copy.',
        remedy: 'Allow backup:CopyIntoBackupVault for this account in the destination vault access policy.',
        retryable: false,
        count: 1,
        kinds: ['copy'],
      },
    ],
    problemJobs: {
      items: [
        ...[1, 2, 3, 4, 5, 6].map((n) => aProblemJob(n)),
        aProblemJob(7, { state: 'EXPIRED', category: 'window-expired', statusMessage: undefined }),
        aProblemJob(8, { state: 'EXPIRED', category: 'window-expired', statusMessage: undefined }),
        aProblemJob(9, {
          state: 'ABORTED',
          resourceType: 'RDS',
          resourceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-9`,
          category: 'aborted',
          statusMessage: 'Aborted by user',
        }),
        aProblemJob(10, {
          kind: 'copy',
          jobId: 'c-0010',
          category: 'copy-vault-access',
          statusMessage: 'Insufficient privileges to perform this action on the destination vault',
          link: link('copy', 'c-0010'),
        }),
      ],
      more: 0,
    },
    copyCoverage: {
      recoveryPoints: 10,
      copied: 8,
      ratio: 0.8,
      uncopied: { items: [anUncopiedPoint(1), anUncopiedPoint(2)], more: 0 },
    },
    silentMisses: { items: [aSilentMiss(1), aSilentMiss(2)], more: 0 },
    toolkit: {
      retries: { scheduled: 1, started: 3, succeeded: 2, failed: 1, exhausted: 1, alerted: 2 },
      copies: { started: 9, failedToStart: 1 },
    },
    trend: trend([0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 9]),
    ...overrides,
  });

/** Copy jobs of one Region could not be listed; nothing failed in what was listed. */
export const incompleteReport = (overrides: Partial<SummaryReport> = {}): SummaryReport =>
  allGreenReport({
    scope: { kind: 'organization', accountId: ACCOUNT, regions: [REGION, 'us-east-1'] },
    complete: false,
    missing: [
      {
        what: 'copy jobs (ListCopyJobs)',
        region: 'us-east-1',
        error: 'User is not authorized to perform: backup:ListCopyJobs (AccessDeniedException)',
      },
    ],
    backup: { ...allGreenReport().backup, scope: 'organization' },
    copy: { total: 4, byState: { COMPLETED: 4 }, bytes: 0, scope: 'account' },
    copyCoverage: { recoveryPoints: 0, copied: 0, ratio: null, uncopied: { items: [], more: 0 } },
    toolkit: undefined,
    previous: undefined,
    trend: undefined,
    ...overrides,
  });

/** The 24 Regions a large deployment summarises (SUMMARY_REGIONS), for reports that grow with Regions. */
export const MANY_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'me-south-1',
  'me-central-1',
  'af-south-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
] as const;

/**
 * The part plan-catalog.ts reports when GetBackupPlan is refused for one plan (its `what` wording),
 * with the AccessDeniedException message AWS writes: one per plan when the role lacks the action.
 */
export const aMissingPlan = (n: number, region: string = REGION): MissingPart => {
  const id = `a1b2c3d4-5678-90ab-cdef-${String(n).padStart(12, '0')}`;
  return {
    what: `backup plan prod-workloads-daily-${n} (${id})`,
    region,
    error: `User: arn:aws:sts::${ACCOUNT}:assumed-role/backup-autopilot-PostSummaryFunctionRole-1A2B3C4D5E6F/backup-autopilot-PostSummary is not authorized to perform: backup:GetBackupPlan on resource: arn:aws:backup:${region}:${ACCOUNT}:backup-plan:${id} because no identity-based policy allows the backup:GetBackupPlan action`,
  };
};

/** GetBackupPlan refused for each of `plans` plans in every one of `regions`: one missing part each. */
export const plansUnreadableReport = (plans: number, regions: readonly string[] = MANY_REGIONS): SummaryReport =>
  incompleteReport({
    scope: { kind: 'organization', accountId: ACCOUNT, regions: [...regions] },
    missing: regions.flatMap((region) => Array.from({ length: plans }, (_, i) => aMissingPlan(i, region))),
  });

/** A report far beyond what any chat message holds: `n` problem jobs, reasons, misses and gaps. */
export const hugeReport = (n: number): SummaryReport =>
  badDayReport({
    failureReasons: Array.from({ length: n }, (_, i) => ({
      category: `category-${i}`,
      cause: `Cause number ${i} `.repeat(10),
      remedy: `Remedy number ${i} `.repeat(20),
      retryable: i % 2 === 0,
      count: n - i,
      kinds: ['backup', 'copy'] as const,
      example: `Example status message ${i} `.repeat(10),
    })),
    problemJobs: {
      items: Array.from({ length: n }, (_, i) => aProblemJob(i, { statusMessage: 'x'.repeat(500) })),
      more: n * 10,
    },
    silentMisses: { items: Array.from({ length: n }, (_, i) => aSilentMiss(i)), more: n },
    copyCoverage: {
      recoveryPoints: n * 2,
      copied: n,
      ratio: 0.5,
      uncopied: { items: Array.from({ length: n }, (_, i) => anUncopiedPoint(i)), more: 0 },
    },
    missing: Array.from({ length: n }, (_, i) => ({ what: `part ${i}`, region: REGION, error: 'e'.repeat(300) })),
    complete: false,
  });

/**
 * An organization-wide day at SUMMARY_MAX_LISTED 200 (the most it takes) across `accounts` accounts:
 * every capped list full (failed jobs with AWS's longer status messages, misses, gaps, account lines),
 * and the per-account breakdown of every account. What the JSON channel publishes as is.
 */
export const largeOrganizationReport = (accounts: number): SummaryReport => {
  const listed = 200;
  const id = (i: number): string => String(300_000_000_000 + i);
  const report = organizationReport();
  return {
    ...report,
    backup: {
      ...report.backup,
      byAccount: Object.fromEntries(
        Array.from({ length: accounts }, (_, i) => [id(i), { total: 40, byState: { COMPLETED: 38, FAILED: 2 } }]),
      ),
    },
    problemJobs: {
      items: Array.from({ length: listed }, (_, i) =>
        aProblemJob(i, {
          accountId: id(i),
          planName: 'org-daily-35-days',
          ruleName: 'daily-0500',
          statusMessage: `Backup job failed because the IAM role arn:aws:iam::${id(i)}:role/service-role/AWSBackupDefaultServiceRole does not have sufficient permissions to perform snapshot operations on the EBS volume, or the key policy of the KMS key that encrypts it does not allow the role kms:CreateGrant.`,
        }),
      ),
      more: accounts * 2 - listed,
    },
    silentMisses: { items: Array.from({ length: listed }, (_, i) => aSilentMiss(i)), more: 40 },
    copyCoverage: {
      recoveryPoints: accounts * 38,
      copied: accounts * 38 - 500,
      ratio: 1 - 500 / (accounts * 38),
      uncopied: { items: Array.from({ length: listed }, (_, i) => anUncopiedPoint(i)), more: 300 },
    },
    accounts: {
      active: accounts,
      withJobs: accounts,
      lines: {
        items: Array.from({ length: listed }, (_, i) =>
          anAccountLine(id(i), {
            name: `workload-${i}-production`,
            failed: 2,
            completed: 38,
            regions: MANY_REGIONS.slice(0, 4),
          }),
        ),
        more: accounts - listed,
      },
      withoutJobs: { items: [], more: 0 },
      wentSilent: 0,
    },
  };
};

/** An account line of an organization summary; override any field. */
export const anAccountLine = (accountId: string, overrides: Partial<AccountLine> = {}): AccountLine => ({
  accountId,
  jobs: 40,
  failed: 0,
  silentMisses: 0,
  completedWithIssues: 0,
  completed: 40,
  regions: [REGION],
  ...overrides,
});

/**
 * An organization-wide day of 14 accounts in two Regions: one with failures, one with a silent miss,
 * 12 all well; of the 16 ACTIVE accounts, `log-archive` went silent and `sandbox` never had jobs.
 */
export const organizationReport = (overrides: Partial<SummaryReport> = {}): SummaryReport =>
  allGreenReport({
    scope: { kind: 'organization', accountId: ACCOUNT, regions: [REGION, 'us-east-1'] },
    backup: { ...allGreenReport().backup, scope: 'organization' },
    accounts: {
      active: 16,
      withJobs: 14,
      lines: {
        items: [
          anAccountLine('210987654321', { name: 'payments', failed: 3, completed: 37, regions: [REGION, 'us-east-1'] }),
          anAccountLine('444455556666', { silentMisses: 1 }),
          ...Array.from({ length: 12 }, (_, i) => anAccountLine(`5000000000${String(i).padStart(2, '0')}`)),
        ],
        more: 0,
      },
      withoutJobs: {
        items: [
          { accountId: '777788889999', name: 'log-archive', previousJobs: 14 },
          { accountId: '999988887777', name: 'sandbox', previousJobs: 0 },
        ],
        more: 0,
      },
      wentSilent: 1,
    },
    ...overrides,
  });
