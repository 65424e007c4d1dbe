/**
 * Malware scan jobs (AWS Backup with GuardDuty): ListScanJobs, DescribeScanJob and
 * ListScanJobSummaries, validated like the other job lists before any call (filters.ts).
 * Names and shapes from the service model (sandbox/backup/model/service-2.json): ListScanJobs has
 * no creation-date filter, only completion dates, and "returns a list of existing scan jobs ... for
 * the last 30 days" (API_ListScanJobs).
 */
import {
  type BackupClient,
  DescribeScanJobCommand,
  type DescribeScanJobOutput,
  type ListScanJobSummariesCommandInput,
  type ListScanJobsCommandInput,
  paginateListScanJobSummaries,
  paginateListScanJobs,
  type ScanJob,
  type ScanJobSummary,
} from '@aws-sdk/client-backup';
import { ValidationError } from '../errors.js';
import { SCAN_JOB_STATES, SCAN_RESULT_STATUSES, type ScanJobState, type ScanResultStatus } from '../events/types.js';
import { compact } from '../objects.js';
import { DAY_MS } from '../time.js';
import { toBackupApiError } from './errors.js';
import {
  BACKUP_JOBS_RETENTION_DAYS,
  checkArn,
  checkCommon,
  checkName,
  checkOneOf,
  type ListOptions,
  MAX_PAGE_SIZE,
} from './filters.js';
import { checkPageSize, pageItems } from './pages.js';
import { type JobSummaryQuery, MAX_SUMMARY_PAGE_SIZE } from './summaries.js';

/** The malware scanners AWS documents ("Currently only GUARDDUTY is supported": API_ScanJob). */
export const MALWARE_SCANNERS = ['GUARDDUTY'] as const;

/** The resource types a scan job may be of (model shape ScanResourceType). */
export const SCAN_RESOURCE_TYPES = ['EBS', 'EC2', 'S3'] as const;

/**
 * ListScanJobs' filters, all 10 the API documents, under the names the other job filters use.
 * `accountId: '*'` lists every account of the organization from its management account.
 */
export interface ScanJobFilter {
  readonly state?: ScanJobState;
  readonly scanResultStatus?: ScanResultStatus;
  readonly malwareScanner?: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly recoveryPointArn?: string;
  readonly vaultName?: string;
  readonly accountId?: string;
  readonly completedAfter?: Date;
  readonly completedBefore?: Date;
}

/** Maps a {@link ScanJobFilter} to ListScanJobs' input after validating it (throws a ValidationError naming the field). */
export function toListScanJobsInput(filter: ScanJobFilter, options: ListOptions = {}): ListScanJobsCommandInput {
  checkCommon(filter, options, true);
  checkOneOf('state', filter.state, SCAN_JOB_STATES);
  checkOneOf('scanResultStatus', filter.scanResultStatus, SCAN_RESULT_STATUSES);
  checkOneOf('malwareScanner', filter.malwareScanner, MALWARE_SCANNERS);
  checkOneOf('resourceType', filter.resourceType, SCAN_RESOURCE_TYPES);
  checkArn('resourceArn', filter.resourceArn);
  checkArn('recoveryPointArn', filter.recoveryPointArn);
  checkName('vaultName', filter.vaultName);
  // ListScanJobs, like ListBackupJobs, covers the last 30 days and silently returns nothing older.
  const oldest = (options.now ?? new Date()).getTime() - BACKUP_JOBS_RETENTION_DAYS * DAY_MS;
  if (filter.completedAfter && filter.completedAfter.getTime() < oldest) {
    throw new ValidationError(
      'completedAfter',
      filter.completedAfter.toISOString(),
      `is more than ${BACKUP_JOBS_RETENTION_DAYS} days back: ListScanJobs only covers the last ${BACKUP_JOBS_RETENTION_DAYS} days`,
    );
  }
  return compact({
    ByState: filter.state,
    ByScanResultStatus: filter.scanResultStatus,
    ByMalwareScanner: filter.malwareScanner as ListScanJobsCommandInput['ByMalwareScanner'],
    ByResourceArn: filter.resourceArn,
    ByResourceType: filter.resourceType as ListScanJobsCommandInput['ByResourceType'],
    ByRecoveryPointArn: filter.recoveryPointArn,
    ByBackupVaultName: filter.vaultName,
    ByAccountId: filter.accountId,
    ByCompleteAfter: filter.completedAfter,
    ByCompleteBefore: filter.completedBefore,
  });
}

