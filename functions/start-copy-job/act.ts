import { BackupApiError, type StartCopyJobRequest, startCopyJob } from '../../shared/backup/index.js';
import { diagnoseApiError } from '../../shared/diagnosis/index.js';
import { ToolkitError } from '../../shared/errors.js';
import { type Claim, ledgerCall } from '../../shared/ledger/exactly-once.js';
import { giveBackSignal } from '../../shared/ledger/policy.js';
import { count } from '../../shared/metrics.js';
import { type CopyClaimItem, claimCopy, copyKey, recordRefused, recordStarted } from './claims.js';
import type { PlannedCopy } from './decide.js';
import type { CopyResult, StartCopyDeps } from './deps.js';
import { alertOnce } from './tell.js';

/**
 * Starts (or re-sends) one claimed copy. Only StartCopyJob sits inside the `try` whose failure is
 * reported as AWS's answer: recording the job id afterwards is our bookkeeping, and its failure is
 * raised (the stored request and token make the redelivery's re-send safe: AWS answers it with the
 * same copy job, API_StartCopyJob), never alerted as AWS refusing the copy.
 */
async function startClaimed(
  deps: StartCopyDeps,
  copy: PlannedCopy,
  pk: string,
  request: StartCopyJobRequest,
  resent: boolean,
): Promise<CopyResult> {
  let copyJobId: string;
  try {
    // In the source recovery point's account and Region: a copy job lives in its source account
    // (aws-facts.md), so central mode starts it with that account's member role.
    copyJobId = (await startCopyJob(deps.backupClientFor(copy.region, copy.accountId), request, deps.signal)).copyJobId;
  } catch (error) {
    // Throttling and 5xx (after the SDK's own retries), and anything that is not AWS's answer (our
    // own validation, a bug): give the lease back and raise, so Lambda's async retry re-sends the
    // stored request with the same token.
    if (!(error instanceof BackupApiError) || error.retryable) {
      await releaseQuietly(deps, pk);
      throw error;
    }
    const diagnosis = diagnoseApiError(error);
    await recordRefused(deps.ledger, pk, diagnosis, ledgerCall(deps));
    deps.logger.error('copy failed to start', { rule: copy.ruleName, hop: copy.hop, input: request, diagnosis });
    count(deps.metrics, 'CopiesFailedToStart');
    await alertOnce(deps, pk, copy, diagnosis);
    return { outcome: 'failed-to-start', copy, diagnosis };
  }
  try {
    await recordStarted(deps.ledger, pk, copyJobId, ledgerCall(deps));
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
}

/**
 * A copy another invocation claimed and has not answered yet (still running, or dead inside its
 * lease). Raised so the event is delivered again; never read as the copy having started.
 */
export class CopyInFlightError extends ToolkitError {
  constructor(ruleName: string, hop: number, leaseUntil: string) {
    super(
      `copy of rule "${ruleName}" (hop ${hop}) is claimed by another invocation until ${leaseUntil}; not started yet`,
    );
    this.name = 'CopyInFlightError';
  }
}

/**
 * Gives the lease back so the redelivery re-sends at once; a failure here leaves the lease to run
 * out and never hides the error being raised. With a signal of its own: the failure may be the
 * invocation's signal aborting, which would fail the give-back at once.
 */
async function releaseQuietly(deps: StartCopyDeps, pk: string): Promise<void> {
  try {
    await deps.ledger.release(pk, giveBackSignal());
  } catch (error) {
    deps.logger.warn('copy claim not released: a redelivery waits for its lease', { pk, error });
  }
}

function duplicate(deps: StartCopyDeps, copy: PlannedCopy, status: string, copyJobId?: string): CopyResult {
  deps.logger.info('copy already claimed: duplicate delivery, nothing sent', {
    pk: copyKey(copy.input.IdempotencyToken),
    status,
    copyJobId,
    rule: copy.ruleName,
    hop: copy.hop,
  });
  count(deps.metrics, 'CopiesDuplicate');
  return { outcome: 'duplicate', copy, status, ...(copyJobId !== undefined ? { copyJobId } : {}) };
}

/** What an earlier delivery left: started (or being started), or refused with its alert perhaps still owed. */
async function afterOthers(
  deps: StartCopyDeps,
  copy: PlannedCopy,
  claim: Extract<Claim<StartCopyJobRequest>, { kind: 'held' | 'settled' }>,
): Promise<CopyResult> {
  const item = claim.item as Partial<CopyClaimItem>;
  if (claim.kind === 'held') {
    // Not a duplicate: the holder may have died before StartCopyJob. Raise, so Lambda's retry (or
    // the copy sweep, after the lease) comes back; a live holder will have settled it by then.
    const until = typeof claim.item.leaseUntil === 'number' ? new Date(claim.item.leaseUntil).toISOString() : 'unknown';
    deps.logger.warn('copy claimed by another invocation and not answered yet: will be retried', {
      pk: copyKey(copy.input.IdempotencyToken),
      leaseUntil: until,
      rule: copy.ruleName,
      hop: copy.hop,
    });
    count(deps.metrics, 'CopiesInFlight');
    throw new CopyInFlightError(copy.ruleName, copy.hop, until);
  }
  if (claim.outcome === 'refused' && item.alertedAt === undefined && item.diagnosis !== undefined) {
    // The holder recorded AWS's refusal but could not publish its alert: this delivery owes it.
    const pk = copyKey(copy.input.IdempotencyToken);
    if (await alertOnce(deps, pk, copy, item.diagnosis)) {
      return { outcome: 'failed-to-start', copy, diagnosis: item.diagnosis };
    }
  }
  return duplicate(deps, copy, item.status ?? claim.outcome, item.copyJobId);
}

/** Claims and starts one planned copy: exactly once per source recovery point, destination and hop. */
export async function runCopy(deps: StartCopyDeps, copy: PlannedCopy): Promise<CopyResult> {
  if (deps.config.dryRun) {
    deps.logger.info('copy planned (dry run: not started)', {
      rule: copy.ruleName,
      hop: copy.hop,
      hops: copy.hops,
      region: copy.region,
      input: copy.input,
    });
    return { outcome: 'dry-run', copy };
  }
  const claim = await claimCopy(deps.ledger, copy, ledgerCall(deps));
  const pk = copyKey(copy.input.IdempotencyToken);
  switch (claim.kind) {
    case 'claimed':
    case 'resumed':
      // A resumed claim re-sends what the dead holder stored, not what this delivery planned.
      return startClaimed(deps, copy, pk, claim.request ?? copy.input, claim.kind === 'resumed');
    case 'held':
    case 'settled':
      return afterOthers(deps, copy, claim);
  }
}
