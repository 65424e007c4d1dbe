/**
 * List{Backup,Copy,Restore,Scan}JobSummaries: job counts over fixed UTC periods (API_ListBackupJobSummaries:
 * ONE_DAY = "the daily job count for the prior 14 days", SEVEN_DAYS and FOURTEEN_DAYS one
 * aggregate each), ending at the last 00:00 UTC (backup-dashboards: the data "stops at the last
 * 00:00 UTC"). Jobs count in the period of their CreationDate and are grouped by Region, AccountId,
 * State, ResourceType and (backup and copy only) MessageCategory, as the BackupJobSummary,
 * CopyJobSummary and RestoreJobSummary shapes say; scan jobs by MalwareScanner and ScanResultStatus
 * instead of MessageCategory (ScanJobSummary). A filter value of ANY groups by that member
 * (the default), AGGREGATE_ALL sums over it and reports `AGGREGATE_ALL` in its place.
 */

const DAY = 86_400_000;

export type AggregationPeriod = 'ONE_DAY' | 'SEVEN_DAYS' | 'FOURTEEN_DAYS';

/** One job as a summary counts it. */
export interface Countable {
  readonly region: string;
  readonly account: string;
  readonly state: string;
  readonly resourceType?: string;
  readonly messageCategory?: string;
  readonly malwareScanner?: string;
  readonly scanResultStatus?: string;
  readonly createdMs: number;
}

export interface SummaryQuery {
  readonly AggregationPeriod?: string;
  /** After the caller's scope: a 12-digit id, ANY or AGGREGATE_ALL. */
  readonly AccountId?: string;
  readonly State?: string;
  readonly ResourceType?: string;
  readonly MessageCategory?: string;
  readonly MalwareScanner?: string;
  readonly ScanResultStatus?: string;
}

export interface SummaryRow {
  Region: string;
  AccountId?: string;
  State?: string;
  ResourceType?: string;
  MessageCategory?: string;
  MalwareScanner?: string;
  ScanResultStatus?: string;
  Count: number;
  StartTime: Date;
  EndTime: Date;
}

/** The periods of an aggregation at `now`, oldest first. The default period (none given) is ONE_DAY. */
export const periodsOf = (period: string | undefined, now: number): { start: number; end: number }[] => {
  const midnight = Math.floor(now / DAY) * DAY;
  if (period === 'SEVEN_DAYS') return [{ start: midnight - 7 * DAY, end: midnight }];
  if (period === 'FOURTEEN_DAYS') return [{ start: midnight - 14 * DAY, end: midnight }];
  return Array.from({ length: 14 }, (_, i) => ({ start: midnight - (14 - i) * DAY, end: midnight - (13 - i) * DAY }));
};

type Dimension = 'AccountId' | 'State' | 'ResourceType' | 'MessageCategory' | 'MalwareScanner' | 'ScanResultStatus';

/** For one dimension: keep the job when it passes the filter, and the value it is grouped under. */
const dimension = (wanted: string | undefined, value: string | undefined): { keep: boolean; group?: string } => {
  if (wanted === undefined || wanted === 'ANY') return { keep: true, ...(value === undefined ? {} : { group: value }) };
  if (wanted === 'AGGREGATE_ALL') return { keep: true, group: 'AGGREGATE_ALL' };
  return { keep: value === wanted, group: wanted };
};

/** Counts `jobs` for `query` at `now`, sorted by period then the grouped values. */
export const summarize = (
  jobs: readonly Countable[],
  query: SummaryQuery,
  now: number,
  withMessageCategory: boolean,
  withScan = false,
): SummaryRow[] => {
  const rows = new Map<string, SummaryRow>();
  const periods = periodsOf(query.AggregationPeriod, now);
  for (const job of jobs) {
    const period = periods.find((p) => job.createdMs >= p.start && job.createdMs < p.end);
    if (!period) continue;
    const dims: [Dimension, { keep: boolean; group?: string }][] = [
      ['AccountId', dimension(query.AccountId, job.account)],
      ['State', dimension(query.State, job.state)],
      ['ResourceType', dimension(query.ResourceType, job.resourceType)],
    ];
    if (withMessageCategory) dims.push(['MessageCategory', dimension(query.MessageCategory, job.messageCategory)]);
    if (withScan) {
      dims.push(['MalwareScanner', dimension(query.MalwareScanner, job.malwareScanner)]);
      dims.push(['ScanResultStatus', dimension(query.ScanResultStatus, job.scanResultStatus)]);
    }
    if (dims.some(([, d]) => !d.keep)) continue;
    const key = [period.start, job.region, ...dims.map(([, d]) => d.group ?? '')].join('|');
    const row = rows.get(key);
    if (row) {
      row.Count += 1;
      continue;
    }
    const fresh: SummaryRow = {
      Region: job.region,
      Count: 1,
      StartTime: new Date(period.start),
      EndTime: new Date(period.end),
    };
    for (const [name, d] of dims) if (d.group !== undefined) fresh[name] = d.group;
    rows.set(key, fresh);
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, row]) => row);
};
