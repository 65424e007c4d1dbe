/**
 * Malware scans (AWS Backup with GuardDuty) in the summary: counts by state and by result, and the
 * scans a person must look at (failed, or found threats), capped like the other lists.
 *
 * Counted from ListScanJobs, not ListScanJobSummaries: the summaries aggregate over fixed UTC days
 * that stop at the last 00:00 UTC (like the other job summaries, summaries.ts), while this window is
 * any length ending now. ListScanJobs has no creation-date filter, only completion dates
 * (API_ListScanJobs), so the window counts the scans that finished in it; a scan still running is
 * counted the day it ends.
 */
import type { ScanJob } from '../../shared/backup/index.js';
import { protectedResourceLink } from '../../shared/console-links.js';
import { TopN } from './capped.js';
import { andMore, formatTime, oneLine, resourceLabel, shown } from './format.js';
import type { Capped } from './report.js';

/** One scan a person should look at. */
export interface ScanListed {
  readonly scanJobId: string;
  readonly state: string;
  readonly scanResultStatus?: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly vault?: string;
  readonly region: string;
  readonly accountId?: string;
  readonly completedAt?: string;
  readonly statusMessage?: string;
  /** The protected resource's console page (AWS documents no console address for a scan job). */
  readonly link?: string;
}

/** The scans of the window. */
export interface ScanTotals {
  /** Scans that finished in the window. */
  readonly total: number;
  /** By final state (COMPLETED, COMPLETED_WITH_ISSUES, FAILED, CANCELED). */
  readonly byState: Readonly<Record<string, number>>;
  /** By result of the finished scans (THREATS_FOUND, NO_THREATS_FOUND); scans without a result are not counted here. */
  readonly byResult: Readonly<Record<string, number>>;
  readonly failed: Capped<ScanListed>;
  readonly threatsFound: Capped<ScanListed>;
}

function sorted(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

function listed(job: ScanJob, region: string): ScanListed {
  const item = {
    scanJobId: job.ScanJobId ?? 'unknown',
    state: job.State ?? 'unknown',
    scanResultStatus: job.ScanResult?.ScanResultStatus,
    resourceArn: job.ResourceArn,
    resourceType: job.ResourceType,
    vault: job.BackupVaultName,
    region,
    accountId: job.AccountId,
    completedAt: job.CompletionDate?.toISOString(),
    statusMessage: job.StatusMessage,
    link: job.ResourceArn ? protectedResourceLink(region, job.ResourceArn) : undefined,
  };
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as unknown as ScanListed;
}

/** Newest first, then by id, so the kept items never depend on listing order. */
function newestFirst(a: [number, string], b: [number, string]): number {
  return b[0] - a[0] || a[1].localeCompare(b[1]);
}

/** Streams scan jobs into the counts and the two capped lists; memory grows with the lists' cap only. */
export class ScanAggregate {
  readonly #byState = new Map<string, number>();
  readonly #byResult = new Map<string, number>();
  readonly #failed: TopN<[number, string], ScanListed>;
  readonly #threats: TopN<[number, string], ScanListed>;
  #total = 0;

  constructor(maxListed: number) {
    this.#failed = new TopN(maxListed, newestFirst);
    this.#threats = new TopN(maxListed, newestFirst);
  }

  add(job: ScanJob, region: string): void {
    this.#total += 1;
    const state = job.State ?? 'unknown';
    this.#byState.set(state, (this.#byState.get(state) ?? 0) + 1);
    const result = job.ScanResult?.ScanResultStatus;
    if (result) this.#byResult.set(result, (this.#byResult.get(result) ?? 0) + 1);
    const rank: [number, string] = [job.CompletionDate?.getTime() ?? 0, job.ScanJobId ?? ''];
    if (state === 'FAILED') this.#failed.offer(rank, () => listed(job, region));
    else if (result === 'THREATS_FOUND') this.#threats.offer(rank, () => listed(job, region));
  }

  result(): ScanTotals {
    return {
      total: this.#total,
      byState: sorted(this.#byState),
      byResult: sorted(this.#byResult),
      failed: this.#failed.result(),
      threatsFound: this.#threats.result(),
    };
  }
}

/** `12 scans: COMPLETED 10, FAILED 1, ...; results: NO_THREATS_FOUND 10, THREATS_FOUND 1`. */
export function scanTotalsLine(scans: ScanTotals): string {
  const states = Object.entries(scans.byState).map(([s, n]) => `${s} ${n}`);
  const results = Object.entries(scans.byResult).map(([s, n]) => `${s} ${n}`);
  return `${scans.total} scan${scans.total === 1 ? '' : 's'}${states.length ? `: ${states.join(', ')}` : ''}${results.length ? `; results: ${results.join(', ')}` : ''}`;
}

function itemLines(scan: ScanListed): string[] {
  return [
    `- ${[
      resourceLabel(scan.resourceType, scan.resourceArn),
      scan.vault && `vault ${scan.vault}`,
      scan.region,
      scan.completedAt && formatTime(scan.completedAt),
    ]
      .filter(Boolean)
      .join(', ')}`,
    ...(scan.statusMessage ? [`  ${oneLine(scan.statusMessage)}`] : []),
    ...(scan.link ? [`  ${scan.link}`] : []),
  ];
}

/**
 * The plain-text section's lines (empty when no scan finished): the totals, then the scans that
 * found threats and the failed ones, each list capped at `max`.
 */
export function scanTextLines(scans: ScanTotals | undefined, max: number): string[] {
  if (!scans || scans.total === 0) return [];
  const list = (title: string, capped: Capped<ScanListed>): string[] => {
    const { items, more } = shown(capped, max);
    if (items.length === 0) return [];
    return [title, ...items.flatMap(itemLines), ...(more > 0 ? [`- ${andMore(more)}`] : [])];
  };
  return [
    scanTotalsLine(scans),
    ...list(
      `Found threats (${scans.threatsFound.items.length + scans.threatsFound.more}): do not restore these until GuardDuty's findings are read`,
      scans.threatsFound,
    ),
    ...list(
      `Failed (${scans.failed.items.length + scans.failed.more}): these recovery points were not checked`,
      scans.failed,
    ),
  ];
}
