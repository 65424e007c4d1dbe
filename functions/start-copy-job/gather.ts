import {
  accountOf,
  describeBackupJob,
  describeCopyJob,
  describeRecoveryPoint,
  isContinuousRecoveryPointArn,
  type JobOrigin,
  jobOriginOf,
  type RecoveryPointCreator,
  regionOf,
  vaultArn,
  vaultNameFromArn,
} from '../../shared/backup/index.js';
import type { BackupJobStateChange, CopyJobStateChange } from '../../shared/events/index.js';
import { CopyInFlightError } from './act.js';
import { type CopyClaimItem, copyKey } from './claims.js';
import { type CopyTrigger, previousHopTokens, type RecoveryPointFacts } from './decide.js';
import type { StartCopyDeps } from './deps.js';
import type { CopyRule } from './rules.js';

/** Normalizes a completed backup event; DescribeBackupJob fills what the event lacks. */
export async function backupTrigger(deps: StartCopyDeps, event: BackupJobStateChange): Promise<CopyTrigger> {
  const completed = event.state === 'COMPLETED';
  let { backupVaultName, backupVaultArn, recoveryPointArn, resourceType } = event;
  // The event's createdBy names the plan and rule by id; a DescribeBackupJob read anyway adds the names.
  let origin: JobOrigin | undefined = event.createdBy
    ? jobOriginOf({ BackupPlanId: event.createdBy.backupPlanId, BackupRuleId: event.createdBy.backupRuleId })
    : undefined;
  if (completed && (backupVaultName === undefined || recoveryPointArn === undefined)) {
    // AWS's COMPLETED sample carries the recovery point only in resources[0]; the parser takes it from
    // there, and DescribeBackupJob is the fallback when an event has neither.
    const job = await describeBackupJob(
      deps.backupClientFor(event.region, event.account),
      event.backupJobId,
      deps.signal,
    );
    backupVaultName ??= job.BackupVaultName;
    backupVaultArn ??= job.BackupVaultArn;
    recoveryPointArn ??= job.RecoveryPointArn;
    resourceType ??= job.ResourceType;
    origin = jobOriginOf(job.CreatedBy) ?? origin;
  }
  const name = backupVaultName ?? (backupVaultArn ? vaultNameFromArn(backupVaultArn) : '');
  return {
    kind: 'backup',
    completed: completed && name !== '',
    source: {
      vaultName: name,
      vaultArn: backupVaultArn ?? vaultArn(event.region, event.account, name, deps.identity.partition),
      resourceType,
      accountId: event.account,
      region: event.region,
    },
    recoveryPointArn,
    ...(origin ? { origin } : {}),
  };
}

/** Normalizes a copy event; DescribeCopyJob fills the vaults when an event lacks them. */
export async function copyTrigger(deps: StartCopyDeps, event: CopyJobStateChange): Promise<CopyTrigger | undefined> {
  let { sourceBackupVaultArn, destinationBackupVaultArn, destinationRecoveryPointArn, sourceRecoveryPointArn } = event;
  let { resourceType } = event;
  const completed = event.state === 'COMPLETED';
  let origin: JobOrigin | undefined;
  if (
    completed &&
    event.copyJobId &&
    (!sourceBackupVaultArn || !destinationBackupVaultArn || !sourceRecoveryPointArn)
  ) {
    const job = await describeCopyJob(deps.backupClientFor(event.region, event.account), event.copyJobId, deps.signal);
    sourceBackupVaultArn ??= job.SourceBackupVaultArn;
    destinationBackupVaultArn ??= job.DestinationBackupVaultArn;
    destinationRecoveryPointArn ??= job.DestinationRecoveryPointArn;
    sourceRecoveryPointArn ??= job.SourceRecoveryPointArn;
    resourceType ??= job.ResourceType;
    origin = jobOriginOf(job.CreatedBy);
  }
  if (!sourceBackupVaultArn || !destinationBackupVaultArn) return undefined;
  return {
    kind: 'copy',
    completed,
    ...(event.copyJobId ? { copyJobId: event.copyJobId } : {}),
    ...(sourceRecoveryPointArn ? { sourceRecoveryPointArn } : {}),
    source: {
      vaultArn: sourceBackupVaultArn,
      vaultName: vaultNameFromArn(sourceBackupVaultArn),
      resourceType,
      accountId: accountOf(sourceBackupVaultArn),
      region: regionOf(sourceBackupVaultArn),
    },
    destinationVaultArn: destinationBackupVaultArn,
    recoveryPointArn: destinationRecoveryPointArn,
    ...(origin ? { origin } : {}),
  };
}

/**
 * Describes the recovery point the due hops copy from, in the vault (and Region) that holds it:
 * the backup's vault, or the vault the completed copy landed in.
 */
