/**
 * The List*Jobs filters, exactly as API_ListBackupJobs, API_ListCopyJobs and API_ListRestoreJobs
 * document them: ByCreatedAfter/Before compare CreationDate, ByCompleteAfter/Before compare
 * CompletionDate (a job not yet complete matches neither), strictly ("after", "before"). A
 * MessageCategory filter of ANY or AGGREGATE_ALL matches every category (ListBackupJobs
 * ByMessageCategory).
 */
import type { ListBackupJobsInput, ListCopyJobsInput, ListRestoreJobsInput } from '@aws-sdk/client-backup';
import type { BackupJobRecord, CopyJobRecord, RestoreJobRecord } from './store.js';

const after = (value: Date | undefined, bound: Date | undefined) =>
  bound === undefined || (value !== undefined && value.getTime() > bound.getTime());
const before = (value: Date | undefined, bound: Date | undefined) =>
  bound === undefined || (value !== undefined && value.getTime() < bound.getTime());
const is = (value: string | undefined, wanted: string | undefined) => wanted === undefined || value === wanted;
const category = (value: string | undefined, wanted: string | undefined) =>
  wanted === undefined || wanted === 'ANY' || wanted === 'AGGREGATE_ALL' || value === wanted;

/** ListBackupJobs' filters other than ByAccountId (the caller's scope decides the accounts). */
export const matchesBackupJob = (r: BackupJobRecord, q: ListBackupJobsInput): boolean => {
  const j = r.job;
  return (
    is(j.ResourceArn, q.ByResourceArn) &&
    is(j.State, q.ByState) &&
    is(j.BackupVaultName, q.ByBackupVaultName) &&
    before(j.CreationDate, q.ByCreatedBefore) &&
    after(j.CreationDate, q.ByCreatedAfter) &&
    is(j.ResourceType, q.ByResourceType) &&
    after(j.CompletionDate, q.ByCompleteAfter) &&
    before(j.CompletionDate, q.ByCompleteBefore) &&
    is(j.ParentJobId, q.ByParentJobId) &&
    category(j.MessageCategory, q.ByMessageCategory)
  );
};

/** ListCopyJobs' filters other than ByAccountId. ByDestinationVaultArn compares the destination vault. */
export const matchesCopyJob = (r: CopyJobRecord, q: ListCopyJobsInput): boolean => {
  const j = r.job;
  return (
    is(j.ResourceArn, q.ByResourceArn) &&
    is(j.State, q.ByState) &&
    before(j.CreationDate, q.ByCreatedBefore) &&
    after(j.CreationDate, q.ByCreatedAfter) &&
    is(j.ResourceType, q.ByResourceType) &&
    is(j.DestinationBackupVaultArn, q.ByDestinationVaultArn) &&
    before(j.CompletionDate, q.ByCompleteBefore) &&
    after(j.CompletionDate, q.ByCompleteAfter) &&
    is(j.ParentJobId, q.ByParentJobId) &&
    category(j.MessageCategory, q.ByMessageCategory) &&
    is(j.SourceRecoveryPointArn, q.BySourceRecoveryPointArn)
  );
};

/** ListRestoreJobs' filters other than ByAccountId. */
export const matchesRestoreJob = (r: RestoreJobRecord, q: ListRestoreJobsInput): boolean => {
  const j = r.job;
  return (
    is(j.ResourceType, q.ByResourceType) &&
    before(j.CreationDate, q.ByCreatedBefore) &&
    after(j.CreationDate, q.ByCreatedAfter) &&
    is(j.Status, q.ByStatus) &&
    before(j.CompletionDate, q.ByCompleteBefore) &&
    after(j.CompletionDate, q.ByCompleteAfter) &&
    is(j.CreatedBy?.RestoreTestingPlanArn, q.ByRestoreTestingPlanArn) &&
    is(j.ParentJobId, q.ByParentJobId)
  );
};