/**
 * Lists scan jobs matching `filter`, page by page (1000 a page by default), as an async iterable.
 * Throws a ValidationError at once, before any call, for a bad filter; API failures surface as
 * BackupApiError.
 *
 * @example for await (const scan of listScanJobs(client, { state: 'FAILED', completedAfter })) …
 */
export function listScanJobs(
  client: BackupClient,
  filter: ScanJobFilter = {},
  options: ListOptions = {},
): AsyncIterable<ScanJob> {
  const input = toListScanJobsInput(filter, options);
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  return pageItems(
    'ListScanJobs',
    () => paginateListScanJobs({ client, pageSize }, { ...input }, { abortSignal: options.signal }),
    (page) => page.ScanJobs,
  );
}

/** DescribeScanJob: the scan job in the caller's account and Region (state, result, vault, plan, roles). */
export async function describeScanJob(
  client: BackupClient,
  scanJobId: string,
  signal?: AbortSignal,
): Promise<DescribeScanJobOutput> {
  if (typeof scanJobId !== 'string' || scanJobId.trim() === '' || scanJobId.length > 2048) {
    throw new ValidationError('scanJobId', scanJobId, 'must be a non-empty string');
  }
  try {
    return await client.send(new DescribeScanJobCommand({ ScanJobId: scanJobId }), { abortSignal: signal });
  } catch (error) {
    throw toBackupApiError('DescribeScanJob', error);
  }
}

/** The states ListScanJobSummaries counts by (model shape ScanJobStatus: the job states, plus ANY and AGGREGATE_ALL). */
const SUMMARY_STATES: readonly string[] = [...SCAN_JOB_STATES, 'ANY', 'AGGREGATE_ALL'];

/** A scan-job summaries query: the common summary query, plus the scanner and the result. */
export interface ScanJobSummaryQuery extends Omit<JobSummaryQuery<string>, 'messageCategory'> {
  readonly malwareScanner?: string;
  readonly scanResultStatus?: ScanResultStatus;
}

const PERIODS: readonly string[] = ['ONE_DAY', 'SEVEN_DAYS', 'FOURTEEN_DAYS'];

/**
 * Daily (or 7/14-day) counts of scan jobs by state, resource type, scanner and result, over fixed
 * UTC periods like the other job summaries (summaries.ts): suited to trends, not to "the last 24
 * hours". Validated before any call.
 */
export function listScanJobSummaries(
  client: BackupClient,
  query: ScanJobSummaryQuery,
  options: ListOptions = {},
): AsyncIterable<ScanJobSummary> {
  if (!PERIODS.includes(query.period)) {
    throw new ValidationError('period', query.period, `must be one of ${PERIODS.join(', ')}`);
  }
  const { accountId } = query;
  if (accountId !== undefined && !/^\d{12}$/.test(accountId) && accountId !== 'ANY' && accountId !== 'AGGREGATE_ALL') {
    throw new ValidationError('accountId', accountId, 'must be a 12-digit account id, ANY or AGGREGATE_ALL');
  }
  checkOneOf('state', query.state, SUMMARY_STATES);
  checkOneOf('malwareScanner', query.malwareScanner, [...MALWARE_SCANNERS, 'ANY', 'AGGREGATE_ALL']);
  checkOneOf('scanResultStatus', query.scanResultStatus, SCAN_RESULT_STATUSES);
  checkName('resourceType', query.resourceType);
  checkPageSize(options.pageSize, MAX_SUMMARY_PAGE_SIZE);
  const input: ListScanJobSummariesCommandInput = compact({
    AggregationPeriod: query.period,
    AccountId: query.accountId,
    State: query.state as ListScanJobSummariesCommandInput['State'],
    ResourceType: query.resourceType,
    MalwareScanner: query.malwareScanner as ListScanJobSummariesCommandInput['MalwareScanner'],
    ScanResultStatus: query.scanResultStatus,
  });
  const pageSize = options.pageSize ?? MAX_SUMMARY_PAGE_SIZE;
  return pageItems(
    'ListScanJobSummaries',
    () => paginateListScanJobSummaries({ client, pageSize }, { ...input }, { abortSignal: options.signal }),
    (page) => page.ScanJobSummaries,
  );
}