export async function describeSource(
  deps: StartCopyDeps,
  trigger: CopyTrigger,
  fromVaultArn: string,
): Promise<RecoveryPointFacts | undefined> {
  const arn = trigger.recoveryPointArn;
  if (!trigger.completed || arn === undefined || isContinuousRecoveryPointArn(arn)) return undefined;
  const rp = await describeRecoveryPoint(
    deps.backupClientFor(regionOf(fromVaultArn), accountOf(fromVaultArn)),
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
}

/** A completed backup job as ListBackupJobs returns it, as far as copying cares. */
export interface ListedBackupJob {
  readonly BackupVaultName?: string;
  readonly BackupVaultArn?: string;
  readonly RecoveryPointArn?: string;
  readonly ResourceType?: string;
  readonly AccountId?: string;
  /** The plan rule that made it (ids, and names when AWS sends them): alerts name it. */
  readonly CreatedBy?: RecoveryPointCreator;
}

/**
 * The trigger a COMPLETED backup job listed by the copy sweep makes: the same shape as its event's
 * (backupTrigger), so the sweep plans exactly as the event would have. The job is of the listed
 * account and Region `identity` (ListBackupJobs without ByAccountId lists the caller's only).
 */
export function triggerOfBackupJob(
  job: ListedBackupJob,
  identity: { readonly accountId: string; readonly region: string; readonly partition?: string },
): CopyTrigger {
  const name = job.BackupVaultName ?? (job.BackupVaultArn ? vaultNameFromArn(job.BackupVaultArn) : '');
  const origin = jobOriginOf(job.CreatedBy);
  return {
    kind: 'backup',
    completed: name !== '' && job.RecoveryPointArn !== undefined,
    source: {
      vaultName: name,
      vaultArn: job.BackupVaultArn ?? vaultArn(identity.region, identity.accountId, name, identity.partition),
      resourceType: job.ResourceType,
      accountId: job.AccountId ?? identity.accountId,
      region: identity.region,
    },
    recoveryPointArn: job.RecoveryPointArn,
    ...(origin ? { origin } : {}),
  };
}

/** A completed copy job as ListCopyJobs returns it, as far as copying cares. */
export interface ListedCopyJob {
  readonly CopyJobId?: string;
  readonly SourceRecoveryPointArn?: string;
  readonly SourceBackupVaultArn?: string;
  readonly DestinationBackupVaultArn?: string;
  readonly DestinationRecoveryPointArn?: string;
  readonly ResourceType?: string;
}

/** The trigger a COMPLETED copy job listed by the copy sweep makes (its route's next hop), as copyTrigger. */
export function triggerOfCopyJob(job: ListedCopyJob): CopyTrigger | undefined {
  const { SourceBackupVaultArn: from, DestinationBackupVaultArn: to } = job;
  if (!from || !to) return undefined;
  return {
    kind: 'copy',
    completed: true,
    ...(job.CopyJobId ? { copyJobId: job.CopyJobId } : {}),
    ...(job.SourceRecoveryPointArn ? { sourceRecoveryPointArn: job.SourceRecoveryPointArn } : {}),
    source: {
      vaultArn: from,
      vaultName: vaultNameFromArn(from),
      resourceType: job.ResourceType,
      accountId: accountOf(from),
      region: regionOf(from),
    },
    destinationVaultArn: to,
    recoveryPointArn: job.DestinationRecoveryPointArn,
  };
}

/**
 * Whether the copy job a hop's claim names FAILED. Then a completed copy of the same recovery point
 * into the same vault (its token is the hop's) is that hop made again: the retry function retries a
 * FAILED copy job with StartCopyJob (RETRY_COPY_JOBS), and a person may run it again by hand. That
 * copy continues the route; without this, a route whose hop was retried ended there, and the copy
 * into its destination was never made. A claimed copy still running, or completed, is the hop itself.
 */
async function claimedCopyFailed(deps: StartCopyDeps, claim: CopyClaimItem): Promise<boolean> {
  const job = await describeCopyJob(
    deps.backupClientFor(claim.region, claim.accountId),
    claim.copyJobId as string,
    deps.signal,
  );
  return job.State === 'FAILED';
}

/**
 * Which route hops a completed copy job is, from the ledger: of the tokens it would have been started
 * with ({@link previousHopTokens}), those whose claim item names this copy job id, or names a copy
 * job that FAILED (this one is then that hop made again: {@link claimedCopyFailed}). A claim not
 * answered yet (its Start in flight, or its holder dead before it recorded the job id) may be this
 * job: raised as in flight, so the event comes again (or the sweep lists the job) once the claim is
 * answered.
 */
export async function withStartedAs(
  deps: StartCopyDeps,
  rules: readonly CopyRule[],
  trigger: CopyTrigger,
): Promise<CopyTrigger> {
  if (trigger.kind !== 'copy' || !trigger.completed) return trigger;
  const startedAs = new Set<string>();
  const claimOf = (token: string) =>
    deps.ledger.get<CopyClaimItem & { settled?: string; leaseUntil?: number }>(copyKey(token), deps.signal);
  for (const [token, ...older] of previousHopTokens(rules, trigger)) {
    const item = await claimOf(token as string);
    // Claimed under its own token, the hop was started by this release. Only without that claim may
    // an earlier release have started it, under one of the older tokens: each is read (the old
    // tokens of two routes that now share this hop named two different copy jobs).
    const found: [string, Awaited<ReturnType<typeof claimOf>>][] = item !== undefined ? [[token as string, item]] : [];
    if (item === undefined) for (const old of older) found.push([old, await claimOf(old)]);
    for (const [claimed, claim] of found) {
      if (claim === undefined) continue;
      if (trigger.copyJobId !== undefined && claim.copyJobId === trigger.copyJobId) startedAs.add(claimed);
      else if (claim.copyJobId === undefined && claim.settled === undefined) {
        throw new CopyInFlightError(
          claim.ruleName ?? 'unknown',
          claim.hop ?? 0,
          new Date(claim.leaseUntil ?? 0).toISOString(),
        );
      } else if (
        trigger.copyJobId !== undefined &&
        claim.copyJobId !== undefined &&
        (await claimedCopyFailed(deps, claim))
      ) {
        startedAs.add(claimed);
      }
    }
  }
  return { ...trigger, startedAs };
}
