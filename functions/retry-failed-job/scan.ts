import type { DescribeScanJobOutput } from '@aws-sdk/client-backup';
import { describeScanJob } from '../../shared/backup/index.js';
import type { BaseDeps } from '../../shared/base-deps.js';
import { type Diagnosis, diagnoseJob } from '../../shared/diagnosis/index.js';
import { outOfScope, type ScanJobStateChange } from '../../shared/events/index.js';
import { ledgerCall } from '../../shared/ledger/exactly-once.js';
import { giveBackSignal } from '../../shared/ledger/policy.js';
import { count } from '../../shared/metrics.js';
import type { Notification } from '../../shared/notify.js';
import type { RetryConfig } from './config.js';
import { backupAt } from './deps.js';
import { JobInFlightError } from './facts.js';
import { isMuted } from './mute-rules.js';
import { publishOnce } from './publish-once.js';
import {
  type AlertedScan,
  failedScanAlertFor,
  THREATS_FOUND_CATEGORY,
  threatsFoundAlertFor,
} from './scan-alert-text.js';
import type { ScanLedger, ScanStatus } from './scan-ledger.js';
import { accountExcluded } from './scope.js';

/** What handling a scan alert needs: the base deps, the settings that govern alerts, its ledger items. */
export interface ScanDeps extends BaseDeps {
  readonly config: Pick<RetryConfig, 'dryRun' | 'notifyTopicArn' | 'mute' | 'accounts'>;
  readonly scanLedger: ScanLedger;
}

/** What one scan event came to. */
export type ScanOutcome =
  | { readonly result: 'duplicate'; readonly jobId: string }
  | { readonly result: 'skipped'; readonly jobId: string; readonly reason: string; readonly alerted: false }
  | {
      readonly result: 'scan-failed' | 'scan-threats-found';
      readonly jobId: string;
      readonly category: string;
      readonly alerted: boolean;
    };

/**
 * A scan to judge: its event, or what the sweep listed of a scan whose event was lost (its id,
 * account, Region, state and vault; DescribeScanJob supplies the rest).
 */
export type ScanRef = Pick<ScanJobStateChange, 'scanJobId' | 'account' | 'region' | 'state' | 'backupVaultName'> &
  Partial<Omit<ScanJobStateChange, 'scanJobId' | 'account' | 'region' | 'state' | 'backupVaultName'>>;

/** The scan as the alert tells it: DescribeScanJob's answer, the event filling what it lacks. */
function alertedScanOf(event: ScanRef, out: DescribeScanJobOutput): AlertedScan {
  const pick = <T>(described: T | undefined, sent: T | undefined): T | undefined => described ?? sent;
  const fields = {
    scanResultStatus: pick(out.ScanResult?.ScanResultStatus, event.scanResultStatus),
    resourceArn: pick(out.ResourceArn, event.resourceArn),
    resourceName: out.ResourceName,
    resourceType: pick(out.ResourceType, event.resourceType),
    recoveryPointArn: pick(out.RecoveryPointArn, event.recoveryPointArn),
    scanId: pick(out.ScanId, event.scanId),
    malwareScanner: pick(out.MalwareScanner, event.malwareScanner),
    scanMode: out.ScanMode,
    scannerRoleArn: pick(out.ScannerRoleArn, event.scannerRoleArn),
    statusMessage: pick(out.StatusMessage, event.statusMessage),
    backupPlanId: pick(out.CreatedBy?.BackupPlanId, event.createdBy?.backupPlanId),
  };
  return {
    scanJobId: event.scanJobId,
    state: out.State ?? event.state,
    accountId: out.AccountId ?? event.accountId ?? event.account,
    region: event.region,
    vaultName: out.BackupVaultName ?? event.backupVaultName,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  };
}

/** True when the scan found something (its final result names threats). */
function foundThreats(scan: Pick<AlertedScan, 'scanResultStatus'>): boolean {
  return scan.scanResultStatus === 'THREATS_FOUND';
}

/**
 * Publishes the scan's one alert unless muted, in a dry run or without a topic (then logged only).
 * A findings alert is not a failure: a mute rule that names `categories` (failure causes) never
 * mutes it; rules by resource, vault or account do.
 */
async function tell(
  deps: ScanDeps,
  scan: AlertedScan,
  notification: Notification,
  diagnosis: Diagnosis | undefined,
): Promise<{ status: ScanStatus; alerted: boolean }> {
  const { config, logger } = deps;
  const target = { resourceArn: scan.resourceArn ?? '', vaultName: scan.vaultName, accountId: scan.accountId };
  const muted = diagnosis
    ? isMuted(config.mute, target, diagnosis)
    : isMuted(
        config.mute.filter((rule) => !rule.categories),
        target,
        diagnoseJob({ kind: 'scan', state: scan.state }),
      );
  if (muted) {
    count(deps.metrics, 'AlertsMuted');
    logger.info('alert muted', { jobId: scan.scanJobId, rule: muted });
    return { status: 'muted', alerted: false };
  }
  const sent = await publishOnce(
    deps,
    notification,
    (publish, call) => deps.scanLedger.tellOnce(scan.scanJobId, publish, call),
    'scan',
    { jobId: scan.scanJobId },
  );
  return sent === 'logged'
    ? { status: 'logged', alerted: false }
    : { status: 'alerted', alerted: sent === 'published' };
}

