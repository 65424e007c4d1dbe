import type { DescribeRestoreJobOutput } from '@aws-sdk/client-backup';
import { describeRestoreJob, vaultNameFromArn } from '../../shared/backup/index.js';
import type { BaseDeps } from '../../shared/base-deps.js';
import { type Diagnosis, diagnoseJob } from '../../shared/diagnosis/index.js';
import { outOfScope, type RestoreJobStateChange } from '../../shared/events/index.js';
import { ledgerCall } from '../../shared/ledger/exactly-once.js';
import { giveBackSignal } from '../../shared/ledger/policy.js';
import { count } from '../../shared/metrics.js';
import type { RetryConfig } from './config.js';
import { backupAt } from './deps.js';
import { JobInFlightError } from './facts.js';
import { isMuted } from './mute-rules.js';
import { publishOnce } from './publish-once.js';
import { type FailedRestore, restoreAlertFor } from './restore-alert-text.js';
import type { RestoreLedger, RestoreStatus } from './restore-ledger.js';
import { accountExcluded } from './scope.js';

/** What handling a FAILED restore needs: the base deps, the settings that govern alerts, its ledger items. */
export interface RestoreDeps extends BaseDeps {
  readonly config: Pick<RetryConfig, 'dryRun' | 'notifyTopicArn' | 'mute' | 'accounts'>;
  readonly restoreLedger: RestoreLedger;
}

/** What one FAILED restore came to. */
export type RestoreOutcome =
  | { readonly result: 'duplicate'; readonly jobId: string }
  | { readonly result: 'skipped'; readonly jobId: string; readonly reason: string; readonly alerted: false }
  | {
      readonly result: 'restore-failed';
      readonly jobId: string;
      readonly category: string;
      readonly alerted: boolean;
      readonly restoreTest: boolean;
    };

/**
 * A FAILED restore to handle: its event, or what the sweep knows of a job whose event was lost
 * (its id, account and Region; DescribeRestoreJob supplies the rest).
 */
export type FailedRestoreRef = Pick<RestoreJobStateChange, 'restoreJobId' | 'account' | 'region'> &
  Partial<Pick<RestoreJobStateChange, 'status' | 'recoveryPointArn' | 'resourceType' | 'iamRoleArn' | 'statusMessage'>>;

/** The job as the alert tells it: DescribeRestoreJob's answer, the event filling what it lacks. */
function failedRestoreOf(event: FailedRestoreRef, out: DescribeRestoreJobOutput): FailedRestore {
  const vaultArn = out.BackupVaultArn;
  const testing = out.CreatedBy?.RestoreTestingPlanArn;
  const sourceResourceArn = out.SourceResourceArn;
  const recoveryPointArn = out.RecoveryPointArn ?? event.recoveryPointArn;
  const resourceType = out.ResourceType ?? event.resourceType;
  const iamRoleArn = out.IamRoleArn ?? event.iamRoleArn;
  const statusMessage = out.StatusMessage ?? event.statusMessage;
  return {
    jobId: event.restoreJobId,
    status: out.Status ?? event.status ?? 'FAILED',
    accountId: out.AccountId ?? event.account,
    region: event.region,
    ...(sourceResourceArn ? { sourceResourceArn } : {}),
    ...(recoveryPointArn ? { recoveryPointArn } : {}),
    ...(vaultArn ? { vaultName: vaultNameFromArn(vaultArn, 'BackupVaultArn') } : {}),
    ...(resourceType ? { resourceType } : {}),
    ...(iamRoleArn ? { iamRoleArn } : {}),
    ...(statusMessage ? { statusMessage } : {}),
    ...(testing ? { restoreTestingPlanArn: testing } : {}),
  };
}

/**
 * Publishes the restore's one alert unless muted, in a dry run or without a topic (then logged
 * only). Returns what the ledger records, and whether this call published.
 */
