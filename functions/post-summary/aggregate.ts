import type { BackupJob, CopyJob, RestoreJob, VaultFacts } from '../../shared/backup/index.js';
import {
  backupVaultFacts,
  copyVaultFacts,
  isCompletedWithIssues,
  jobOriginOf,
  vaultNameFromArn,
} from '../../shared/backup/index.js';
import { backupJobLink, copyJobLink, restoreJobLink } from '../../shared/console-links.js';
import { diagnoseJob } from '../../shared/diagnosis/index.js';
import {
  BACKUP_JOB_STATES,
  COPY_JOB_STATES,
  isProblemState,
  PROBLEM_STATES,
  RESTORE_JOB_STATUSES,
} from '../../shared/events/types.js';
import { TopN } from './capped.js';
import type { BackupTotals, FailureReason, JobKind, KindTotals, ProblemJob, StateCounts } from './report.js';

/** Every documented state of each kind: reported as 0 when absent, so a renderer can show "0 PARTIAL". */
export const DOCUMENTED_STATES: Readonly<Record<JobKind, readonly string[]>> = {
  backup: BACKUP_JOB_STATES,
  copy: COPY_JOB_STATES,
  restore: RESTORE_JOB_STATUSES,
};

/** Counts by state with a total; `documented` states start at 0. */
export class Tally {
  total = 0;
  readonly #byState: Record<string, number>;

  constructor(documented: readonly string[] = []) {
    this.#byState = Object.fromEntries(documented.map((state) => [state, 0]));
  }

  add(state: string | undefined): void {
    const key = state ?? 'UNKNOWN';
    this.total += 1;
    this.#byState[key] = (this.#byState[key] ?? 0) + 1;
  }

