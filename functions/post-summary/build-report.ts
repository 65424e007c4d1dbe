import type { BackupClient } from '@aws-sdk/client-backup';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  BACKUP_JOBS_RETENTION_DAYS,
  type BackupJob,
  listBackupJobs,
  listCopyJobs,
  listRestoreJobs,
  listScanJobs,
} from '../../shared/backup/index.js';
import { ValidationError } from '../../shared/errors.js';
import { isProblemState } from '../../shared/events/types.js';
import type { LogSink } from '../../shared/logger.js';
import { listActiveAccounts, type OrganizationAccount } from '../../shared/organizations.js';
import { DAY_MS, HOUR_MS } from '../../shared/time.js';
import { AccountBook } from './accounts.js';
import { ActivityCollector } from './activity.js';
import { PreviousAggregate, WindowAggregate } from './aggregate.js';
import { CoverageTracker } from './coverage.js';
import { cronEngine, decideNeverRan, RuleJobIndex } from './never-ran.js';
import { PlanCatalog } from './plan-catalog.js';
import { DEFAULT_REGION_CONCURRENCY, forEachBounded, MAX_REGION_CONCURRENCY } from './regions.js';
import {
  type Capped,
  type MissingPart,
  type NeverRanRule,
  type PlanWithoutSelection,
  SUMMARY_SCHEMA_VERSION,
  type SummaryReport,
} from './report.js';
import { ScanAggregate } from './scans.js';
import { SilentMissTracker } from './silent-misses.js';
import { TrendBuilder } from './trend.js';

/** What to summarise. */
export interface SummaryRequest {
  /**
   * Start of the window (inclusive): jobs created at or after it, and the previous window's jobs
   * that ended in a problem state at or after it.
   */
  since: Date;
  /** End of the window (exclusive). */
  until: Date;
  /** Regions to summarise into one report. */
  regions: readonly string[];
  /** `organization`: backup jobs of every account (ByAccountId `*`); copy and restore jobs stay this account's. */
  scope: 'account' | 'organization';
  /** The account the function runs in (12 digits). */
  accountId: string;
  /** Length of each capped list (problem jobs, uncopied recovery points, silent misses). Default 25. */
  maxListed?: number;
  /** How many failure reasons to keep, most frequent first. Default 10. */
  topReasons?: number;
  /** Regions listed at once (1 to 16). Default 4. */
  regionConcurrency?: number;
}

/** What collection needs from the outside world. */
export interface SummaryDeps {
  backupClientFor(region: string): BackupClient;
  /** The ledger, when LEDGER_TABLE_NAME is set: the report then says what the toolkit did. */
  ledger?: { documentClient: DynamoDBDocumentClient; tableName: string };
  now(): Date;
  logger: Pick<LogSink, 'info' | 'warn' | 'error'>;
  /** Aborts list calls (middy's signal, armed before Lambda's timeout): the report then goes out incomplete. */
  signal?: AbortSignal;
  /**
   * Organizations, for the organization scope's list of ACTIVE accounts (those with no backup job
   * are flagged). Without it the per-account lines are still made, and no account is flagged.
   */
  organizationsClient?(): OrganizationsClient;
}

const DEFAULT_MAX_LISTED = 25;
const DEFAULT_TOP_REASONS = 10;

function validDate(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ValidationError(field, value, 'must be a valid Date');
  }
  return value;
}

function count(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > 1000) {
    throw new ValidationError(field, value, 'must be an integer from 0 to 1000');
  }
  return value;
}

function checkRequest(request: SummaryRequest): { maxListed: number; topReasons: number; regionConcurrency: number } {
  const since = validDate('since', request.since);
  const until = validDate('until', request.until);
  if (since.getTime() >= until.getTime()) {
    throw new ValidationError('since', since.toISOString(), `must be before until (${until.toISOString()})`);
  }
  if (request.regions.length === 0 || request.regions.some((r) => typeof r !== 'string' || r.trim() === '')) {
    throw new ValidationError('regions', request.regions, 'must list at least one Region');
  }
  if (request.scope !== 'account' && request.scope !== 'organization') {
    throw new ValidationError('scope', request.scope, 'must be account or organization');
  }
  if (!/^\d{12}$/.test(request.accountId)) {
    throw new ValidationError('accountId', request.accountId, 'must be a 12-digit account id');
  }
  const concurrency = request.regionConcurrency ?? DEFAULT_REGION_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_REGION_CONCURRENCY) {
    throw new ValidationError(
      'regionConcurrency',
      request.regionConcurrency,
      `must be an integer from 1 to ${MAX_REGION_CONCURRENCY}`,
    );
  }
  return {
    maxListed: count('maxListed', request.maxListed, DEFAULT_MAX_LISTED),
    topReasons: count('topReasons', request.topReasons, DEFAULT_TOP_REASONS),
    regionConcurrency: concurrency,
  };
}

