import type { BackupRule, Lifecycle } from '@aws-sdk/client-backup';
import type { JobOrigin, VaultFacts } from '../../shared/backup/index.js';
import type { Diagnosis } from '../../shared/diagnosis/index.js';
import { ToolkitError } from '../../shared/errors.js';
import type { BackupEvent } from '../../shared/events/index.js';
import type { AttemptPayload } from './schedule.js';

/** Which kind of job failed. */
export type FailedKind = 'backup' | 'copy';

/** What we know about the failed job (from DescribeBackupJob / DescribeCopyJob). */
export interface FailedJob {
  readonly kind: FailedKind;
  readonly jobId: string;
  readonly state: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceArn: string;
  readonly resourceType?: string;
  /** Backup: the vault written to. Copy: the source vault. */
  readonly vaultName: string;
  readonly iamRoleArn: string;
  readonly createdAt: Date;
  readonly completedAt?: Date;
  readonly statusMessage?: string;
  readonly messageCategory?: string;
  readonly parentJobId?: string;
  readonly isParent?: boolean;
  /**
   * The plan rule that created the job, from the record's `CreatedBy`: ids, and when AWS sends them
   * the plan and rule names and the rule's cron and time zone (absent on older jobs).
   */
  readonly plan?: JobOrigin;
  /** Backup: the vault written to. Copy: the destination vault. Type and lock state, when the record names them. */
  readonly vault?: VaultFacts;
  readonly backupOptions?: Readonly<Record<string, string>>;
  readonly lifecycle?: Lifecycle;
  /** Copy jobs: the recovery point copied and where to. */
  readonly copy?: {
    readonly sourceRecoveryPointArn: string;
    readonly destinationVaultArn: string;
  };
}

/** What the ledger says about the logical backup this failure belongs to. */
export interface LedgerState {
  /** Attempts this toolkit has started so far. */
  readonly attempts: number;
  /** The job that started the chain (the first failure). */
  readonly originalJobId: string;
  /** Whether the one alert for this logical backup was already published. */
  readonly alerted: boolean;
}

/** Everything the decision needs, gathered before it runs. */
export interface Facts {
  readonly job: FailedJob;
  readonly diagnosis: Diagnosis;
  readonly ledger: LedgerState;
  /** A COMPLETED backup (or copy) of the same resource into the same vault created after the failed job. */
  readonly newerCompletedJobId?: string;
  /** A CREATED, PENDING or RUNNING job for the same resource (AWS runs one at a time). */
  readonly activeJobId?: string;
  /** How many times this attempt has already waited for such a job (the attempt schedule says). */
  readonly waited?: number;
  /**
   * The plan rule that created the job, at the plan version that created it (GetBackupPlan). Read
   * only when needed: for the next-run check when `CreatedBy` carries no cron, and for a retry's
   * Start input (its windows, lifecycle and tags are not on the job record).
   */
  readonly rule?: BackupRule;
  /** When that rule next runs (job's `CreatedBy` cron, else the rule's ScheduleExpression), for a backup job; unknown = undefined. */
  readonly nextPlanRun?: Date;
}

/** What one failed job came to. */
export type JobOutcome =
  | { readonly result: 'duplicate'; readonly jobId: string }
  /** Another invocation holds this attempt's Start (or died holding it): retried after its lease. */
  | { readonly result: 'in-flight'; readonly jobId: string; readonly attempt: number }
  | {
      readonly result: 'scheduled' | 'started';
      readonly jobId: string;
      readonly attempt: number;
      readonly newJobId?: string;
    }
  /** A job runs for the resource: the attempt looks again later (decide.ts, `wait`). */
  | { readonly result: 'waiting'; readonly jobId: string; readonly attempt: number; readonly activeJobId: string }
  | { readonly result: 'skipped'; readonly jobId: string; readonly reason: string; readonly alerted: boolean }
  | { readonly result: 'start-failed'; readonly jobId: string; readonly category: string; readonly alerted: boolean };

/** A failed job to handle: from an event, an attempt schedule, or a sweep. */
export interface FailedJobRef {
  readonly kind: FailedKind;
  readonly jobId: string;
  readonly trigger: 'event' | 'attempt' | 'sweep';
  /** The state an event reported (events only): a state RETRY_STATES does not name costs no call. */
  readonly eventState?: string;
  /** The parsed event (events only): its account and ARNs must be the function's own to act. */
  readonly event?: BackupEvent;
  /** For attempt schedules: the logical backup and attempt they were created for. */
  readonly attempt?: Pick<AttemptPayload, 'logicalKey' | 'attempt' | 'wait'>;
  /**
   * The job's account and Region: the event's, or the schedule's; omitted (sweeps, schedules made
   * before they carried it) = the function's own.
   */
  readonly place?: { readonly account: string; readonly region: string };
}

/**
 * A job whose handling another invocation claimed and has not finished (still running, or dead
 * inside its lease). Raised, never read as handled: the event's delivery fails and Lambda retries
 * it, and the sweep finds the claim in the ledger's `byDay` index once its lease has passed.
 */
export class JobInFlightError extends ToolkitError {
  constructor(what: string, jobId: string, leaseUntil: unknown) {
    const until = typeof leaseUntil === 'number' ? new Date(leaseUntil).toISOString() : 'its lease ends';
    super(`${what} job ${jobId} is being handled by another invocation until ${until}; not handled yet`);
    this.name = 'JobInFlightError';
  }
}