async function tell(
  deps: RestoreDeps,
  job: FailedRestore,
  diagnosis: Diagnosis,
): Promise<{ status: RestoreStatus; alerted: boolean }> {
  const { config, logger } = deps;
  const muted = isMuted(
    config.mute,
    { resourceArn: job.sourceResourceArn ?? '', vaultName: job.vaultName ?? '', accountId: job.accountId },
    diagnosis,
  );
  if (muted) {
    count(deps.metrics, 'AlertsMuted');
    logger.info('alert muted', { jobId: job.jobId, category: diagnosis.category, rule: muted });
    return { status: 'muted', alerted: false };
  }
  const sent = await publishOnce(
    deps,
    restoreAlertFor(job, diagnosis),
    (publish, call) => deps.restoreLedger.tellOnce(job.jobId, publish, call),
    'restore',
    { jobId: job.jobId },
  );
  return sent === 'logged'
    ? { status: 'logged', alerted: false }
    : { status: 'alerted', alerted: sent === 'published' };
}

/**
 * Handles one FAILED restore (restore testing jobs included): one alert with cause and remedy, as
 * for a backup that will not be retried. Restores are never retried: AWS Backup restores into a new
 * resource with the caller's choice of settings, which a retry could not know were still wanted.
 * Out-of-scope events cost no call and no write; concurrent deliveries handle it once (the ledger
 * claim on `restore#<jobId>`); a failed publish gives the claim and the flag back, so Lambda's
 * async retry of the event publishes it. A dry run writes nothing and publishes nothing.
 */
export async function handleFailedRestore(deps: RestoreDeps, event: RestoreJobStateChange): Promise<RestoreOutcome> {
  const scope = outOfScope(event, deps.identity, [], deps.deployment.mode);
  if (scope) {
    deps.logger.warn('event out of scope: not alerted', { jobId: event.restoreJobId, ...scope });
    return { result: 'skipped', jobId: event.restoreJobId, reason: scope.reason, alerted: false };
  }
  return alertFailedRestore(deps, event);
}

/**
 * A FAILED restore the sweep found (ListRestoreJobs) in one of the accounts and Regions it sweeps:
 * handled exactly as its event would have been, so a lost event still gets its one alert, and one
 * already handled costs a ledger read and no AWS call.
 */
export function handleSweptRestore(
  deps: RestoreDeps,
  restoreJobId: string,
  place: { readonly account: string; readonly region: string },
): Promise<RestoreOutcome> {
  return alertFailedRestore(deps, { restoreJobId, ...place });
}

async function alertFailedRestore(deps: RestoreDeps, event: FailedRestoreRef): Promise<RestoreOutcome> {
  if (accountExcluded(deps, event.restoreJobId, event.account)) {
    return { result: 'skipped', jobId: event.restoreJobId, reason: 'excluded-account', alerted: false };
  }
  const { logger, config } = deps;
  const jobId = event.restoreJobId;
  const now = deps.now();
  const claims = !config.dryRun;
  const where = { account: event.account, region: event.region };
  const claim = claims
    ? await deps.restoreLedger.claim(jobId, { jobKind: 'restore', jobId, ...where }, ledgerCall(deps, now))
    : undefined;
  if (claim?.kind === 'settled') {
    logger.info('failed restore already handled', { jobId });
    return { result: 'duplicate', jobId };
  }
  if (claim?.kind === 'held') {
    // Not handled yet: raised so the delivery is retried; the sweep finds the claim after its lease.
    logger.info('failed restore is being handled by another invocation', { jobId });
    throw new JobInFlightError('restore', jobId, claim.item.leaseUntil);
  }
  try {
    const out = await describeRestoreJob(
      backupAt(deps, { account: event.account, region: event.region }),
      jobId,
      deps.signal,
    );
    const job = failedRestoreOf(event, out);
    const diagnosis = diagnoseJob({
      kind: 'restore',
      state: job.status,
      statusMessage: job.statusMessage,
      resourceType: job.resourceType,
    });
    logger.info('failed restore', {
      jobId,
      diagnosis: diagnosis.category,
      restoreTestingPlanArn: job.restoreTestingPlanArn,
    });
    const told = await tell(deps, job, diagnosis);
    if (claims) await deps.restoreLedger.done(jobId, told.status, diagnosis.category, ledgerCall(deps, now));
    return {
      result: 'restore-failed',
      jobId,
      category: diagnosis.category,
      alerted: told.alerted,
      restoreTest: job.restoreTestingPlanArn !== undefined,
    };
  } catch (error) {
    // Give the claim back so Lambda's async retry of this event proceeds instead of waiting out the
    // lease; with a signal of its own, since the failure may be the invocation's signal aborting.
    if (claims) await deps.restoreLedger.release(jobId, giveBackSignal());
    throw error;
  }
}
