/**
 * AWS's "Completed with issues": a job in state COMPLETED whose MessageCategory is anything but
 * SUCCESS (ListBackupJobs, ByState: "Completed with issues ... is a status found only in the AWS
 * Backup console. For API, this status refers to jobs with a state of COMPLETED and a
 * MessageCategory with a value other than SUCCESS").
 */
export const isCompletedWithIssues = (job: { readonly State?: string; readonly MessageCategory?: string }): boolean =>
  job.State === 'COMPLETED' && job.MessageCategory !== undefined && job.MessageCategory !== 'SUCCESS';

/** Counts the completed-with-issues jobs of any iterable (streams: never holds the jobs). */
export const countCompletedWithIssues = (
  jobs: Iterable<{ readonly State?: string; readonly MessageCategory?: string }>,
): number => {
  let count = 0;
  for (const job of jobs) if (isCompletedWithIssues(job)) count += 1;
  return count;
};
