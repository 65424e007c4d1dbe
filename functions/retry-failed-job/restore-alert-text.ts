import { protectedResourceLink, restoreJobLink } from '../../shared/console-links.js';
import type { Diagnosis } from '../../shared/diagnosis/index.js';
import type { Notification } from '../../shared/notify.js';
import { diagnosisLines } from './alert-text.js';

/** What the alert of a FAILED restore says about the job (from DescribeRestoreJob, the event filling gaps). */
export interface FailedRestore {
  readonly jobId: string;
  readonly status: string;
  readonly accountId: string;
  readonly region: string;
  /** The resource that was backed up (absent from old jobs): the alert's name for what failed. */
  readonly sourceResourceArn?: string;
  readonly recoveryPointArn?: string;
  /** The vault that holds the recovery point: what a mute rule's `vault` glob matches. */
  readonly vaultName?: string;
  readonly resourceType?: string;
  readonly iamRoleArn?: string;
  readonly statusMessage?: string;
  /** Set when a restore testing plan ran the job (DescribeRestoreJob `CreatedBy.RestoreTestingPlanArn`). */
  readonly restoreTestingPlanArn?: string;
}

function lastPart(arn: string): string {
  return arn.split(/[:/]/).pop() || arn;
}

/**
 * The one alert of a FAILED restore: restores are not retried, so it reads like the alert of a
 * backup that will not be retried: what failed, the cause and the remedy, then the details. A job
 * a restore testing plan ran is named a restore test, with its plan.
 */
export function restoreAlertFor(job: FailedRestore, diagnosis: Diagnosis): Notification {
  const what = job.restoreTestingPlanArn ? 'Restore test' : 'Restore';
  const of = job.sourceResourceArn ?? job.recoveryPointArn ?? `restore job ${job.jobId}`;
  const lines = [
    `${what} of ${of} ${job.status.toLowerCase()}: backup-autopilot does not retry restores, so a person must act.`,
    '',
    ...diagnosisLines(diagnosis, job),
    ...(job.restoreTestingPlanArn ? [`Restore testing plan: ${job.restoreTestingPlanArn}`] : []),
    ...(job.vaultName ? [`Vault: ${job.vaultName}`] : []),
    ...(job.recoveryPointArn ? [`Recovery point: ${job.recoveryPointArn}`] : []),
    `Resource type: ${job.resourceType ?? 'unknown'}`,
    ...(job.iamRoleArn ? [`Restore role: ${job.iamRoleArn}`] : []),
    `Job: ${job.jobId}`,
    '',
    `Open the job: ${restoreJobLink(job.region, job.jobId)}`,
    ...(job.sourceResourceArn
      ? [`Open the resource: ${protectedResourceLink(job.region, job.sourceResourceArn)}`]
      : []),
  ];
  return {
    subject: `[backup-autopilot] ${job.accountId} ${lastPart(of)}: ${what.toLowerCase()} ${job.status} (${diagnosis.category})`,
    body: lines.join('\n'),
    attributes: {
      kind: 'alert',
      category: diagnosis.category,
      account: job.accountId,
      jobKind: job.restoreTestingPlanArn ? 'restore-test' : 'restore',
    },
  };
}
