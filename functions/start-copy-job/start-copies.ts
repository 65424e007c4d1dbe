import type { BackupClient } from '@aws-sdk/client-backup';
import type { SNSClient } from '@aws-sdk/client-sns';
import {
  accountOf,
  BackupApiError,
  describeBackupJob,
  describeCopyJob,
  describeRecoveryPoint,
  isContinuousRecoveryPointArn,
  regionOf,
  type StartCopyJobRequest,
  startCopyJob,
  vaultArn,
  vaultNameFromArn,
} from '../../shared/backup/index.js';
import { type Diagnosis, diagnoseApiError } from '../../shared/diagnosis/index.js';
import type { BackupEvent, BackupJobStateChange, CopyJobStateChange } from '../../shared/events/index.js';
import type { Claim, ExactlyOnce, LedgerCall } from '../../shared/ledger/exactly-once.js';
import type { LogSink } from '../../shared/logger.js';
import { count, type MetricSink } from '../../shared/metrics.js';
import { publishNotification } from '../../shared/notify.js';
import { COPY_ALERT_FLAG, type CopyClaimItem, claimCopy, copyKey, recordRefused, recordStarted } from './claims.js';
import {
  type CopyPlan,
  type CopyTrigger,
  type PlannedCopy,
  planCopies,
  type RecoveryPointFacts,
  routeHops,
  type Skip,
} from './plan.js';
import type { CopyRule } from './rules.js';

/** What the copy logic calls out to; tests pass mocks and a fixed clock. */
export interface StartCopyDeps {
  /** One Backup client per Region (a later hop runs in its intermediate vault's Region). */
  readonly backupClientFor: (region: string) => BackupClient;
  /** The ledger's exactly-once protocol (shared/ledger): claims, stored requests, alert-once. */
  readonly ledger: ExactlyOnce;
  readonly sns: SNSClient;
  readonly logger: LogSink;
  readonly metrics: MetricSink;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
}

/** The settings the copy logic reads. */
export interface StartCopySettings {
  readonly rules: readonly CopyRule[];
  readonly dryRun: boolean;
  readonly notifyTopicArn: string | undefined;
}

/** What happened to one planned copy. */
export type CopyResult =
  | { readonly outcome: 'started'; readonly copy: PlannedCopy; readonly copyJobId: string; readonly resent: boolean }
  | { readonly outcome: 'duplicate'; readonly copy: PlannedCopy; readonly status: string; readonly copyJobId?: string }
  | { readonly outcome: 'failed-to-start'; readonly copy: PlannedCopy; readonly diagnosis: Diagnosis }
  | { readonly outcome: 'dry-run'; readonly copy: PlannedCopy };

/** What one invocation did: the plan and each copy's result. */
export interface CopyRun {
  readonly plan: CopyPlan;
  readonly results: readonly CopyResult[];
}

/** Normalizes a completed backup event; DescribeBackupJob fills what the event lacks. */
const backupTrigger = async (deps: StartCopyDeps, event: BackupJobStateChange): Promise<CopyTrigger> => {
  const completed = event.state === 'COMPLETED';
  let { backupVaultName, backupVaultArn, recoveryPointArn, resourceType } = event;
  if (completed && (backupVaultName === undefined || recoveryPointArn === undefined)) {
    // AWS's COMPLETED sample carries the recovery point only in resources[0]; the parser takes it from
    // there, and DescribeBackupJob is the fallback when an event has neither.
    const job = await describeBackupJob(deps.backupClientFor(event.region), event.backupJobId, deps.signal);
    backupVaultName ??= job.BackupVaultName;
    backupVaultArn ??= job.BackupVaultArn;
    recoveryPointArn ??= job.RecoveryPointArn;
    resourceType ??= job.ResourceType;
  }
  const name = backupVaultName ?? (backupVaultArn ? vaultNameFromArn(backupVaultArn) : '');
  return {
    kind: 'backup',
    completed: completed && name !== '',
    source: {
      vaultName: name,
      vaultArn: backupVaultArn ?? vaultArn(event.region, event.account, name),
      resourceType,
      accountId: event.account,
      region: event.region,
    },
    recoveryPointArn,
  };
};