/**
 * Handles one malware scan that FAILED or finished with THREATS_FOUND (the only scan events the
 * template routes here; parse.ts refuses others): one alert, never a retry. A failed scan's alert
 * carries the diagnosis of its message (kind `scan`: the kind-neutral rows); a findings alert says
 * where GuardDuty keeps the findings. DescribeScanJob confirms the state and result and adds the
 * resource name and scan mode. Out-of-scope events cost no call and no write; concurrent deliveries
 * handle it once (the ledger claim on `scan#<scanJobId>`); a failed publish gives the claim and the
 * flag back, so Lambda's async retry of the event publishes it. A dry run writes nothing.
 */
export async function handleScanAlert(deps: ScanDeps, event: ScanJobStateChange): Promise<ScanOutcome> {
  const scope = outOfScope(event, deps.identity, [], deps.deployment.mode);
  if (scope) {
    deps.logger.warn('event out of scope: not alerted', { jobId: event.scanJobId, ...scope });
    return { result: 'skipped', jobId: event.scanJobId, reason: scope.reason, alerted: false };
  }
  return alertScan(deps, event);
}

/**
 * A scan the sweep listed (ListScanJobs: FAILED, or finished with THREATS_FOUND) in one of the
 * accounts and Regions it sweeps: judged exactly as its event would have been, so a lost event
 * still gets its one alert, and one already handled costs a ledger read and no AWS call.
 */
export function handleSweptScan(deps: ScanDeps, scan: ScanRef): Promise<ScanOutcome> {
  return alertScan(deps, scan);
}

async function alertScan(deps: ScanDeps, event: ScanRef): Promise<ScanOutcome> {
  // The scan's account is the one that owns the recovery point (detail.accountId).
  if (accountExcluded(deps, event.scanJobId, event.accountId ?? event.account)) {
    return { result: 'skipped', jobId: event.scanJobId, reason: 'excluded-account', alerted: false };
  }
  const { logger, config } = deps;
  const jobId = event.scanJobId;
  const now = deps.now();
  const claims = !config.dryRun;
  // What the sweep needs to handle the scan again should this claim's holder die (sweep.ts).
  const swept = {
    jobKind: 'scan',
    jobId,
    account: event.account,
    region: event.region,
    state: event.state,
    backupVaultName: event.backupVaultName,
  };
  const claim = claims ? await deps.scanLedger.claim(jobId, swept, ledgerCall(deps, now)) : undefined;
  if (claim?.kind === 'settled') {
    logger.info('scan already handled', { jobId });
    return { result: 'duplicate', jobId };
  }
  if (claim?.kind === 'held') {
    // Not handled yet: raised so the delivery is retried; the sweep finds the claim after its lease.
    logger.info('scan is being handled by another invocation', { jobId });
    throw new JobInFlightError('scan', jobId, claim.item.leaseUntil);
  }
  try {
    // The scan job lives in the account that owns the recovery point (detail.accountId).
    const place = { account: event.accountId ?? event.account, region: event.region };
    const out = await describeScanJob(backupAt(deps, place), jobId, deps.signal);
    const scan = alertedScanOf(event, out);
    const threats = scan.state !== 'FAILED' && foundThreats(scan);
    if (scan.state !== 'FAILED' && !threats) {
      // AWS's record is the truth: a scan that did not fail and found nothing is no one's alarm.
      logger.warn('scan neither failed nor found threats: not alerted', { jobId, state: scan.state });
      if (claims) await deps.scanLedger.done(jobId, 'skipped', 'none', ledgerCall(deps, now));
      return { result: 'skipped', jobId, reason: 'nothing-to-alert', alerted: false };
    }
    const diagnosis = threats
      ? undefined
      : diagnoseJob({
          kind: 'scan',
          state: scan.state,
          statusMessage: scan.statusMessage,
          resourceType: scan.resourceType,
        });
    const category = diagnosis?.category ?? THREATS_FOUND_CATEGORY;
    logger.info('scan alert', { jobId, state: scan.state, scanResultStatus: scan.scanResultStatus, category });
    const notification = diagnosis ? failedScanAlertFor(scan, diagnosis) : threatsFoundAlertFor(scan);
    const told = await tell(deps, scan, notification, diagnosis);
    if (claims) await deps.scanLedger.done(jobId, told.status, category, ledgerCall(deps, now));
    return { result: threats ? 'scan-threats-found' : 'scan-failed', jobId, category, alerted: told.alerted };
  } catch (error) {
    // Give the claim back so Lambda's async retry of this event proceeds instead of waiting out the
    // lease; with a signal of its own, since the failure may be the invocation's signal aborting.
    if (claims) await deps.scanLedger.release(jobId, giveBackSignal());
    throw error;
  }
}
