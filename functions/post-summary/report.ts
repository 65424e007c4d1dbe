import type { ScanTotals } from './scans.js';
/**
 * The summary's data model: what aggregation produces and every renderer (text, Slack, Teams, JSON)
 * consumes. The JSON channel publishes this object as is, so it is a public, versioned schema
 * (`schemas/summary.schema.json`): add optional fields freely; renaming or removing one is a new
 * major `schemaVersion`.
 */

import type { AccountsSummary } from './accounts.js';

/** Version of {@link SummaryReport}'s JSON shape. */
export const SUMMARY_SCHEMA_VERSION = '1.2' as const;

/** Job kinds a summary covers. */
export type JobKind = 'backup' | 'copy' | 'restore';

/** Counts by state (backup/copy states; restore statuses), with the total. Absent states are 0. */
export interface StateCounts {
  readonly total: number;
  readonly byState: Readonly<Record<string, number>>;
}

/** Totals of one job kind in the window. */
export interface KindTotals extends StateCounts {
  /** Bytes backed up / copied / restored by the jobs in the window (what AWS reports; 0 when unknown). */
  readonly bytes: number;
  /** Where the figures come from: this account (per Region) or the whole organization. */
  readonly scope: 'account' | 'organization';
}

/** Backup totals add what only backup jobs have. */
export interface BackupTotals extends KindTotals {
  /** COMPLETED with a MessageCategory other than SUCCESS (AWS's "Completed with issues"). */
  readonly completedWithIssues: number;
  readonly byResourceType: Readonly<Record<string, StateCounts>>;
  readonly byVault: Readonly<Record<string, StateCounts>>;
  readonly byAccount: Readonly<Record<string, StateCounts>>;
  readonly byMessageCategory: Readonly<Record<string, number>>;
}

/** One reason jobs failed, with the diagnosis a person can act on. */
export interface FailureReason {
  readonly category: string;
  readonly cause: string;
  readonly remedy: string;
  readonly retryable: boolean;
  readonly count: number;
  readonly kinds: readonly JobKind[];
  /** One representative status message (quotes stripped), as AWS wrote it. */
  readonly example?: string;
}

/** A failed, expired, aborted or partial job, listed for a person to open. */
export interface ProblemJob {
  readonly kind: JobKind;
  readonly jobId: string;
  readonly state: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly vault?: string;
  /** The plan and rule that created the job, when the job record names them (CreatedBy, no extra call). */
  readonly planName?: string;
  readonly ruleName?: string;
  readonly statusMessage?: string;
  readonly category: string;
  readonly createdAt?: string;
  readonly link: string;
}

/** A resource that had a completed backup in the previous window and no job at all in this one. */
export interface SilentMiss {
  readonly resourceArn: string;
  readonly resourceType?: string;
  readonly accountId: string;
  readonly region: string;
  readonly vault?: string;
  /** When its last completed backup (in the previous window) was created. */
  readonly lastBackupAt: string;
  readonly link: string;
}

/**
 * A plan rule that should have run inside the window (its start window closed in it) and created
 * no job at all, in any state.
 */
export interface NeverRanRule {
  readonly region: string;
  readonly accountId: string;
  readonly planId: string;
  readonly planName: string;
  readonly ruleId: string;
  readonly ruleName: string;
  /** The rule's ScheduleExpression (AWS's default `cron(0 5 ? * * *)` when the rule has none). */
  readonly scheduleExpression: string;
  readonly timezone: string;
  readonly startWindowMinutes: number;
  /** How many runs fell due with no job. */
  readonly dueRuns: number;
  /** When they were scheduled (ISO, UTC; the first 10); empty for a rate whose phase is unknown. */
  readonly dueAt: readonly string[];
  /** A rate's period when its runs' times are unknown (no scheduled run previewed to anchor it). */
  readonly everyMinutes?: number;
  /** The rule's newest job listed (before the runs that fell due), if any. */
  readonly lastJobAt?: string;
  /** The plan's resource selections (names) and the IAM roles they pass to AWS Backup. */
  readonly selections: readonly string[];
  readonly iamRoles: readonly string[];
}

/** A plan with no resource selection: its rules run and back nothing up. Reported once, not per rule. */
export interface PlanWithoutSelection {
  readonly region: string;
  readonly accountId: string;
  readonly planId: string;
  readonly planName: string;
  /** The rules that fell due in the window. */
  readonly rules: readonly string[];
}