/** Normalizes a copy event; DescribeCopyJob fills the vaults when an event lacks them. */
const copyTrigger = async (deps: StartCopyDeps, event: CopyJobStateChange): Promise<CopyTrigger | undefined> => {
  let { sourceBackupVaultArn, destinationBackupVaultArn, destinationRecoveryPointArn, resourceType } = event;
  const completed = event.state === 'COMPLETED';
  if (completed && event.copyJobId && (!sourceBackupVaultArn || !destinationBackupVaultArn)) {
    const job = await describeCopyJob(deps.backupClientFor(event.region), event.copyJobId, deps.signal);
    sourceBackupVaultArn ??= job.SourceBackupVaultArn;
    destinationBackupVaultArn ??= job.DestinationBackupVaultArn;
    destinationRecoveryPointArn ??= job.DestinationRecoveryPointArn;
    resourceType ??= job.ResourceType;
  }
  if (!sourceBackupVaultArn || !destinationBackupVaultArn) return undefined;
  return {
    kind: 'copy',
    completed,
    source: {
      vaultArn: sourceBackupVaultArn,
      vaultName: vaultNameFromArn(sourceBackupVaultArn),
      resourceType,
      accountId: accountOf(sourceBackupVaultArn),
      region: regionOf(sourceBackupVaultArn),
    },
    destinationVaultArn: destinationBackupVaultArn,
    recoveryPointArn: destinationRecoveryPointArn,
  };
};

/**
 * Describes the recovery point the due hops copy from, in the vault (and Region) that holds it:
 * the backup's vault, or the vault the completed copy landed in.
 */
const describeSource = async (
  deps: StartCopyDeps,
  trigger: CopyTrigger,
  fromVaultArn: string,
): Promise<RecoveryPointFacts | undefined> => {
  const arn = trigger.recoveryPointArn;
  if (!trigger.completed || arn === undefined || isContinuousRecoveryPointArn(arn)) return undefined;
  const rp = await describeRecoveryPoint(
    deps.backupClientFor(regionOf(fromVaultArn)),
    { backupVaultName: vaultNameFromArn(fromVaultArn), recoveryPointArn: arn },
    deps.signal,
  );
  return {
    status: rp.Status,
    storageClass: rp.StorageClass,
    resourceType: rp.ResourceType,
    resourceArn: rp.ResourceArn,
    parentRecoveryPointArn: rp.ParentRecoveryPointArn,
  };
};

const alertBody = (copy: PlannedCopy, d: Diagnosis): string =>
  [
    `AWS Backup refused to start a copy (rule "${copy.ruleName}", hop ${copy.hop} of ${copy.hops}).`,
    '',
    `Destination: ${copy.destinationVaultArn}`,
    ...(copy.hops > 1 ? [`This hop copies into: ${copy.input.DestinationBackupVaultArn}`] : []),
    `Recovery point: ${copy.input.RecoveryPointArn} (vault ${copy.input.SourceBackupVaultName}, ${copy.region})`,
    `Role: ${copy.input.IamRoleArn}`,
    '',
    `Cause: ${d.cause}`,
    ...(d.statusMessage ? [`AWS said: ${d.statusMessage}`] : []),
    `Remedy: ${d.remedy}`,
    '',
    'This copy will not be tried again for this recovery point; later backups are copied as they complete.',
  ].join('\n');

/** One ledger call: the injected clock's time and the invocation's abort signal. */
const callOf = (deps: StartCopyDeps): LedgerCall => ({ now: deps.now(), signal: deps.signal });

/**
 * Publishes the one alert of a refused start (take-once: a redelivery never repeats it; a failed
 * publish gives the flag back so the retry sends it). False when another delivery sent it.
 */
