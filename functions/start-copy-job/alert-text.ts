import { originLabel, vaultNameFromArn } from '../../shared/backup/index.js';
import type { Diagnosis } from '../../shared/diagnosis/index.js';
import type { Notification } from '../../shared/notify.js';
import type { PlannedCopy } from './decide.js';

function alertBody(copy: PlannedCopy, d: Diagnosis): string {
  return [
    `AWS Backup refused to start a copy (rule "${copy.ruleName}", hop ${copy.hop} of ${copy.hops}).`,
    '',
    `Destination: ${copy.destinationVaultArn}`,
    ...(copy.hops > 1 ? [`This hop copies into: ${copy.input.DestinationBackupVaultArn}`] : []),
    `Recovery point: ${copy.input.RecoveryPointArn} (vault ${copy.input.SourceBackupVaultName}, ${copy.region})`,
    `Role: ${copy.input.IamRoleArn}`,
    // From the source job's record or event (no extra call): names when AWS sent them, else ids.
    ...(copy.origin ? [`Source backup made by AWS Backup ${originLabel(copy.origin)}`] : []),
    // One copy serves every route that shares the hop: each of them is blocked by this refusal.
    ...(copy.alsoFor && copy.alsoFor.length > 0
      ? [
          `Also blocked (routes sharing this copy): ${copy.alsoFor.map((r) => `rule "${r.ruleName}" to ${r.destinationVaultArn}`).join('; ')}`,
        ]
      : []),
    '',
    `Cause: ${d.cause}`,
    ...(d.statusMessage ? [`AWS said: ${d.statusMessage}`] : []),
    `Remedy: ${d.remedy}`,
    '',
    'This copy will not be tried again for this recovery point; later backups are copied as they complete.',
  ].join('\n');
}

/** The one alert of a copy AWS Backup refused to start: what, where, why, and what to do. */
export function copyRefusedAlert(copy: PlannedCopy, diagnosis: Diagnosis): Notification {
  return {
    subject: `Backup copy not started: ${copy.ruleName} -> ${vaultNameFromArn(copy.destinationVaultArn)} (${diagnosis.category})`,
    body: alertBody(copy, diagnosis),
    attributes: {
      kind: 'copy-failed-to-start',
      category: diagnosis.category,
      account: copy.accountId,
      rule: copy.ruleName,
    },
  };
}
