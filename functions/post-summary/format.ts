/**
 * Wording every renderer shares, so the text email, Slack and Teams say the same thing in the same
 * order: worst news first, and an all-green day in one line.
 */
import { PROBLEM_STATES } from '../../shared/events/types.js';
import type { Capped, JobKind, KindTotals, StateCounts, SummaryReport } from './report.js';
import type { ScanTotals } from './scans.js';

// Worst first; anything AWS adds later is listed after these, alphabetically.
const STATE_ORDER = [...PROBLEM_STATES, 'RUNNING', 'PENDING', 'CREATED', 'ABORTING', 'COMPLETED'] as const;

/** How a renderer should present the report. */
export type Verdict = 'all-green' | 'attention' | 'incomplete';

/** The counts that decide the verdict. */
export interface BadNews {
  readonly failedJobs: number;
  readonly failedBackups: number;
  readonly failedCopies: number;
  readonly failedRestores: number;
  readonly completedWithIssues: number;
  readonly silentMisses: number;
  readonly uncopied: number;
  /** Organization scope: ACTIVE accounts with no backup job now that had some in the previous window. */
  readonly silentAccounts: number;
  /** Plan rules due in the window that created no job, and plans with no selection. */
  readonly neverRan: number;
}

function problemsOf(counts: StateCounts): number {
  return PROBLEM_STATES.reduce((sum, state) => sum + (counts.byState[state] ?? 0), 0);
}

/**
 * Copy gaps are news only where copying happens: with no copy job at all in the window, the
 * account does not copy, and "0% copied" every day would bury the real news.
 */
export function copiesExpected(report: SummaryReport): boolean {
  return report.copy.total > 0 || report.copyCoverage.copied > 0;
}

/** Failed, expired, aborted and partial jobs, missed backups and copy gaps. */
export function badNews(report: SummaryReport): BadNews {
  const failedBackups = problemsOf(report.backup);
  const failedCopies = problemsOf(report.copy);
  const failedRestores = problemsOf(report.restore);
  return {
    failedJobs: failedBackups + failedCopies + failedRestores,
    failedBackups,
    failedCopies,
    failedRestores,
    completedWithIssues: report.backup.completedWithIssues,
    silentMisses: report.silentMisses.items.length + report.silentMisses.more,
    uncopied: copiesExpected(report) ? report.copyCoverage.recoveryPoints - report.copyCoverage.copied : 0,
    silentAccounts: report.accounts?.wentSilent ?? 0,
    neverRan: report.neverRan
      ? report.neverRan.rules.items.length +
        report.neverRan.rules.more +
        report.neverRan.plansWithoutSelection.items.length +
        report.neverRan.plansWithoutSelection.more
      : 0,
  };
}

/** `all-green` only when everything was listed and nothing failed, went missing or stayed uncopied. */
/** How many scans need a person: failed ones and ones that found threats (functions/post-summary/scans.ts). */
export function scanNews(scans: ScanTotals | undefined): number {
  return scans
    ? scans.failed.items.length + scans.failed.more + scans.threatsFound.items.length + scans.threatsFound.more
    : 0;
}

export function verdictOf(report: SummaryReport): Verdict {
  if (!report.complete) return 'incomplete';
  const news = badNews(report);
  const total =
    news.failedJobs +
    news.completedWithIssues +
    news.silentMisses +
    news.uncopied +
    news.neverRan +
    news.silentAccounts;
  return total + scanNews(report.scans) === 0 ? 'all-green' : 'attention';
}

/** `2026-05-04 08:00 UTC`. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `24 h to 2026-05-04 08:00 UTC`. */
export function windowLabel(report: SummaryReport): string {
  return `${report.window.hours} h to ${formatTime(report.window.until)}`;
}

