import type {
  BackupJobState,
  CopyJobState,
  ListBackupJobsCommandInput,
  ListCopyJobsCommandInput,
  ListRestoreJobsCommandInput,
  RestoreJobStatus,
} from '@aws-sdk/client-backup';
import { ValidationError } from '../errors.js';
import { BACKUP_JOB_STATES, COPY_JOB_STATES, RESTORE_JOB_STATUSES } from '../events/types.js';
import { compact } from '../objects.js';
import { DAY_MS } from '../time.js';
import { isArn } from './arn.js';
import { checkPageSize } from './pages.js';

/**
 * ListBackupJobs' filters, all 11 the API documents, under idiomatic names. Times are `Date`s.
 * `accountId: '*'` lists every account of the organization (management account or delegated
 * administrator, cross-account monitoring enabled, per Region).
 */
export interface BackupJobFilter {
  readonly state?: BackupJobState;
  readonly resourceArn?: string;
  /** AWS Backup's names, e.g. `EBS`, `Aurora`, `Storage Gateway` (not checked against the model's pattern, which rejects documented values). */
  readonly resourceType?: string;
  readonly vaultName?: string;
  readonly accountId?: string;
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
  readonly completedAfter?: Date;
  readonly completedBefore?: Date;
  readonly parentJobId?: string;
  /** e.g. `SUCCESS`, `ACCESS_DENIED`; `AGGREGATE_ALL` and `ANY` as AWS documents. */
  readonly messageCategory?: string;
}

/** ListCopyJobs' filters: no vault-name filter (the API has none), but destination vault and source recovery point. */
export interface CopyJobFilter {
  readonly state?: CopyJobState;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly destinationVaultArn?: string;
  readonly sourceRecoveryPointArn?: string;
  /** A 12-digit account id (`*` is documented for backup jobs only). */
  readonly accountId?: string;
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
  readonly completedAfter?: Date;
  readonly completedBefore?: Date;
  readonly parentJobId?: string;
  readonly messageCategory?: string;
}

/** ListRestoreJobs' filters. */
export interface RestoreJobFilter {
  readonly status?: RestoreJobStatus;
  readonly accountId?: string;
  readonly resourceType?: string;
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
  readonly completedAfter?: Date;
  readonly completedBefore?: Date;
  readonly restoreTestingPlanArn?: string;
  readonly parentJobId?: string;
}

/** Paging and cancellation of a list call. */
export interface ListOptions {
  /** MaxResults per page, 1..1000 (the service rejects others; the SDK does not check). Default 1000. */
  readonly pageSize?: number;
  /** Aborts in-flight calls (pass the middy signal armed before Lambda's timeout). */
  readonly signal?: AbortSignal;
  /** The clock the 30-day check uses (tests inject it). */
  readonly now?: Date;
}

/** Default and largest page size of the List*Jobs calls. */
export const MAX_PAGE_SIZE = 1000;

/** ListBackupJobs "returns a list of existing backup jobs ... for the last 30 days". */
export const BACKUP_JOBS_RETENTION_DAYS = 30;

/** Validation shared by every list: page size, dates, ranges, account id. Throws before any call. */
export function checkCommon(
  filter: {
    accountId?: string;
    createdAfter?: Date;
    createdBefore?: Date;
    completedAfter?: Date;
    completedBefore?: Date;
    resourceType?: string;
    parentJobId?: string;
  },
  options: ListOptions,
  allowAllAccounts: boolean,
): void {
  checkPageSize(options.pageSize, MAX_PAGE_SIZE);
  for (const key of ['createdAfter', 'createdBefore', 'completedAfter', 'completedBefore'] as const) {
    const value = filter[key];
    if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) {
      throw new ValidationError(key, value, 'must be a valid Date');
    }
  }
  const ordered = (after: 'createdAfter' | 'completedAfter', before: 'createdBefore' | 'completedBefore') => {
    const a = filter[after];
    const b = filter[before];
    if (a && b && a.getTime() >= b.getTime()) {
      throw new ValidationError(after, a.toISOString(), `must be before ${before} (${b.toISOString()})`);
    }
  };
  ordered('createdAfter', 'createdBefore');
  ordered('completedAfter', 'completedBefore');
  const { accountId } = filter;
  if (accountId !== undefined && !/^\d{12}$/.test(accountId) && !(allowAllAccounts && accountId === '*')) {
    throw new ValidationError(
      'accountId',
      accountId,
      allowAllAccounts ? "must be a 12-digit account id or '*' (organization-wide)" : 'must be a 12-digit account id',
    );
  }
  for (const key of ['resourceType', 'parentJobId'] as const) {
    const value = filter[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '' || value.length > 1024)) {
      throw new ValidationError(key, value, 'must be a non-empty string');
    }
  }
}