const alertOnce = (
  deps: StartCopyDeps,
  settings: StartCopySettings,
  pk: string,
  copy: PlannedCopy,
  diagnosis: Diagnosis,
): Promise<boolean> => {
  const topic = settings.notifyTopicArn;
  return deps.ledger.tellOnce(
    pk,
    COPY_ALERT_FLAG,
    async () => {
      if (topic === undefined) {
        deps.logger.error('copy failed to start; NOTIFY_TOPIC_ARN unset, no alert sent', { pk, diagnosis });
        return;
      }
      await publishNotification(
        deps.sns,
        topic,
        {
          subject: `Backup copy not started: ${copy.ruleName} -> ${vaultNameFromArn(copy.destinationVaultArn)} (${diagnosis.category})`,
          body: alertBody(copy, diagnosis),
          attributes: {
            kind: 'copy-failed-to-start',
            category: diagnosis.category,
            account: copy.accountId,
            rule: copy.ruleName,
          },
        },
        deps.signal,
      );
    },
    callOf(deps),
  );
};

/**
 * Starts (or re-sends) one claimed copy. Only StartCopyJob sits inside the `try` whose failure is
 * reported as AWS's answer: recording the job id afterwards is our bookkeeping, and its failure is
 * raised (the stored request and token make the redelivery's re-send safe: AWS answers it with the
 * same copy job, API_StartCopyJob), never alerted as AWS refusing the copy.
 */
const startClaimed = async (
  deps: StartCopyDeps,
  settings: StartCopySettings,
  copy: PlannedCopy,
  pk: string,
  request: StartCopyJobRequest,
  resent: boolean,
): Promise<CopyResult> => {
  let copyJobId: string;
  try {
    copyJobId = (await startCopyJob(deps.backupClientFor(copy.region), request, deps.signal)).copyJobId;
  } catch (error) {
    // Throttling and 5xx (after the SDK's own retries), and anything that is not AWS's answer (our
    // own validation, a bug): give the lease back and raise, so Lambda's async retry re-sends the
    // stored request with the same token.
    if (!(error instanceof BackupApiError) || error.retryable) {
      await deps.ledger.release(pk, deps.signal);
      throw error;
    }
    const diagnosis = diagnoseApiError(error);
    await recordRefused(deps.ledger, pk, diagnosis, callOf(deps));
    deps.logger.error('copy failed to start', { rule: copy.ruleName, hop: copy.hop, input: request, diagnosis });
    count(deps.metrics, 'CopiesFailedToStart');
    await alertOnce(deps, settings, pk, copy, diagnosis);
    return { outcome: 'failed-to-start', copy, diagnosis };
  }
  try {
    await recordStarted(deps.ledger, pk, copyJobId, callOf(deps));
  } catch (error) {
    // AWS accepted the copy; only our record of it failed. Raise (not an alert): the redelivery
    // re-sends the stored request, and AWS answers the same token with the same copy job.
    await releaseQuietly(deps, pk);
    throw error;
  }
  deps.logger.info('copy started', {
    copyJobId,
    resent,
    rule: copy.ruleName,
    hop: copy.hop,
    hops: copy.hops,
    region: copy.region,
    input: request,
  });
  count(deps.metrics, 'CopiesStarted');
  return { outcome: 'started', copy, copyJobId, resent };
};

/** Gives the lease back so the redelivery re-sends at once; a failure here leaves the lease to run out. */
const releaseQuietly = async (deps: StartCopyDeps, pk: string): Promise<void> => {
  try {
    await deps.ledger.release(pk, deps.signal);
  } catch (error) {
    deps.logger.warn('copy claim not released: a redelivery waits for its lease', { pk, error });
  }
};

const duplicate = (deps: StartCopyDeps, copy: PlannedCopy, status: string, copyJobId?: string): CopyResult => {
  deps.logger.info('copy already claimed: duplicate delivery, nothing sent', {
    pk: copyKey(copy.input.IdempotencyToken),
    status,
    copyJobId,
    rule: copy.ruleName,
    hop: copy.hop,
  });
  count(deps.metrics, 'CopiesDuplicate');
  return { outcome: 'duplicate', copy, status, ...(copyJobId !== undefined ? { copyJobId } : {}) };
};

