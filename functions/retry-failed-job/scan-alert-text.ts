import { protectedResourceLink } from '../../shared/console-links.js';
import type { Diagnosis } from '../../shared/diagnosis/index.js';
import type { Notification } from '../../shared/notify.js';
import { diagnosisLines } from './alert-text.js';

/** What the alert of a malware scan says about the job (from DescribeScanJob, the event filling gaps). */
export interface AlertedScan {
  readonly scanJobId: string;
  /** FAILED, or COMPLETED / COMPLETED_WITH_ISSUES with findings. */
  readonly state: string;
  readonly scanResultStatus?: string;
  readonly accountId: string;
  readonly region: string;
  /** The resource whose recovery point was scanned: the alert's name for what it is about. */
  readonly resourceArn?: string;
  readonly resourceName?: string;
  readonly resourceType?: string;
  readonly recoveryPointArn?: string;
  /** The vault that holds the recovery point: what a mute rule's `vault` glob matches. */
  readonly vaultName: string;
  /** GuardDuty's id of the scan: where the findings are. */
  readonly scanId?: string;
  readonly malwareScanner?: string;
  readonly scanMode?: string;
  readonly scannerRoleArn?: string;
  readonly statusMessage?: string;
  readonly backupPlanId?: string;
}

/** Category attribute of a findings alert: not a failure, so not a diagnosis category (no mute rule `categories` lists it). */
export const THREATS_FOUND_CATEGORY = 'threats-found';

function lastPart(arn: string): string {
  return arn.split(/[:/]/).pop() || arn;
}

/** The details every scan alert ends with. */
function detailLines(scan: AlertedScan): string[] {
  return [
    `Vault: ${scan.vaultName}`,
    ...(scan.recoveryPointArn ? [`Recovery point: ${scan.recoveryPointArn}`] : []),
    `Resource type: ${scan.resourceType ?? 'unknown'}`,
    `Scanner: ${scan.malwareScanner ?? 'unknown'}${scan.scanMode ? ` (${scan.scanMode})` : ''}`,
    ...(scan.scanId ? [`GuardDuty scan id: ${scan.scanId}`] : []),
    ...(scan.scannerRoleArn ? [`Scanner role: ${scan.scannerRoleArn}`] : []),
    ...(scan.backupPlanId ? [`Backup plan: ${scan.backupPlanId}`] : []),
    `Scan job: ${scan.scanJobId}`,
    '',
    ...(scan.resourceArn ? [`Open the resource: ${protectedResourceLink(scan.region, scan.resourceArn)}`] : []),
  ];
}

function subjectOf(scan: AlertedScan, what: string): string {
  return `[backup-autopilot] ${scan.accountId} ${lastPart(scan.resourceArn ?? scan.recoveryPointArn ?? scan.scanJobId)}: ${what}`;
}

function nameOf(scan: AlertedScan): string {
  return scan.resourceArn ?? scan.recoveryPointArn ?? `scan job ${scan.scanJobId}`;
}

/**
 * The one alert of a malware scan that FAILED: the recovery point was not checked. It reads like
 * the alert of a backup that will not be retried (cause, remedy, AWS's words), then the scan's
 * details. Scans are not retried: a plan's scan action or StartScanJob starts them.
 */
export function failedScanAlertFor(scan: AlertedScan, diagnosis: Diagnosis): Notification {
  return {
    subject: subjectOf(scan, `malware scan FAILED (${diagnosis.category})`),
    body: [
      `Malware scan of ${nameOf(scan)} failed: the recovery point was not checked, and backup-autopilot does not retry scans, so a person must act.`,
      '',
      ...diagnosisLines(diagnosis, scan),
      ...detailLines(scan),
    ].join('\n'),
    attributes: { kind: 'alert', category: diagnosis.category, account: scan.accountId, jobKind: 'scan' },
  };
}

/**
 * The one alert of a malware scan that found threats: "THREATS_FOUND indicates that GuardDuty
 * detected the presence of malware" (GuardDuty User Guide, monitoring-malware-protection-backup-scans:
 * https://docs.aws.amazon.com/guardduty/latest/ug/monitoring-malware-protection-backup-scans.html).
 * The findings themselves live in GuardDuty, under the scan id.
 */
export function threatsFoundAlertFor(scan: AlertedScan): Notification {
  return {
    // The state stays in the body: SNS subjects stop short of 100 characters.
    subject: subjectOf(scan, 'malware scan THREATS_FOUND'),
    body: [
      `Malware scan of ${nameOf(scan)} found threats: GuardDuty detected malware in this recovery point (scan ${scan.state}).`,
      '',
      `What to do: open the GuardDuty console (Malware Protection > Malware scans)${scan.scanId ? ` at scan ${scan.scanId}` : ''} to see what was found; do not restore this recovery point until you know; restore from the latest recovery point scanned clean, and check the resource itself.`,
      '',
      ...(scan.statusMessage ? [`AWS said: ${scan.statusMessage}`] : []),
      `Account: ${scan.accountId}   Region: ${scan.region}`,
      ...detailLines(scan),
    ].join('\n'),
    attributes: { kind: 'alert', category: THREATS_FOUND_CATEGORY, account: scan.accountId, jobKind: 'scan' },
  };
}
