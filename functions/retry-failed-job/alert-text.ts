import { originLabel } from '../../shared/backup/index.js';
import { backupJobLink, copyJobLink, protectedResourceLink } from '../../shared/console-links.js';
import type { Diagnosis } from '../../shared/diagnosis/index.js';
import type { Notification } from '../../shared/notify.js';
import type { FailedJob } from './facts.js';

/** What happened, as the alert's subject says it. */
export type AlertWhat = 'not retried' | 'retries exhausted' | 'retry could not start';

const HEADLINE: Readonly<Record<AlertWhat, string>> = {
  'not retried': 'a retry cannot help, so backup-autopilot did not retry it',
  'retries exhausted': 'backup-autopilot has used up its retries',
  'retry could not start': 'AWS Backup refused the retry',
};

function resourceName(arn: string): string {
  return arn.split(/[:/]/).pop() || arn;
}

/**
 * The lines every alert of the retry function opens its details with: cause and remedy, AWS's own
 * words, the diagnosis, and where the job ran (backups, copies and restores alike).
 */
export function diagnosisLines(
  diagnosis: Diagnosis,
  where: { readonly accountId: string; readonly region: string },
): string[] {
  return [
    `Cause: ${diagnosis.cause}`,
    `What to do: ${diagnosis.remedy}`,
    '',
    ...(diagnosis.statusMessage ? [`AWS said: ${diagnosis.statusMessage}`] : []),
    `Diagnosis: ${diagnosis.category}${diagnosis.retryable ? ' (retryable)' : ' (not retryable)'}`,
    `Account: ${where.accountId}   Region: ${where.region}`,
  ];
}

/**
 * The one alert for a logical backup that will not be retried: a subject with account, resource and
 * what happened; a body a person can act on from a phone.
 */
export function alertFor(job: FailedJob, diagnosis: Diagnosis, what: AlertWhat, attempts: number): Notification {
  const kind = job.kind === 'copy' ? 'Copy' : 'Backup';
  const link = job.kind === 'copy' ? copyJobLink(job.region, job.jobId) : backupJobLink(job.region, job.jobId);
  const lines = [
    `${kind} of ${job.resourceArn} ${job.state === 'EXPIRED' ? 'expired' : job.state.toLowerCase()}: ${HEADLINE[what]}.`,
    '',
    ...diagnosisLines(diagnosis, job),
    `Vault: ${job.vaultName}`,
    ...(job.copy ? [`Destination: ${job.copy.destinationVaultArn}`] : []),
    // Names come from the job record's CreatedBy (no extra call); ids when AWS sent no names.
    ...(job.plan ? [`Created by: ${originLabel(job.plan)}`] : []),
    `Resource type: ${job.resourceType ?? 'unknown'}`,
    `Retries made by backup-autopilot: ${attempts}`,
    `Job: ${job.jobId}`,
    '',
    `Open the job: ${link}`,
    `Open the resource: ${protectedResourceLink(job.region, job.resourceArn)}`,
  ];
  return {
    subject: `[backup-autopilot] ${job.accountId} ${resourceName(job.resourceArn)}: ${kind.toLowerCase()} ${job.state}, ${what} (${diagnosis.category})`,
    body: lines.join('\n'),
    attributes: { kind: 'alert', category: diagnosis.category, account: job.accountId, jobKind: job.kind },
  };
}
