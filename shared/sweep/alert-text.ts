import type { Notification } from '../notify.js';
import type { SetAsideJob } from './state.js';

/**
 * The one alert for a job a sweep set aside: which sweep, which job, the error it kept failing
 * with, and what a person can do. `key` is `<kind>#<job id>`, `place#<account>#<Region>` for a
 * member account whose lists failed (central mode), or `organization#<Region>` for the
 * organization's job list (central mode, RETRY_SWEEP_ORGANIZATION).
 */
export function setAsideAlert(sweep: 'retry' | 'copy', key: string, job: SetAsideJob, region: string): Notification {
  const [kind = 'job', jobId = key, placeRegion = region] = key.split('#', 3);
  const what = sweep === 'retry' ? 'retry sweep' : 'copy sweep';
  if (kind === 'place') return placeAlert(sweep, what, jobId, placeRegion, job);
  if (kind === 'organization') return organizationAlert(sweep, what, jobId, job);
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
}

/** A list a sweep kept failing to read, for {@link listAlert}. */
interface FailedList {
  readonly jobKind: 'place' | 'organization';
  /** What could not be listed, for the subject: `account 444455556666`, `the organization`. */
  readonly target: string;
  /** The same, with its Region, for the body: `the jobs of account 444455556666 in us-east-1`. */
  readonly listedIn: string;
  /** What is missed while it fails. */
  readonly whileFailing: string;
  readonly remedy: string;
}

/** The one alert for a list a sweep set aside: what it could not list, what that misses, and what to check. */
function listAlert(
  sweep: 'retry' | 'copy',
  what: string,
  region: string,
  job: SetAsideJob,
  list: FailedList,
): Notification {
  return {
    subject: `[backup-autopilot] ${what} cannot list ${list.target} (${region}) after ${job.count} sweeps`,
    body: [
      `The ${what} could not list ${list.listedIn} in ${job.count} sweeps in a row, since ${job.since}.`,
      `Later sweeps still try it but no longer wait for it: while it fails, ${list.whileFailing}.`,
      '',
      `Last error: ${job.error}`,
      '',
      `What to do: ${list.remedy}`,
    ].join('\n'),
    attributes: { kind: 'sweep-set-aside', sweep, jobKind: list.jobKind },
  };
}

/** A member account (and Region) whose job lists kept failing: its role, or its membership, is what to check. */
function placeAlert(
  sweep: 'retry' | 'copy',
  what: string,
  account: string,
  region: string,
  job: SetAsideJob,
): Notification {
  return listAlert(sweep, what, region, job, {
    jobKind: 'place',
    target: `account ${account}`,
    listedIn: `the jobs of account ${account} in ${region}`,
    whileFailing: 'a job of that account whose event was lost is not found (its events are still handled)',
    remedy:
      'check that the account still has the member role (org/member.yaml) and is still in the organization; to stop sweeping it, add it to RETRY_EXCLUDE_ACCOUNTS.',
  });
}

/** The organization's job list kept failing: where the stack runs, or cross-account monitoring, is what to check. */
function organizationAlert(sweep: 'retry' | 'copy', what: string, region: string, job: SetAsideJob): Notification {
  return listAlert(sweep, what, region, job, {
    jobKind: 'organization',
    target: 'the organization',
    listedIn: `the organization's backup jobs in ${region} (ListBackupJobs with ByAccountId *)`,
    whileFailing:
      'a member whose failure events were all lost is found only if RETRY_INCLUDE_ACCOUNTS names it (the members whose events arrived are still swept)',
    remedy:
      "the central stack must run in the organization's management account or in a delegated administrator account for AWS Backup, with cross-account monitoring turned on (AWS Backup console > Settings); otherwise set RetrySweepOrganization to false.",
  });
}
