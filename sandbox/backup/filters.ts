/**
 * The List*Jobs filters, exactly as API_ListBackupJobs, API_ListCopyJobs, API_ListRestoreJobs and
 * API_ListScanJobs document them: ByCreatedAfter/Before compare CreationDate, ByCompleteAfter/Before compare
 * CompletionDate (a job not yet complete matches neither), strictly ("after", "before"). A
 * MessageCategory filter of ANY or AGGREGATE_ALL matches every category (ListBackupJobs
 * ByMessageCategory).
 */
import type {
  ListBackupJobsInput,
  ListCopyJobsInput,
  ListRestoreJobsInput,
  ListScanJobsInput,
} from '@aws-sdk/client-backup';
import type { BackupJobRecord, CopyJobRecord, RestoreJobRecord, ScanJobRecord } from './store.js';

const after = (value: Date | undefined, bound: Date | undefined) =>
  bound === undefined || (value !== undefined && value.getTime() > bound.getTime());
const before = (value: Date | undefined, bound: Date | undefined) =>
  bound === undefined || (value !== undefined && value.getTime() < bound.getTime());
const is = (value: string | undefined, wanted: string | undefined) => wanted === undefined || value === wanted;
const category = (value: string | undefined, wanted: string | undefined) =>
  wanted === undefined || wanted === 'ANY' || wanted === 'AGGREGATE_ALL' || value === wanted;

/** The fields every kind of job carries that a filter of the same meaning compares. */
interface JobFields {
  readonly ResourceType?: string;
  readonly CreationDate?: Date;
  readonly CompletionDate?: Date;
  readonly ParentJobId?: string;
}

/** The filters all three List*Jobs take under the same names. */
type SharedFilters = Pick<
  ListRestoreJobsInput,
  'ByResourceType' | 'ByCreatedBefore' | 'ByCreatedAfter' | 'ByCompleteBefore' | 'ByCompleteAfter' | 'ByParentJobId'
>;

const matchesShared = (j: JobFields, q: SharedFilters): boolean =>
  is(j.ResourceType, q.ByResourceType) &&
  before(j.CreationDate, q.ByCreatedBefore) &&
  after(j.CreationDate, q.ByCreatedAfter) &&
  before(j.CompletionDate, q.ByCompleteBefore) &&
  after(j.CompletionDate, q.ByCompleteAfter) &&
  is(j.ParentJobId, q.ByParentJobId);

/** Backup and copy jobs also share ByResourceArn, ByState and ByMessageCategory. */
const matchesBackupOrCopy = (
  j: JobFields & { readonly ResourceArn?: string; readonly State?: string; readonly MessageCategory?: string },
  q: SharedFilters &
    Pick<ListBackupJobsInput & ListCopyJobsInput, 'ByResourceArn' | 'ByMessageCategory'> & {
      readonly ByState?: string;
    },
): boolean =>
  matchesShared(j, q) &&
  is(j.ResourceArn, q.ByResourceArn) &&
  is(j.State, q.ByState) &&
  category(j.MessageCategory, q.ByMessageCategory);

/** ListBackupJobs' filters other than ByAccountId (the caller's scope decides the accounts). */
export const matchesBackupJob = (r: BackupJobRecord, q: ListBackupJobsInput): boolean =>
  matchesBackupOrCopy(r.job, q) && is(r.job.BackupVaultName, q.ByBackupVaultName);

/** ListCopyJobs' filters other than ByAccountId. ByDestinationVaultArn compares the destination vault. */
export const matchesCopyJob = (r: CopyJobRecord, q: ListCopyJobsInput): boolean =>
  matchesBackupOrCopy(r.job, q) &&
  is(r.job.DestinationBackupVaultArn, q.ByDestinationVaultArn) &&
  is(r.job.SourceRecoveryPointArn, q.BySourceRecoveryPointArn);

/** ListRestoreJobs' filters other than ByAccountId. */
export const matchesRestoreJob = (r: RestoreJobRecord, q: ListRestoreJobsInput): boolean =>
  matchesShared(r.job, q) &&
  is(r.job.Status, q.ByStatus) &&
  is(r.job.CreatedBy?.RestoreTestingPlanArn, q.ByRestoreTestingPlanArn);

/** ListScanJobs' filters other than ByAccountId: no creation-date filter, only completion dates (API_ListScanJobs). */
export const matchesScanJob = (r: ScanJobRecord, q: ListScanJobsInput): boolean => {
  const j = r.job;
  return (
    is(j.State, q.ByState) &&
    is(j.ScanResult?.ScanResultStatus, q.ByScanResultStatus) &&
    is(j.MalwareScanner, q.ByMalwareScanner) &&
    is(j.ResourceArn, q.ByResourceArn) &&
    is(j.ResourceType, q.ByResourceType) &&
    is(j.RecoveryPointArn, q.ByRecoveryPointArn) &&
    is(j.BackupVaultName, q.ByBackupVaultName) &&
    before(j.CompletionDate, q.ByCompleteBefore) &&
    after(j.CompletionDate, q.ByCompleteAfter)
  );
};
