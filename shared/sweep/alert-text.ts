import type { Notification } from '../notify.js';
import type { SetAsideJob } from './state.js';

/**
 * The one alert for a job a sweep set aside: which sweep, which job, the error it kept failing
 * with, and what a person can do. `key` is `<kind>#<job id>`.
 */
export const setAsideAlert = (sweep: 'retry' | 'copy', key: string, job: SetAsideJob, region: string): Notification => {
  const [kind = 'job', jobId = key] = key.split('#', 2);
  const what = sweep === 'retry' ? 'retry sweep' : 'copy sweep';
  return {
    subject: `[backup-autopilot] ${what} set ${kind} job ${jobId} aside after ${job.count} failed sweeps`,
    body: [
      `The ${what} could not handle ${kind} job ${jobId} (${region}) in ${job.count} sweeps in a row, since ${job.since}.`,
      'Later sweeps skip it so the others go on; nothing more is done for it automatically.',
      '',
      `Last error: ${job.error}`,
      '',
      sweep === 'retry'
        ? 'What to do: look at the job in the AWS Backup console and the function log for this error; retry it by hand if it still matters.'
        : 'What to do: look at the job in the AWS Backup console and the function log for this error; start the copy by hand if it still matters.',
    ].join('\n'),
    attributes: { kind: 'sweep-set-aside', sweep, jobKind: kind },
  };
};
