/**
 * AWS's "Completed with issues": a job in state COMPLETED whose MessageCategory is anything but
 * SUCCESS (ListBackupJobs, ByState: "Completed with issues ... is a status found only in the AWS
 * Backup console. For API, this status refers to jobs with a state of COMPLETED and a
 * MessageCategory with a value other than SUCCESS").
 */
export function isCompletedWithIssues(job: { readonly State?: string; readonly MessageCategory?: string }): boolean {
  return job.State === 'COMPLETED' && job.MessageCategory !== undefined && job.MessageCategory !== 'SUCCESS';
}