type Visitor<T> = (item: T) => void;

/**
 * A job listed in the previous window (created in it) that ended in a problem state inside this
 * window: it belongs to this summary. Jobs are listed by creation, so the previous summary saw it
 * CREATED or RUNNING (AWS's default rule runs at 05:00 with an 8-hour start window, the default
 * summary at 08:00: a job that expires at 13:00 or fails at 10:00 ended after that summary), and
 * this one would not list it at all: its failure reached no summary. A job with no CompletionDate
 * cannot be placed and stays the previous window's.
 */
function endedLateInProblem(
  state: string | undefined,
  completedAt: Date | undefined,
  since: Date,
  until: Date,
): boolean {
  const at = completedAt?.getTime();
  return isProblemState(state) && at !== undefined && at >= since.getTime() && at < until.getTime();
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first `max` of `items` in a stable order (Region, plan, rule), and how many more. */
function cappedBy<T extends { region: string; planName: string; planId: string }>(
  items: readonly T[],
  max: number,
  detail: (item: T) => string = () => '',
): Capped<T> {
  const sorted = [...items].sort(
    (a, b) =>
      a.region.localeCompare(b.region) ||
      a.planName.localeCompare(b.planName) ||
      a.planId.localeCompare(b.planId) ||
      detail(a).localeCompare(detail(b)),
  );
  return { items: sorted.slice(0, max), more: Math.max(0, sorted.length - max) };
}

/**
 * Collects and aggregates one summary: backup, copy and restore jobs created in the window, in every
 * Region (at most `regionConcurrency` Regions at once, each kind's list streamed once), the previous window of the same length
 * (comparison, silent misses), the plan rules that never ran (each Region's plans read once: one
 * ListBackupPlans pass, one GetBackupPlan and one ListBackupSelections pass per plan), the 14-day
 * trend and, with a ledger, the toolkit's own activity.
 *
 * Never throws for a failed call: a list call that still fails after the SDK's retries becomes a
 * {@link MissingPart} naming what and the Region, and the report goes out with `complete: false`.
 * Throws a ValidationError for a bad request.
 *
 * Organization scope: backup jobs are listed with ByAccountId `*` (management or delegated
 * administrator account, cross-account monitoring on). `*` is documented for ListBackupJobs only, so
 * copy and restore jobs are this account's, and their totals say `scope: 'account'`; copy coverage
 * then counts this account's recovery points only. The organization's ACTIVE accounts are listed once
 * (Organizations ListAccounts, alongside the Regions) for the per-account part (`accounts`): backup
 * jobs per account, worst first, and the accounts with no job at all in the window.
 */
export async function buildSummaryReport(deps: SummaryDeps, request: SummaryRequest): Promise<SummaryReport> {
  const { maxListed, topReasons, regionConcurrency } = checkRequest(request);
  const now = deps.now();
  const { since, until, scope, accountId, regions } = request;
  const length = until.getTime() - since.getTime();
  const previousSince = new Date(since.getTime() - length);
  const organization = scope === 'organization';
  const signal = deps.signal;
  const listOptions = { signal, now };

  const missing: MissingPart[] = [];
  const window = new WindowAggregate({ maxListed });
  const previous = new PreviousAggregate();
  const coverage = new CoverageTracker(maxListed, organization ? (account) => account === accountId : undefined);
  const silentMisses = new SilentMissTracker();
  const scans = new ScanAggregate(maxListed);
  const trend = new TrendBuilder(now, scope);
  let trendRegions = 0;
  // Organization scope: backup jobs per account, and the accounts that had none.
  const accounts = organization ? new AccountBook() : undefined;
  let everyRegionListed = true;
  const plans = new PlanCatalog({ backupClientFor: deps.backupClientFor, signal });
  const ruleJobs = new RuleJobIndex();
  const neverRanRules: NeverRanRule[] = [];
  const plansWithoutSelection: PlanWithoutSelection[] = [];
  let plansChecked = 0;

  const fail = (what: string, region: string, error: unknown): void => {
    const part = { what, region, error: describeError(error) };
    missing.push(part);
    deps.logger.warn('summary part missing', { ...part });
  };

  /**
   * The one pass over a listing: each job goes to every visitor and is dropped. A failure (also
   * mid-way, after some pages) becomes a MissingPart; returns whether the listing was complete.
   */
  const stream = async <T>(
    what: string,
    region: string,
    list: () => AsyncIterable<T>,
    visitors: readonly Visitor<T>[],
  ): Promise<boolean> => {
    let seen = 0;
    try {
      for await (const item of list()) {
        seen += 1;
        for (const visit of visitors) visit(item);
      }
      return true;
    } catch (error) {
      const counted = seen > 0 ? ` (${seen} counted before the failure)` : '';
      fail(what, region, `${describeError(error)}${counted}`);
      return false;
    }
  };

  // The organization's ACTIVE accounts, listed once per run (ListAccounts pages: 20 accounts a call),
  // alongside the Regions' listings: the only call whose count grows with the number of accounts.
  const listAccounts = async (client: OrganizationsClient): Promise<OrganizationAccount[] | undefined> => {
    const found = new Map<string, OrganizationAccount>();
    try {
      for await (const account of listActiveAccounts(client, { signal })) found.set(account.id, account);
      return [...found.values()];
    } catch (error) {
      fail('organization accounts (ListAccounts)', 'all Regions', error);
      return undefined;
    }
  };
  const activeAccounts =
    organization && deps.organizationsClient ? listAccounts(deps.organizationsClient()) : Promise.resolve(undefined);

  let activity: ActivityCollector | undefined;
  if (deps.ledger) {
    const collector = new ActivityCollector();
    try {
      await collector.load(deps.ledger, since, until, signal);
      activity = collector;
    } catch (error) {
      const region = await deps.ledger.documentClient.config.region().catch(() => 'unknown');
      fail('toolkit activity (ledger)', region, error);
    }
  }

  // ListBackupJobs covers the last 30 days only: an older previous window cannot be listed.
  const previousListable = previousSince.getTime() >= now.getTime() - BACKUP_JOBS_RETENTION_DAYS * DAY_MS;

  /** Plan rules that never ran in one Region: its plans read once, judged against the jobs listed. */
  const checkPlans = async (region: string, listedFrom: Date): Promise<void> => {
    const regionPlans = await plans.plans(region);
    for (const failure of regionPlans.failures) fail(failure.what, region, failure.error);
    if (!regionPlans.listed) return;
    plansChecked += 1;
    const found = await decideNeverRan({
      region,
      accountId,
      plans: regionPlans.plans,
      jobs: ruleJobs,
      since,
      until,
      listedFrom,
    });
    neverRanRules.push(...found.rules);
    plansWithoutSelection.push(...found.plansWithoutSelection);
    for (const rule of found.unreadable) {
      fail(`schedule of plan ${rule.planName}, rule ${rule.ruleName} (never-ran check)`, region, rule.error);
    }
  };

  const collectRegion = async (region: string): Promise<void> => {
    const client = deps.backupClientFor(region);
    const current = { createdAfter: since, createdBefore: until, accountId };
    const earlier = { createdAfter: previousSince, createdBefore: since, accountId };
    const backupAccount = organization ? '*' : accountId;

    // Copies before backups: coverage looks each completed recovery point up in the copied set.
    const copiesListed = await stream('copy jobs', region, () => listCopyJobs(client, current, listOptions), [
      (job) => window.addCopyJob(job, region),
      (job) => coverage.addCopyJob(job),
    ]);
    const backupVisitors: Visitor<BackupJob>[] = [
      (job) => window.addBackupJob(job, region),
      (job) => silentMisses.addCurrentJob(job),
      (job) => ruleJobs.addJob(job, region),
    ];
    // Without this Region's copies every recovery point would look uncopied: leave them out.
    if (copiesListed) backupVisitors.push((job) => coverage.addBackupJob(job, region));
    if (activity) backupVisitors.push((job) => activity.observeBackupJob(job));
    if (accounts) backupVisitors.push((job) => accounts.addJob(job, region));
    // A previous-window job that ended in a problem state in this window: this window's, except that
    // its recovery point (none, or a PARTIAL one) and its toolkit retry were the previous window's.
    const lateVisitors: Visitor<BackupJob>[] = [
      (job) => window.addBackupJob(job, region),
      (job) => silentMisses.addCurrentJob(job),
      ...(accounts ? [(job: BackupJob) => accounts.addJob(job, region)] : []),
    ];
    const backupsListed = await stream(
      'backup jobs',
      region,
      () => listBackupJobs(client, { ...current, accountId: backupAccount }, listOptions),
      backupVisitors,
    );
    if (!backupsListed) everyRegionListed = false;
    await stream('restore jobs', region, () => listRestoreJobs(client, current, listOptions), [
      (job) => window.addRestoreJob(job, region),
    ]);
    // Scans finished in the window (scans.ts says why ListScanJobs, and why by completion).
    const finished = { completedAfter: since, completedBefore: until, accountId };
    await stream('scan jobs', region, () => listScanJobs(client, finished, listOptions), [
      (job) => scans.add(job, region),
    ]);

    let previousBackupsListed = false;
    if (previousListable) {
      const late = (job: { State?: string; CompletionDate?: Date }): boolean =>
        endedLateInProblem(job.State, job.CompletionDate, since, until);
      const previousVisitors: Visitor<BackupJob>[] = [
        (job) => {
          if (!late(job)) {
            previous.backup.add(job.State);
            return;
          }
          // Counted, listed and diagnosed as this window's, as if it had been created in it.
          for (const visit of lateVisitors) visit(job);
        },
        (job) => ruleJobs.addJob(job, region),
      ];
      // Without this window's full listing every resource would look missed: leave them out.
      if (backupsListed) previousVisitors.push((job) => silentMisses.addPreviousJob(job, region));
      if (backupsListed && accounts) previousVisitors.push((job) => accounts.addPreviousJob(job));
      previousBackupsListed = await stream(
        'previous-window backup jobs',
        region,
        () => listBackupJobs(client, { ...earlier, accountId: backupAccount }, listOptions),
        previousVisitors,
      );
      await stream('previous-window copy jobs', region, () => listCopyJobs(client, earlier, listOptions), [
        (job) => (late(job) ? window.addCopyJob(job, region) : previous.copy.add(job.State)),
      ]);
      await stream('previous-window restore jobs', region, () => listRestoreJobs(client, earlier, listOptions), [
        (job) =>
          endedLateInProblem(job.Status, job.CompletionDate, since, until)
            ? window.addRestoreJob(job, region)
            : previous.restore.add(job.Status),
      ]);
    } else {
      fail(
        'previous window (comparison and silent misses)',
        region,
        `starts ${previousSince.toISOString()}, more than ${BACKUP_JOBS_RETENTION_DAYS} days back: ListBackupJobs only covers the last ${BACKUP_JOBS_RETENTION_DAYS} days`,
      );
    }

    // Without this window's full listing every plan rule would look as if it never ran: leave them out.
    if (backupsListed) await checkPlans(region, previousBackupsListed ? previousSince : since);

    try {
      await trend.addRegion(client, signal);
      trendRegions += 1;
    } catch (error) {
      fail('backup job trend (ListBackupJobSummaries)', region, error);
    }
  };

  // A bounded number of Regions at once: each holds a page of up to 1,000 jobs while it is read.
  await forEachBounded(regions, regionConcurrency, collectRegion);
  const active = await activeAccounts;
  // Before anything counts them (the list, the per-account lines): a rule not due in this window missed nothing.
  await silentMisses.dropNotDue({ since, until }, cronEngine);

  const kindScope = 'account' as const;
  const report: SummaryReport = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    window: { since: since.toISOString(), until: until.toISOString(), hours: length / HOUR_MS },
    scope: { kind: scope, accountId, regions: [...regions] },
    complete: missing.length === 0,
    missing,
    backup: window.backup.totals(scope),
    copy: window.copy.totals(kindScope),
    restore: window.restore.totals(kindScope),
    scans: scans.result(),
    failureReasons: window.problems.failureReasons(topReasons),
    problemJobs: window.problems.problemJobs(),
    copyCoverage: coverage.result(),
    silentMisses: silentMisses.result(maxListed),
    ...(plansChecked > 0
      ? {
          neverRan: {
            rules: cappedBy(neverRanRules, maxListed, (rule) => rule.ruleName),
            plansWithoutSelection: cappedBy(plansWithoutSelection, maxListed),
          },
        }
      : {}),
    ...(activity ? { toolkit: activity.result() } : {}),
    ...(accounts
      ? {
          accounts: accounts.result({
            active,
            everyRegionListed,
            silentMisses: silentMisses.countByAccount(),
            maxListed,
          }),
        }
      : {}),
    ...(previousListable
      ? {
          previous: {
            since: previousSince.toISOString(),
            until: since.toISOString(),
            backup: previous.backup.counts(),
            copy: previous.copy.counts(),
            restore: previous.restore.counts(),
          },
        }
      : {}),
    ...(trendRegions > 0 ? { trend: trend.result(now) } : {}),
  };
  deps.logger.info('summary collected', {
    regions: regions.length,
    backupJobs: report.backup.total,
    copyJobs: report.copy.total,
    restoreJobs: report.restore.total,
    problems: report.problemJobs.items.length + report.problemJobs.more,
    neverRanRules: neverRanRules.length,
    plansWithoutSelection: plansWithoutSelection.length,
    missing: missing.length,
  });
  return report;
}