/** `account 111122223333, eu-west-1` or `organization (from 111122223333), eu-west-1, us-east-1`. */
export function scopeLabel(report: SummaryReport): string {
  const who =
    report.scope.kind === 'organization'
      ? `organization (from ${report.scope.accountId})`
      : `account ${report.scope.accountId}`;
  return `${who}, ${report.scope.regions.join(', ')}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `1 backup`, `3 copies`. */
export function jobsOf(kind: JobKind, n: number): string {
  return plural(n, kind, kind === 'copy' ? 'copies' : `${kind}s`);
}

/** Bytes in binary units, one decimal: `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A share, rounded down so 99.96% never reads as 100%: `99.9%`. */
export function formatRatio(ratio: number): string {
  const tenths = Math.floor(ratio * 1000) / 10;
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`;
}

/** States in reading order: problems first, COMPLETED last. */
export function orderedStates(byState: Readonly<Record<string, number>>): [string, number][] {
  const rank = (state: string): number => {
    const i = (STATE_ORDER as readonly string[]).indexOf(state);
    return i === -1 ? STATE_ORDER.length : i;
  };
  return Object.entries(byState)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** `120 backups: 6 failed, 2 expired, 110 completed (3 with issues), 2.0 GiB`. */
export function kindLine(
  kind: JobKind,
  totals: KindTotals,
  reportScope: SummaryReport['scope']['kind'],
  completedWithIssues?: number,
): string {
  // In an organization summary, copy and restore figures may be this account's only: say which.
  const scope =
    totals.scope === 'organization'
      ? ', organization-wide'
      : reportScope === 'organization'
        ? ', this account only'
        : '';
  if (totals.total === 0) return `${jobsOf(kind, 0)}${scope}`;
  const states = orderedStates(totals.byState).map(([state, n]) => {
    const issues = state === 'COMPLETED' && completedWithIssues ? ` (${completedWithIssues} with issues)` : '';
    return `${n} ${state.toLowerCase()}${issues}`;
  });
  const bytes = totals.bytes > 0 ? `, ${formatBytes(totals.bytes)}` : '';
  return `${jobsOf(kind, totals.total)}: ${states.join(', ')}${bytes}${scope}`;
}

/**
 * Missing parts the headline names; the rest are counted. A refused GetBackupPlan is one part per
 * plan and Region, so hundreds are possible (the role lacking one action): named in full, they made
 * a headline of tens of kilobytes, over Teams' 28 KB with any card and over what SNS takes. Each
 * renderer's "missing" section lists them, capped like its other lists.
 */
const HEADLINE_MISSING = 3;

/** The first line of every rendering (no emoji: each channel adds its own marker). */
export function headline(report: SummaryReport): string {
  const verdict = verdictOf(report);
  const news = badNews(report);
  if (verdict === 'all-green') {
    const { backup, copy, restore } = report;
    if (backup.total + copy.total + restore.total === 0) {
      return `All clear: no backup, copy or restore jobs and no missed backups in the ${windowLabel(report)}`;
    }
    return `All clear: ${jobsOf('backup', backup.total)}, ${jobsOf('copy', copy.total)} and ${jobsOf('restore', restore.total)}, none failed, in the ${windowLabel(report)}`;
  }
  const parts: string[] = [];
  if (news.failedJobs > 0) parts.push(`${plural(news.failedJobs, 'job')} failed`);
  if (news.silentMisses > 0) parts.push(`${plural(news.silentMisses, 'backup')} never ran`);
  if (news.silentAccounts > 0) parts.push(`${plural(news.silentAccounts, 'account')} went silent`);
  if (news.neverRan > 0) parts.push(`${plural(news.neverRan, 'plan rule')} created no job`);
  if (news.uncopied > 0) parts.push(`${plural(news.uncopied, 'recovery point')} not copied`);
  if (news.completedWithIssues > 0) parts.push(`${plural(news.completedWithIssues, 'backup')} completed with issues`);
  if (verdict === 'incomplete') {
    const named = report.missing.slice(0, HEADLINE_MISSING).map((m) => `${m.what} in ${m.region}`);
    const rest = report.missing.length - named.length;
    const what = rest > 0 ? `${named.join('; ')}; ${andMore(rest)}` : named.join('; ');
    const found = parts.length > 0 ? parts.join(', ') : 'nothing wrong in what could be listed';
    return `Incomplete summary (could not read ${what}): ${found}`;
  }
  return `Needs attention: ${parts.join(', ')}`;
}

/**
 * SNS email subject: one ASCII line. Where and when come first and the news worst first, so when
 * SNS's 100 characters cut it (shared/notify trims), the least important part goes.
 */
export function subjectOf(report: SummaryReport): string {
  const news = badNews(report);
  const day = report.window.until.slice(0, 10);
  const regions =
    report.scope.regions.length === 1 ? report.scope.regions[0] : `${report.scope.regions.length} Regions`;
  const verdict = verdictOf(report);
  const prefix = `${verdict === 'incomplete' ? 'INCOMPLETE backups' : 'Backups'} ${day} [${report.scope.accountId} ${regions}]`;
  if (verdict === 'all-green') return `${prefix}: all clear`;
  const parts: string[] = [];
  if (news.failedJobs > 0) parts.push(`${news.failedJobs} failed`);
  if (news.silentMisses > 0) parts.push(`${news.silentMisses} missed`);
  if (news.silentAccounts > 0) parts.push(`${plural(news.silentAccounts, 'account')} silent`);
  if (news.neverRan > 0) parts.push(`${plural(news.neverRan, 'rule')} never ran`);
  if (news.uncopied > 0) parts.push(`${news.uncopied} not copied`);
  if (news.completedWithIssues > 0) parts.push(`${news.completedWithIssues} with issues`);
  return `${prefix}: ${parts.length > 0 ? parts.join(', ') : 'no failures listed'}`;
}

/** At most `max` items of a capped list, and how many are left out in all. */
export function shown<T>(list: Capped<T>, max: number): { items: readonly T[]; more: number } {
  const items = list.items.slice(0, Math.max(0, max));
  return { items, more: list.items.length - items.length + list.more };
}

/** `and 12 more`. */
export function andMore(n: number): string {
  return `and ${n} more`;
}

/** Change against the previous window: `failed 6 (was 1)` per kind, only where something changed. */
export function comparisonLine(report: SummaryReport): string | undefined {
  const previous = report.previous;
  if (!previous) return undefined;
  const parts = (['backup', 'copy', 'restore'] as const).flatMap((kind) => {
    const now = report[kind];
    const before = previous[kind];
    const failedNow = problemsOf(now);
    const failedBefore = problemsOf(before);
    if (now.total === before.total && failedNow === failedBefore) return [];
    return [`${jobsOf(kind, now.total)} (was ${before.total}), ${failedNow} failed (was ${failedBefore})`];
  });
  const label = `Previous ${report.window.hours} h`;
  return parts.length === 0 ? `${label}: the same counts` : `${label}: ${parts.join('; ')}`;
}

/** Failed (FAILED, EXPIRED, ABORTED, PARTIAL) backup jobs per day, oldest first: `0 0 1 0 3`. */
export function trendLine(report: SummaryReport): string | undefined {
  const trend = report.trend;
  if (!trend || trend.days.length === 0) return undefined;
  const failed = trend.days.map((d) => PROBLEM_STATES.reduce((sum, s) => sum + (d.byState[s] ?? 0), 0));
  const first = trend.days[0]?.date ?? '';
  const last = trend.days[trend.days.length - 1]?.date ?? '';
  return `Failed backup jobs per day, ${first} to ${last}: ${failed.join(' ')}`;
}

/** The three totals lines, backups first. */
export function totalsLines(report: SummaryReport): [string, string, string] {
  return [
    kindLine('backup', report.backup, report.scope.kind, report.backup.completedWithIssues),
    kindLine('copy', report.copy, report.scope.kind),
    kindLine('restore', report.restore, report.scope.kind),
  ];
}

/** What the toolkit did, in one line. */
export function toolkitLine(report: SummaryReport): string | undefined {
  const t = report.toolkit;
  if (!t) return undefined;
  const r = t.retries;
  const retries =
    r.scheduled + r.started === 0
      ? 'no retries'
      : `${plural(r.started, 'retry', 'retries')} started (${r.succeeded} succeeded, ${r.failed} failed), ${r.scheduled} scheduled, ${r.exhausted} gave up, ${r.alerted} alerted`;
  const copies = `${plural(t.copies.started, 'copy', 'copies')} started${t.copies.failedToStart > 0 ? `, ${t.copies.failedToStart} refused by AWS Backup` : ''}`;
  return `This toolkit: ${retries}; ${copies}`;
}

/** `Copy coverage: 80% (8 of 10 recovery points copied)`; undefined with no recovery points or no copying. */
export function coverageLine(report: SummaryReport): string | undefined {
  const c = report.copyCoverage;
  if (c.ratio === null || !copiesExpected(report)) return undefined;
  const scope = report.scope.kind === 'organization' ? ', this account only' : '';
  return `Copy coverage: ${formatRatio(c.ratio)} (${c.copied} of ${plural(c.recoveryPoints, 'recovery point')} copied${scope})`;
}

/** The last segment of an ARN, which people recognise (`vol-0abc`, `db-1`). */
export function shortResource(arn: string | undefined): string {
  if (!arn) return 'unknown resource';
  const tail = arn.split(':').slice(5).join(':');
  const slash = tail.lastIndexOf('/');
  return slash >= 0 ? tail.slice(slash + 1) : tail || arn;
}

/** `EBS vol-0abc`: the resource type and the short resource name. */
export function resourceLabel(resourceType: string | undefined, arn: string | undefined): string {
  return [resourceType, shortResource(arn)].filter(Boolean).join(' ');
}

/**
 * `plan daily-prod, rule nightly`: the plan and rule that created a listed job, as far as its
 * record names them; undefined when it names neither.
 */
export function createdByLabel(job: { readonly planName?: string; readonly ruleName?: string }): string | undefined {
  return (
    [job.planName && `plan ${job.planName}`, job.ruleName && `rule ${job.ruleName}`].filter(Boolean).join(', ') ||
    undefined
  );
}

/** A status message on one line, at most `max` characters. */
export function oneLine(text: string | undefined, max = 200): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
