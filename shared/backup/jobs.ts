import {
  type BackupClient,
  type BackupJob,
  type CopyJob,
  paginateListBackupJobs,
  paginateListCopyJobs,
  paginateListRestoreJobs,
  type RestoreJobsListMember,
} from '@aws-sdk/client-backup';
import {
  type BackupJobFilter,
  type CopyJobFilter,
  type ListOptions,
  MAX_PAGE_SIZE,
  type RestoreJobFilter,
  toListBackupJobsInput,
  toListCopyJobsInput,
  toListRestoreJobsInput,
} from './filters.js';
import { pageItems } from './pages.js';

/**
 * Lists backup jobs matching `filter`, page by page (1000 a page by default), as an async iterable.
 * Throws a ValidationError at once, before any call, for a bad filter (page size, account id, an
 * unordered range, a window more than 30 days back); API failures surface as BackupApiError.
 *
 * @example for await (const job of listBackupJobs(client, { state: 'FAILED', createdAfter })) …
 */
export function listBackupJobs(
  client: BackupClient,
  filter: BackupJobFilter = {},
  options: ListOptions = {},
): AsyncIterable<BackupJob> {
  const input = toListBackupJobsInput(filter, options);
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  return pageItems(
    'ListBackupJobs',
    () => paginateListBackupJobs({ client, pageSize }, { ...input }, { abortSignal: options.signal }),
    (page) => page.BackupJobs,
  );
}

/** Lists copy jobs matching `filter` (see {@link listBackupJobs}). Copy jobs live in the source account and Region. */
export function listCopyJobs(
  client: BackupClient,
  filter: CopyJobFilter = {},
  options: ListOptions = {},
): AsyncIterable<CopyJob> {
  const input = toListCopyJobsInput(filter, options);
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  return pageItems(
    'ListCopyJobs',
    () => paginateListCopyJobs({ client, pageSize }, { ...input }, { abortSignal: options.signal }),
    (page) => page.CopyJobs,
  );
}

/** Lists restore jobs matching `filter` (see {@link listBackupJobs}). */
export function listRestoreJobs(
  client: BackupClient,
  filter: RestoreJobFilter = {},
  options: ListOptions = {},
): AsyncIterable<RestoreJobsListMember> {
  const input = toListRestoreJobsInput(filter, options);
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  return pageItems(
    'ListRestoreJobs',
    () => paginateListRestoreJobs({ client, pageSize }, { ...input }, { abortSignal: options.signal }),
    (page) => page.RestoreJobs,
  );
}