/** Throws a ValidationError naming `field` unless `value` is absent or one of `allowed`. */
export function checkOneOf(field: string, value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw new ValidationError(field, value, `must be one of ${allowed.join(', ')}`);
  }
}

/** Throws a ValidationError naming `field` unless `value` is absent or an ARN. */
export function checkArn(field: string, value: string | undefined): void {
  if (value !== undefined && !isArn(value)) throw new ValidationError(field, value, 'must be an ARN');
}

/** Throws a ValidationError naming `field` unless `value` is absent or a non-empty string of at most 1024 characters. */
export function checkName(field: string, value: string | undefined): void {
  if (value !== undefined && (typeof value !== 'string' || value.trim() === '' || value.length > 1024)) {
    throw new ValidationError(field, value, 'must be a non-empty string');
  }
}

/**
 * Maps a {@link BackupJobFilter} to ListBackupJobs' input after validating it: a window starting
 * more than 30 days back is an error, because ListBackupJobs silently returns nothing older.
 */
export function toListBackupJobsInput(filter: BackupJobFilter, options: ListOptions = {}): ListBackupJobsCommandInput {
  checkCommon(filter, options, true);
  checkOneOf('state', filter.state, BACKUP_JOB_STATES);
  checkArn('resourceArn', filter.resourceArn);
  checkName('vaultName', filter.vaultName);
  checkName('messageCategory', filter.messageCategory);
  const oldest = (options.now ?? new Date()).getTime() - BACKUP_JOBS_RETENTION_DAYS * DAY_MS;
  for (const key of ['createdAfter', 'completedAfter'] as const) {
    const value = filter[key];
    if (value && value.getTime() < oldest) {
      throw new ValidationError(
        key,
        value.toISOString(),
        `is more than ${BACKUP_JOBS_RETENTION_DAYS} days back: ListBackupJobs only covers the last ${BACKUP_JOBS_RETENTION_DAYS} days`,
      );
    }
  }
  return compact({
    ByState: filter.state,
    ByResourceArn: filter.resourceArn,
    ByResourceType: filter.resourceType,
    ByBackupVaultName: filter.vaultName,
    ByAccountId: filter.accountId,
    ByCreatedAfter: filter.createdAfter,
    ByCreatedBefore: filter.createdBefore,
    ByCompleteAfter: filter.completedAfter,
    ByCompleteBefore: filter.completedBefore,
    ByParentJobId: filter.parentJobId,
    ByMessageCategory: filter.messageCategory,
  });
}

/** Maps a {@link CopyJobFilter} to ListCopyJobs' input after validating it. */
export function toListCopyJobsInput(filter: CopyJobFilter, options: ListOptions = {}): ListCopyJobsCommandInput {
  checkCommon(filter, options, false);
  checkOneOf('state', filter.state, COPY_JOB_STATES);
  checkArn('resourceArn', filter.resourceArn);
  checkArn('destinationVaultArn', filter.destinationVaultArn);
  checkArn('sourceRecoveryPointArn', filter.sourceRecoveryPointArn);
  checkName('messageCategory', filter.messageCategory);
  return compact({
    ByState: filter.state,
    ByResourceArn: filter.resourceArn,
    ByResourceType: filter.resourceType,
    ByDestinationVaultArn: filter.destinationVaultArn,
    BySourceRecoveryPointArn: filter.sourceRecoveryPointArn,
    ByAccountId: filter.accountId,
    ByCreatedAfter: filter.createdAfter,
    ByCreatedBefore: filter.createdBefore,
    ByCompleteAfter: filter.completedAfter,
    ByCompleteBefore: filter.completedBefore,
    ByParentJobId: filter.parentJobId,
    ByMessageCategory: filter.messageCategory,
  });
}

/** Maps a {@link RestoreJobFilter} to ListRestoreJobs' input after validating it. */
export function toListRestoreJobsInput(
  filter: RestoreJobFilter,
  options: ListOptions = {},
): ListRestoreJobsCommandInput {
  checkCommon(filter, options, false);
  checkOneOf('status', filter.status, RESTORE_JOB_STATUSES);
  checkArn('restoreTestingPlanArn', filter.restoreTestingPlanArn);
  return compact({
    ByStatus: filter.status,
    ByAccountId: filter.accountId,
    ByResourceType: filter.resourceType,
    ByCreatedAfter: filter.createdAfter,
    ByCreatedBefore: filter.createdBefore,
    ByCompleteAfter: filter.completedAfter,
    ByCompleteBefore: filter.completedBefore,
    ByRestoreTestingPlanArn: filter.restoreTestingPlanArn,
    ByParentJobId: filter.parentJobId,
  });
}