/** What an earlier delivery left: started (or being started), or refused with its alert perhaps still owed. */
const afterOthers = async (
  deps: StartCopyDeps,
  settings: StartCopySettings,
  copy: PlannedCopy,
  claim: Extract<Claim<StartCopyJobRequest>, { kind: 'held' | 'settled' }>,
): Promise<CopyResult> => {
  const item = claim.item as Partial<CopyClaimItem>;
  if (claim.kind === 'held') return duplicate(deps, copy, 'in-progress');
  if (claim.outcome === 'refused' && item.alertedAt === undefined && item.diagnosis !== undefined) {
    // The holder recorded AWS's refusal but could not publish its alert: this delivery owes it.
    const pk = copyKey(copy.input.IdempotencyToken);
    if (await alertOnce(deps, settings, pk, copy, item.diagnosis)) {
      return { outcome: 'failed-to-start', copy, diagnosis: item.diagnosis };
    }
  }
  return duplicate(deps, copy, item.status ?? claim.outcome, item.copyJobId);
};

/** Claims and starts one planned copy: exactly once per source recovery point, destination and hop. */
const runCopy = async (deps: StartCopyDeps, settings: StartCopySettings, copy: PlannedCopy): Promise<CopyResult> => {
  if (settings.dryRun) {
    deps.logger.info('copy planned (dry run: not started)', {
      rule: copy.ruleName,
      hop: copy.hop,
      hops: copy.hops,
      region: copy.region,
      input: copy.input,
    });
    return { outcome: 'dry-run', copy };
  }
  const claim = await claimCopy(deps.ledger, copy, callOf(deps));
  const pk = copyKey(copy.input.IdempotencyToken);
  switch (claim.kind) {
    case 'claimed':
    case 'resumed':
      // A resumed claim re-sends what the dead holder stored, not what this delivery planned.
      return startClaimed(deps, settings, copy, pk, claim.request ?? copy.input, claim.kind === 'resumed');
    case 'held':
    case 'settled':
      return afterOthers(deps, settings, copy, claim);
  }
};

/**
 * Plans and starts the copies one AWS Backup event makes due. Every copy is attempted even when
 * another fails; the first retryable error is rethrown at the end so Lambda retries the event
 * (claims make the retry re-send only what did not start).
 */
export const startCopiesFor = async (
  deps: StartCopyDeps,
  settings: StartCopySettings,
  event: BackupEvent,
): Promise<CopyRun> => {
  const trigger =
    event.kind === 'backup-job'
      ? await backupTrigger(deps, event)
      : event.kind === 'copy-job'
        ? await copyTrigger(deps, event)
        : undefined;
  if (trigger === undefined) {
    const plan: CopyPlan = {
      starts: [],
      skips: [{ reason: 'previous-hop-not-completed', detail: `a ${event.kind} event names no completed copy` }],
    };
    logSkips(deps, plan.skips);
    return { plan, results: [] };
  }
  const due = routeHops(settings.rules, trigger);
  const from = due.hops[0]?.fromVaultArn;
  const recoveryPoint = from === undefined ? undefined : await describeSource(deps, trigger, from);
  const plan = planCopies(settings.rules, { trigger, recoveryPoint });
  deps.logger.info('copies planned', {
    trigger: trigger.kind,
    recoveryPointArn: trigger.recoveryPointArn,
    starts: plan.starts.length,
    skips: plan.skips.length,
  });
  logSkips(deps, plan.skips);
  const results: CopyResult[] = [];
  let retryable: unknown;
  for (const copy of plan.starts) {
    try {
      results.push(await runCopy(deps, settings, copy));
    } catch (error) {
      deps.logger.warn('copy not started yet: will be retried', { rule: copy.ruleName, hop: copy.hop, error });
      retryable ??= error;
    }
  }
  if (retryable !== undefined) throw retryable;
  return { plan, results };
};

const logSkips = (deps: StartCopyDeps, skips: readonly Skip[]): void => {
  for (const skip of skips) {
    deps.logger.info('copy skipped', { ...skip });
    count(deps.metrics, 'CopiesSkipped');
    count(deps.metrics, `CopiesSkipped.${skip.reason}`);
  }
};