  counts(): StateCounts {
    return { total: this.total, byState: { ...this.#byState } };
  }
}

function tallyIn(map: Map<string, Tally>, key: string | undefined): Tally {
  const name = key || 'unknown';
  let tally = map.get(name);
  if (!tally) {
    tally = new Tally();
    map.set(name, tally);
  }
  return tally;
}

function countsOf(map: Map<string, Tally>): Record<string, StateCounts> {
  return Object.fromEntries(
    [...map].sort(([a], [b]) => a.localeCompare(b)).map(([key, tally]) => [key, tally.counts()]),
  );
}

/** Totals of copy or restore jobs: states and bytes. */
export class KindAggregate {
  readonly tally: Tally;
  bytes = 0;

  constructor(kind: JobKind) {
    this.tally = new Tally(DOCUMENTED_STATES[kind]);
  }

  add(state: string | undefined, bytes: number | undefined): void {
    this.tally.add(state);
    this.bytes += bytes ?? 0;
  }

  totals(scope: KindTotals['scope']): KindTotals {
    return { ...this.tally.counts(), bytes: this.bytes, scope };
  }
}

/** Backup totals: states, bytes, completed with issues, and the breakdowns only backup jobs have. */
export class BackupAggregate extends KindAggregate {
  completedWithIssues = 0;
  readonly #byResourceType = new Map<string, Tally>();
  readonly #byVault = new Map<string, Tally>();
  readonly #byAccount = new Map<string, Tally>();
  readonly #byMessageCategory = new Map<string, number>();

  constructor() {
    super('backup');
  }

  addJob(job: BackupJob): void {
    this.add(job.State, job.BackupSizeInBytes);
    if (isCompletedWithIssues(job)) this.completedWithIssues += 1;
    tallyIn(this.#byResourceType, job.ResourceType).add(job.State);
    tallyIn(this.#byVault, job.BackupVaultName).add(job.State);
    tallyIn(this.#byAccount, job.AccountId).add(job.State);
    if (job.MessageCategory) {
      this.#byMessageCategory.set(job.MessageCategory, (this.#byMessageCategory.get(job.MessageCategory) ?? 0) + 1);
    }
  }

  override totals(scope: KindTotals['scope']): BackupTotals {
    return {
      ...super.totals(scope),
      completedWithIssues: this.completedWithIssues,
      byResourceType: countsOf(this.#byResourceType),
      byVault: countsOf(this.#byVault),
      byAccount: countsOf(this.#byAccount),
      byMessageCategory: Object.fromEntries([...this.#byMessageCategory].sort(([a], [b]) => a.localeCompare(b))),
    };
  }
}

/** What the problem list and the failure reasons need of a job of any kind. */
export interface ProblemInput {
  readonly kind: JobKind;
  readonly jobId: string;
  readonly state: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly vault?: string;
  /** Backup: the vault written. Copy: the destination vault. Type and lock state, for the diagnosis. */
  readonly vaultFacts?: VaultFacts;
  readonly planName?: string;
  readonly ruleName?: string;
  readonly statusMessage?: string;
  readonly messageCategory?: string;
  readonly createdAt?: Date;
}

interface ProblemRank {
  readonly severity: number;
  readonly time: number;
  readonly jobId: string;
}

/** Worst state first, then newest first, then job id (a stable order for equal times). */
function byRank(a: ProblemRank, b: ProblemRank): number {
  return a.severity - b.severity || b.time - a.time || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0);
}

interface ReasonEntry {
  category: string;
  cause: string;
  remedy: string;
  retryable: boolean;
  count: number;
  kinds: Set<JobKind>;
  example?: string;
}

const KIND_ORDER: readonly JobKind[] = ['backup', 'copy', 'restore'];

const links: Readonly<Record<JobKind, (region: string, jobId: string) => string>> = {
  backup: backupJobLink,
  copy: copyJobLink,
  restore: restoreJobLink,
};

/**
 * Failed, expired, aborted and partial jobs of every kind: each is diagnosed once and counted under
 * its diagnosis category (memory: one entry per category), and offered to a capped, worst-first list.
 */
export class ProblemBook {
  readonly #reasons = new Map<string, ReasonEntry>();
  readonly #top: TopN<ProblemRank, ProblemJob>;

  constructor(maxListed: number) {
    this.#top = new TopN(maxListed, byRank);
  }

  add(job: ProblemInput): void {
    // The job's own kind, as the retry function's alerts diagnose it: a restore's reason in the
    // summary is the category its alert named (restore rows, then the kind-neutral ones).
    const diagnosis = diagnoseJob({
      kind: job.kind,
      state: job.state,
      messageCategory: job.messageCategory,
      statusMessage: job.statusMessage,
      resourceType: job.resourceType,
      ...(job.vaultFacts ? { vault: job.vaultFacts } : {}),
    });
    let reason = this.#reasons.get(diagnosis.category);
    if (!reason) {
      reason = {
        category: diagnosis.category,
        cause: diagnosis.cause,
        remedy: diagnosis.remedy,
        retryable: diagnosis.retryable,
        count: 0,
        kinds: new Set(),
      };
      this.#reasons.set(diagnosis.category, reason);
    }
    reason.count += 1;
    reason.kinds.add(job.kind);
    if (reason.example === undefined && diagnosis.statusMessage) reason.example = diagnosis.statusMessage;

    const severity = (PROBLEM_STATES as readonly string[]).indexOf(job.state);
    const rank: ProblemRank = {
      severity: severity < 0 ? PROBLEM_STATES.length : severity,
      time: job.createdAt?.getTime() ?? 0,
      jobId: job.jobId,
    };
    this.#top.offer(rank, () => ({
      kind: job.kind,
      jobId: job.jobId,
      state: job.state,
      accountId: job.accountId,
      region: job.region,
      ...(job.resourceArn ? { resourceArn: job.resourceArn } : {}),
      ...(job.resourceType ? { resourceType: job.resourceType } : {}),
      ...(job.vault ? { vault: job.vault } : {}),
      ...(job.planName ? { planName: job.planName } : {}),
      ...(job.ruleName ? { ruleName: job.ruleName } : {}),
      ...(diagnosis.statusMessage ? { statusMessage: diagnosis.statusMessage } : {}),
      category: diagnosis.category,
      ...(job.createdAt ? { createdAt: job.createdAt.toISOString() } : {}),
      link: links[job.kind](job.region, job.jobId),
    }));
  }

  /** The `limit` most frequent reasons (ties by category id, so the order is stable). */
  failureReasons(limit: number): FailureReason[] {
    return [...this.#reasons.values()]
      .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
      .slice(0, limit)
      .map((r) => ({
        category: r.category,
        cause: r.cause,
        remedy: r.remedy,
        retryable: r.retryable,
        count: r.count,
        kinds: KIND_ORDER.filter((k) => r.kinds.has(k)),
        ...(r.example !== undefined ? { example: r.example } : {}),
      }));
  }

  problemJobs() {
    return this.#top.result();
  }
}

function vaultName(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  try {
    return vaultNameFromArn(arn);
  } catch {
    return undefined;
  }
}

/** The plan and rule names a job record carries (CreatedBy), for the problem list. */
function namesOf(job: BackupJob | CopyJob): Pick<ProblemInput, 'planName' | 'ruleName'> {
  const origin = jobOriginOf(job.CreatedBy);
  return {
    ...(origin?.planName ? { planName: origin.planName } : {}),
    ...(origin?.ruleName ? { ruleName: origin.ruleName } : {}),
  };
}

/** The problem-list view of a backup job. */
export function backupProblem(job: BackupJob, region: string): ProblemInput {
  return {
    kind: 'backup',
    jobId: job.BackupJobId ?? 'unknown',
    state: job.State ?? 'UNKNOWN',
    accountId: job.AccountId ?? 'unknown',
    region,
    resourceArn: job.ResourceArn,
    resourceType: job.ResourceType,
    vault: job.BackupVaultName,
    vaultFacts: backupVaultFacts(job),
    ...namesOf(job),
    statusMessage: job.StatusMessage,
    messageCategory: job.MessageCategory,
    createdAt: job.CreationDate,
  };
}

/** The problem-list view of a copy job: the vault named is the destination (where copies fail). */
export function copyProblem(job: CopyJob, region: string): ProblemInput {
  return {
    kind: 'copy',
    jobId: job.CopyJobId ?? 'unknown',
    state: job.State ?? 'UNKNOWN',
    accountId: job.AccountId ?? 'unknown',
    region,
    resourceArn: job.ResourceArn,
    resourceType: job.ResourceType,
    vault: vaultName(job.DestinationBackupVaultArn),
    vaultFacts: copyVaultFacts(job),
    ...namesOf(job),
    statusMessage: job.StatusMessage,
    messageCategory: job.MessageCategory,
    createdAt: job.CreationDate,
  };
}

/** The problem-list view of a restore job. */
export function restoreProblem(job: RestoreJob, region: string): ProblemInput {
  return {
    kind: 'restore',
    jobId: job.RestoreJobId ?? 'unknown',
    state: job.Status ?? 'UNKNOWN',
    accountId: job.AccountId ?? 'unknown',
    region,
    resourceArn: job.CreatedResourceArn,
    resourceType: job.ResourceType,
    statusMessage: job.StatusMessage,
    createdAt: job.CreationDate,
  };
}

/** Options of the aggregation: list caps. */
export interface AggregateOptions {
  readonly maxListed: number;
}

/**
 * Everything counted over the window's jobs, across Regions: feed each job once through
 * `addBackupJob` / `addCopyJob` / `addRestoreJob`; memory grows with states, resource types,
 * vaults, accounts and reasons, never with jobs.
 */
export class WindowAggregate {
  readonly backup = new BackupAggregate();
  readonly copy = new KindAggregate('copy');
  readonly restore = new KindAggregate('restore');
  readonly problems: ProblemBook;

  constructor(options: AggregateOptions) {
    this.problems = new ProblemBook(options.maxListed);
  }

  addBackupJob(job: BackupJob, region: string): void {
    this.backup.addJob(job);
    if (isProblemState(job.State)) this.problems.add(backupProblem(job, region));
  }

  addCopyJob(job: CopyJob, region: string): void {
    this.copy.add(job.State, job.BackupSizeInBytes);
    if (isProblemState(job.State)) this.problems.add(copyProblem(job, region));
  }

  addRestoreJob(job: RestoreJob, region: string): void {
    this.restore.add(job.Status, job.BackupSizeInBytes);
    if (isProblemState(job.Status)) this.problems.add(restoreProblem(job, region));
  }
}

/** Counts of the previous window of the same length (for the change against it). */
export class PreviousAggregate {
  readonly backup = new Tally(DOCUMENTED_STATES.backup);
  readonly copy = new Tally(DOCUMENTED_STATES.copy);
  readonly restore = new Tally(DOCUMENTED_STATES.restore);
}