/** Plan rules that never ran (present when the plans of every Region could be checked or tried). */
export interface NeverRan {
  readonly rules: Capped<NeverRanRule>;
  readonly plansWithoutSelection: Capped<PlanWithoutSelection>;
}

/** A recovery point completed in the window that has no completed copy. */
export interface UncopiedRecoveryPoint {
  readonly recoveryPointArn: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly vault?: string;
  readonly accountId: string;
  readonly region: string;
}

/** A capped list: the first `items`, and how many more there were. */
export interface Capped<T> {
  readonly items: readonly T[];
  readonly more: number;
}

/** Share of recovery points completed in the window that have a completed copy. */
export interface CopyCoverage {
  readonly recoveryPoints: number;
  readonly copied: number;
  /** copied / recoveryPoints, or null when there were no recovery points. */
  readonly ratio: number | null;
  readonly uncopied: Capped<UncopiedRecoveryPoint>;
}

/** What this toolkit itself did in the window, from the ledger (when LEDGER_TABLE_NAME is set). */
export interface ToolkitActivity {
  readonly retries: {
    readonly scheduled: number;
    readonly started: number;
    /** Retried jobs that completed / failed, matched against the jobs listed in the window. */
    readonly succeeded: number;
    readonly failed: number;
    readonly exhausted: number;
    readonly alerted: number;
  };
  readonly copies: { readonly started: number; readonly failedToStart: number };
}

/** The same figures for the previous window of the same length, and the change. */
export interface Comparison {
  readonly since: string;
  readonly until: string;
  readonly backup: StateCounts;
  readonly copy: StateCounts;
  readonly restore: StateCounts;
}

/** One day of ListBackupJobSummaries (ONE_DAY). */
export interface TrendDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly date: string;
  readonly byState: Readonly<Record<string, number>>;
}

/** The 14-day daily trend, with how fresh AWS's aggregate is. */
export interface Trend {
  readonly days: readonly TrendDay[];
  /** AWS's job summaries stop at the last 00:00 UTC and refresh around 01:30-02:30 UTC. */
  readonly freshness: string;
  readonly scope: 'account' | 'organization';
}

/** A part of the summary that could not be collected (the summary is then marked incomplete). */
export interface MissingPart {
  readonly what: string;
  readonly region: string;
  readonly error: string;
}

/**
 * Set when the report was too large for one SNS message and was published with shorter lists
 * (functions/post-summary/fit-sns.ts): the counts are whole, the lists are at most `maxItems` long.
 */
export interface Trimmed {
  /** Size of the whole report's JSON, in bytes. */
  readonly bytes: number;
  /** The SNS limit it had to fit (256 KiB, message attributes included). */
  readonly limitBytes: number;
  /** Items kept in each list; the capped lists count the rest in `more`. */
  readonly maxItems: number;
  /** Entries cut from the parts that have no `more` of their own (`missing`, `failureReasons`, `backup.byAccount`, ...). */
  readonly leftOut: Readonly<Record<string, number>>;
}

/** Everything one summary says, per Region merged into one. */
export interface SummaryReport {
  readonly schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  readonly generatedAt: string;
  readonly window: { readonly since: string; readonly until: string; readonly hours: number };
  readonly scope: {
    readonly kind: 'account' | 'organization';
    readonly accountId: string;
    readonly regions: readonly string[];
  };
  /** False when any part is missing; `missing` says what. */
  readonly complete: boolean;
  readonly missing: readonly MissingPart[];
  readonly backup: BackupTotals;
  readonly copy: KindTotals;
  readonly restore: KindTotals;
  /** Malware scans that finished in the window (functions/post-summary/scans.ts); absent when not collected. */
  readonly scans?: ScanTotals;
  /** Top failure reasons, most frequent first. */
  readonly failureReasons: readonly FailureReason[];
  /** Failed, expired, aborted and partial jobs of every kind, worst first (capped). */
  readonly problemJobs: Capped<ProblemJob>;
  readonly copyCoverage: CopyCoverage;
  readonly silentMisses: Capped<SilentMiss>;
  /** Plan rules due in the window that created no job, and plans with no selection. */
  readonly neverRan?: NeverRan;
  /** Present when the ledger is configured. */
  readonly toolkit?: ToolkitActivity;
  readonly previous?: Comparison;
  readonly trend?: Trend;
  /** Organization scope only: backup jobs per account, worst first, and the ACTIVE accounts with none. */
  readonly accounts?: AccountsSummary;
  /** Present only when the JSON channel had to shorten the lists to fit SNS (schema 1.2). */
  readonly trimmed?: Trimmed;
}
