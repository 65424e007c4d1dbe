import {
  type AggregationPeriod,
  type BackupClient,
  type BackupJobStatus,
  type BackupJobSummary,
  paginateListBackupJobSummaries,
} from '@aws-sdk/client-backup';
import { ValidationError } from '../errors.js';
import { compact } from '../objects.js';
import type { ListOptions } from './filters.js';
import { checkPageSize, pageItems } from './pages.js';

/** List*JobSummaries accept MaxResults 1..500 (not 1000 like the job lists: service model). */
export const MAX_SUMMARY_PAGE_SIZE = 500;

/**
 * A job-summaries query. AWS aggregates over fixed UTC periods only: `ONE_DAY` gives daily counts
 * for the prior 14 days; figures stop at the last 00:00 UTC and refresh around 01:30-02:30 UTC
 * (backup-dashboards), so they suit trends, not "the last 24 hours".
 */
export interface JobSummaryQuery<TState extends string> {
  readonly period: AggregationPeriod;
  /** A 12-digit account id, or `ANY` / `AGGREGATE_ALL` from the management or delegated administrator account. */
  readonly accountId?: string;
  readonly state?: TState;
  readonly resourceType?: string;
  readonly messageCategory?: string;
}

const PERIODS: readonly string[] = ['ONE_DAY', 'SEVEN_DAYS', 'FOURTEEN_DAYS'];

function check(query: JobSummaryQuery<string>, options: ListOptions): void {
  if (!PERIODS.includes(query.period)) {
    throw new ValidationError('period', query.period, `must be one of ${PERIODS.join(', ')}`);
  }
  const { accountId } = query;
  if (accountId !== undefined && !/^\d{12}$/.test(accountId) && accountId !== 'ANY' && accountId !== 'AGGREGATE_ALL') {
    throw new ValidationError('accountId', accountId, 'must be a 12-digit account id, ANY or AGGREGATE_ALL');
  }
  checkPageSize(options.pageSize, MAX_SUMMARY_PAGE_SIZE);
}

function toInput<S extends string>(query: JobSummaryQuery<S>) {
  return compact({
    AggregationPeriod: query.period,
    AccountId: query.accountId,
    State: query.state,
    ResourceType: query.resourceType,
    MessageCategory: query.messageCategory,
  });
}

/** Daily (or 7/14-day) counts of backup jobs by state, resource type and message category. */
export function listBackupJobSummaries(
  client: BackupClient,
  query: JobSummaryQuery<BackupJobStatus>,
  options: ListOptions = {},
): AsyncIterable<BackupJobSummary> {
  check(query, options);
  const pageSize = options.pageSize ?? MAX_SUMMARY_PAGE_SIZE;
  return pageItems(
    'ListBackupJobSummaries',
    () => paginateListBackupJobSummaries({ client, pageSize }, toInput(query), { abortSignal: options.signal }),
    (page) => page.BackupJobSummaries,
  );
}
