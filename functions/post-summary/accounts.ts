import type { BackupJob } from '../../shared/backup/index.js';
import { isCompletedWithIssues } from '../../shared/backup/index.js';
import { isProblemState } from '../../shared/events/types.js';
import type { OrganizationAccount } from '../../shared/organizations.js';
import { TopN } from './capped.js';
import type { Capped } from './report.js';

/** One account's backup jobs in the window, across the summarised Regions. */
export interface AccountLine {
  readonly accountId: string;
  /** The account's name in the organization, when ListAccounts gave one. */
  readonly name?: string;
  /** Backup jobs created in the window, any state. */
  readonly jobs: number;
  /** FAILED, EXPIRED, ABORTED and PARTIAL backup jobs. */
  readonly failed: number;
  /** Resources of this account backed up in the previous window with no job at all in this one. */
  readonly silentMisses: number;
  readonly completedWithIssues: number;
  readonly completed: number;
  /** Regions where the account had a backup job, sorted. */
  readonly regions: readonly string[];
}

/** An ACTIVE account of the organization with no backup job at all in the window, in any summarised Region. */
export interface QuietAccount {
  readonly accountId: string;
  readonly name?: string;
  /** Its backup jobs in the previous window of the same length (0: it had none then either). */
  readonly previousJobs: number;
}

/** The organization-wide summary's per-account part (SUMMARY_SCOPE=organization only). */
export interface AccountsSummary {
  /** ACTIVE accounts of the organization (Organizations ListAccounts); null when they could not be listed. */
  readonly active: number | null;
  /** Accounts with at least one backup job in the window. */
  readonly withJobs: number;
  /** Every account with jobs, worst first: most failures, then most silent misses, then most completed with issues. */
  readonly lines: Capped<AccountLine>;
  /** ACTIVE accounts with no backup job in the window; those that had jobs in the previous window first. */
  readonly withoutJobs: Capped<QuietAccount>;
  /** How many of `withoutJobs` had backup jobs in the previous window: they went silent (bad news). */
  readonly wentSilent: number;
}

interface Tally {
  jobs: number;
  failed: number;
  completedWithIssues: number;
  completed: number;
  readonly regions: Set<string>;
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Worst first: failures, silent misses, completed with issues; then by account id for a stable order. */
export function worstFirst(a: AccountLine, b: AccountLine): number {
  return (
    b.failed - a.failed ||
    b.silentMisses - a.silentMisses ||
    b.completedWithIssues - a.completedWithIssues ||
    byId(a.accountId, b.accountId)
  );
}

/** The accounts that went silent first (most jobs before), then by account id. */
function quietFirst(a: QuietAccount, b: QuietAccount): number {
  return b.previousJobs - a.previousJobs || byId(a.accountId, b.accountId);
}

/**
 * Backup jobs per account, fed job by job from the organization-wide listings (ByAccountId `*`, one
 * Region after another or at once): memory grows with accounts (a few numbers and a Region set
 * each), never with jobs. Feed the window's jobs with `addJob` and the previous window's with
 * `addPreviousJob`, then call `result` with the organization's ACTIVE accounts.
 */
export class AccountBook {
  readonly #current = new Map<string, Tally>();
  readonly #previous = new Map<string, number>();

  addJob(job: BackupJob, region: string): void {
    const id = job.AccountId ?? 'unknown';
    let tally = this.#current.get(id);
    if (!tally) {
      tally = { jobs: 0, failed: 0, completedWithIssues: 0, completed: 0, regions: new Set() };
      this.#current.set(id, tally);
    }
    tally.jobs += 1;
    tally.regions.add(region);
    if (isProblemState(job.State)) tally.failed += 1;
    else if (job.State === 'COMPLETED') {
      tally.completed += 1;
      if (isCompletedWithIssues(job)) tally.completedWithIssues += 1;
    }
  }

  addPreviousJob(job: BackupJob): void {
    const id = job.AccountId ?? 'unknown';
    this.#previous.set(id, (this.#previous.get(id) ?? 0) + 1);
  }

  /**
   * The per-account lines and the accounts without jobs.
   *
   * `active` is the organization's ACTIVE accounts, or undefined when they could not be listed;
   * `everyRegionListed` is false when some Region's backup jobs could not be listed (fully): an
   * account may have had its jobs there. In both cases no account is flagged as without jobs.
   */
  result(options: {
    readonly active: readonly OrganizationAccount[] | undefined;
    readonly everyRegionListed: boolean;
    /** Silent misses per account id. */
    readonly silentMisses: ReadonlyMap<string, number>;
    /** Length of each capped list. */
    readonly maxListed: number;
  }): AccountsSummary {
    const { active, everyRegionListed, silentMisses, maxListed } = options;
    const names = new Map((active ?? []).filter((a) => a.name !== undefined).map((a) => [a.id, a.name as string]));
    const lines = new TopN<AccountLine, AccountLine>(maxListed, worstFirst);
    for (const [accountId, t] of this.#current) {
      const name = names.get(accountId);
      const line: AccountLine = {
        accountId,
        ...(name !== undefined ? { name } : {}),
        jobs: t.jobs,
        failed: t.failed,
        silentMisses: silentMisses.get(accountId) ?? 0,
        completedWithIssues: t.completedWithIssues,
        completed: t.completed,
        regions: [...t.regions].sort(),
      };
      lines.offer(line, () => line);
    }
    const quiet = new TopN<QuietAccount, QuietAccount>(maxListed, quietFirst);
    let wentSilent = 0;
    for (const account of everyRegionListed ? (active ?? []) : []) {
      if (this.#current.has(account.id)) continue;
      const previousJobs = this.#previous.get(account.id) ?? 0;
      if (previousJobs > 0) wentSilent += 1;
      const entry: QuietAccount = {
        accountId: account.id,
        ...(account.name !== undefined ? { name: account.name } : {}),
        previousJobs,
      };
      quiet.offer(entry, () => entry);
    }
    return {
      active: active === undefined ? null : active.length,
      withJobs: this.#current.size,
      lines: lines.result(),
      withoutJobs: quiet.result(),
      wentSilent,
    };
  }
}
