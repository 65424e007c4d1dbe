/**
 * What the API returns for a job at a given instant: a copy of the record (never the record
 * itself, so an encoder cannot change the store), with a RUNNING job's PercentDone and
 * BytesTransferred as far along as the clock says ("an estimated percentage complete of a job at
 * the time the job status was queried", API_BackupJob PercentDone).
 */
import type { BackupJob, CopyJob, RestoreJobsListMember, ScanJob } from '@aws-sdk/client-backup';
import type { BackupJobRecord, CopyJobRecord, RestoreJobRecord, ScanJobRecord } from './store.js';

const progress = (startedAt: number | undefined, endsAt: number | undefined, now: number): number => {
  if (startedAt === undefined || endsAt === undefined || endsAt <= startedAt) return 0;
  return Math.min(0.99, Math.max(0, (now - startedAt) / (endsAt - startedAt)));
};

export const backupJobView = (r: BackupJobRecord, now: number): BackupJob => {
  const job = structuredClone(r.job);
  if (job.State === 'RUNNING') {
    const f = progress(r.runningAt, job.ExpectedCompletionDate?.getTime(), now);
    job.PercentDone = (f * 100).toFixed(1);
    job.BytesTransferred = Math.round(r.sizeBytes * f);
  }
  return job;
};

export const copyJobView = (r: CopyJobRecord, _now: number): CopyJob => structuredClone(r.job);

export const restoreJobView = (r: RestoreJobRecord, _now: number): RestoreJobsListMember => structuredClone(r.job);

export const scanJobView = (r: ScanJobRecord, _now: number): ScanJob => structuredClone(r.job);
