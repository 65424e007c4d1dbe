import {
  BackupApiError,
  type StartBackupJobRequest,
  type StartCopyJobRequest,
  startBackupJob,
  startCopyJob,
} from '../../shared/backup/index.js';
import { type Diagnosis, diagnoseApiError } from '../../shared/diagnosis/index.js';
import { type LedgerCall, ledgerCall } from '../../shared/ledger/exactly-once.js';
import { giveBackSignal } from '../../shared/ledger/policy.js';
import { count } from '../../shared/metrics.js';
import { ALERTING_SKIPS, type Decision } from './decide.js';
import { backupAt, type RetryDeps } from './deps.js';
import type { FailedJob, FailedJobRef, FailedKind, JobOutcome } from './facts.js';
import type { AttemptInput, AttemptItem, Refusal, RetryRecord } from './ledger.js';
import { type AttemptPayload, scheduleAttempt } from './schedule.js';
import { alertOnce } from './tell.js';

/** A retry due within this margin starts now rather than through a schedule. */
const START_NOW_MARGIN_MS = 60_000;

export interface ActContext {
  readonly job: FailedJob;
  readonly diagnosis: Diagnosis;
  readonly key: string;
  readonly record: RetryRecord | undefined;
  readonly decision: Decision;
  readonly ref: FailedJobRef;
  readonly now: Date;
}

export async function act(deps: RetryDeps, c: ActContext): Promise<JobOutcome> {
  const { decision, job, key, now } = c;
  const { config, ledger } = deps;
  if (decision.outcome === 'skip') {
    count(deps.metrics, 'RetriesSkipped');
    const exhausted = decision.reason === 'attempts-exhausted';
    if (exhausted) count(deps.metrics, 'RetriesExhausted');
    const told = ALERTING_SKIPS.has(decision.reason)
      ? await alertOnce(deps, job, c.diagnosis, key, exhausted ? 'retries exhausted' : 'not retried', c.record)
      : undefined;
    const alerted = told === 'published';
    if (!config.dryRun) {
      // A redelivery (the status write failed after the alert went out) finds the alert already
      // sent: the person was told all the same, so the record says `alerted`, not `skipped`.
      const status = exhausted ? 'exhausted' : alerted || told === 'already-sent' ? 'alerted' : 'skipped';
      await ledger.status(
        key,
        status,
        `${decision.reason}: ${decision.detail}`,
        c.diagnosis.category,
        ledgerCall(deps, now),
      );
    }
    return { result: 'skipped', jobId: job.jobId, reason: decision.reason, alerted };
  }
  if (decision.outcome === 'wait') {
    await schedule(deps, c, { attempt: decision.attempt, wait: decision.wait }, decision.until, decision.reason);
    count(deps.metrics, 'RetriesWaiting');
    return { result: 'waiting', jobId: job.jobId, attempt: decision.attempt, activeJobId: decision.activeJobId };
  }
  // An attempt's own schedule fires at its time; a look again (while a job ran) may come before the
  // attempt's backoff has passed, and then schedules the attempt for that time.
  const attemptFired = c.ref.trigger === 'attempt' && c.ref.attempt?.wait === undefined;
  const dueNow = decision.notBefore.getTime() - now.getTime() <= START_NOW_MARGIN_MS || attemptFired;
  if (dueNow) {
    const decided = { kind: job.kind, input: decision.input };
    return startAttempt(deps, { job, diagnosis: c.diagnosis, key, record: c.record }, decision.attempt, decided);
  }
  await schedule(deps, c, { attempt: decision.attempt }, decision.notBefore, decision.reason);
  count(deps.metrics, 'RetriesScheduled');
  return { result: 'scheduled', jobId: job.jobId, attempt: decision.attempt };
}

/**
 * Has EventBridge Scheduler invoke the function for this attempt at `when` (a retry after its
 * backoff, or a look again while a job runs for the resource); the ledger says so first.
 */
async function schedule(
  deps: RetryDeps,
  c: ActContext,
  which: Pick<AttemptPayload, 'attempt' | 'wait'>,
  when: Date,
  reason: string,
): Promise<void> {
  const { config, ledger } = deps;
  const { job, key } = c;
  const payload: AttemptPayload = {
    source: 'backup-autopilot',
    action: 'retry-attempt',
    logicalKey: key,
    ...which,
    kind: job.kind,
    jobId: job.jobId,
    account: job.accountId,
    region: job.region,
  };
  if (config.dryRun) {
    deps.logger.info('dry run: would schedule retry attempt', { payload, at: when.toISOString() });
    return;
  }
  await ledger.status(key, 'scheduled', reason, c.diagnosis.category, ledgerCall(deps, c.now));
  const target = {
    groupName: config.schedulerGroupName,
    roleArn: config.schedulerRoleArn,
    functionArn: deps.identity.functionArn,
    deadLetterArn: config.schedulerDeadLetterArn,
  };
  const created = await scheduleAttempt(deps.scheduler, target, payload, when, deps.signal);
  if (!created) deps.logger.info('attempt schedule already existed', { logicalKey: key, ...which });
}

export interface AttemptContext {
  readonly job: FailedJob;
  readonly diagnosis: Diagnosis;
  readonly key: string;
  readonly record: RetryRecord | undefined;
}

/** What an attempt sends: the kind of Start and its exact input. */
interface AttemptRequest {
  readonly kind: FailedKind;
  readonly input: AttemptInput;
}

export function stored(item: AttemptItem): AttemptRequest {
  return { kind: item.jobKind, input: item.request };
}

/**
 * Sends one attempt's Start through the shared exactly-once protocol: the claim stores the decided
 * input before the call, or hands back the input an earlier (dead) holder stored, which is re-sent as
 * it is. Only the Start sits inside the `try` whose failure is read as AWS's answer: recording the
 * started job is our bookkeeping, and its failure is raised (the stored input and token make the
 * redelivery's re-send safe), never reported as AWS refusing the Start.
 */
export async function startAttempt(
  deps: RetryDeps,
  c: AttemptContext,
  attempt: number,
  request: AttemptRequest,
): Promise<JobOutcome> {
  const { ledger, config } = deps;
  const { job, key } = c;
  const now = deps.now();
  const call = ledgerCall(deps, now);
  if (config.dryRun) {
    deps.logger.info('dry run: would start retry', {
      logicalKey: key,
      attempt,
      kind: request.kind,
      input: request.input,
    });
    return { result: 'started', jobId: job.jobId, attempt };
  }
  const claim = await ledger.claimAttempt(key, attempt, request.kind, request.input, call);
  if (claim.kind === 'held') {
    deps.logger.info('attempt held by another invocation', { logicalKey: key, attempt });
    return { result: 'in-flight', jobId: job.jobId, attempt };
  }
  if (claim.kind === 'settled') {
    const item = claim.item as Partial<AttemptItem>;
    // Refused for good by an invocation that may have died (or failed to publish) before its alert:
    // tell the person now; the alert's take-once flag keeps it to one.
    if (claim.outcome === 'refused') return tellRefused(deps, c, attempt, refusalOf(item), call);
    // Started by another invocation, which may have died before counting it: count it (idempotent).
    await countAnswered(deps, key, attempt, { ...item, jobKind: item.jobKind ?? request.kind }, call);
    deps.logger.info('attempt already answered', { logicalKey: key, attempt, outcome: claim.outcome });
    return { result: 'duplicate', jobId: job.jobId };
  }
  const kind =
    claim.kind === 'resumed' ? ((claim.item.jobKind as FailedKind | undefined) ?? request.kind) : request.kind;
  const input = claim.request ?? request.input;
  // In the failed job's own account and Region: a copy job lives in its source account (aws-facts.md).
  const backup = backupAt(deps, { account: job.accountId, region: job.region });
  let newJobId: string;
  try {
    newJobId =
      kind === 'copy'
        ? (await startCopyJob(backup, input as StartCopyJobRequest, deps.signal)).copyJobId
        : (await startBackupJob(backup, input as StartBackupJobRequest, deps.signal)).backupJobId;
  } catch (error) {
    if (error instanceof BackupApiError && !error.retryable) {
      // A non-retryable API error does not loop: diagnose it, tell a person once, stop.
      // Settled first, so it is never re-sent; a failure before the alert is published leaves the
      // refusal for the redelivery, which finds it settled and alerts from what is stored here.
      const refusal: Refusal = {
        errorName: error.errorName,
        errorMessage: error.cause instanceof Error ? error.cause.message : error.message,
        ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
      };
      await ledger.refuseAttempt(key, attempt, refusal, call);
      count(deps.metrics, 'RetriesFailedToStart');
      return tellRefused(deps, c, attempt, refusal, call);
    }
    // Throttling (after the SDK's own retries), and anything that is not AWS's answer: keep the
    // input, free the lease, raise, so Lambda's async retry re-sends the identical request.
    await ledger.releaseAttempt(key, attempt, giveBackSignal());
    throw error;
  }
  try {
    await ledger.started({ key, attempt, kind, input, newJobId }, call);
  } catch (error) {
    // AWS accepted the Start; only our record of it failed. Raise (never "could not start"): the
    // redelivery re-sends the stored input, and AWS answers the same token with the same job.
    try {
      await ledger.releaseAttempt(key, attempt, giveBackSignal());
    } catch (releaseError) {
      deps.logger.warn('attempt not released: a redelivery waits for its lease', { logicalKey: key, releaseError });
    }
    throw error;
  }
  count(deps.metrics, 'RetriesStarted');
  deps.logger.info('retry started', { logicalKey: key, attempt, kind, newJobId, input });
  return { result: 'started', jobId: job.jobId, attempt, newJobId };
}

/** The refusal an attempt item stored (items settled before the message was stored carry its name only). */
function refusalOf(item: Partial<AttemptItem>): Refusal {
  return {
    errorName: item.errorName ?? 'UnknownError',
    ...(item.errorMessage !== undefined ? { errorMessage: item.errorMessage } : {}),
    ...(item.statusCode !== undefined ? { statusCode: item.statusCode } : {}),
  };
}

/**
 * Tells a person, once, that AWS refused an attempt's Start for good, from the refusal as AWS
 * answered it or as the attempt item stored it (the same diagnosis either way: the one table of API
 * errors reads the error's name, status and message).
 */
async function tellRefused(
  deps: RetryDeps,
  c: AttemptContext,
  attempt: number,
  refusal: Refusal,
  call: LedgerCall,
): Promise<JobOutcome> {
  const { job, key } = c;
  const diagnosis = diagnoseApiError(
    new BackupApiError(
      job.kind === 'copy' ? 'StartCopyJob' : 'StartBackupJob',
      refusal.errorName,
      false,
      refusal.statusCode,
      new Error(refusal.errorMessage ?? refusal.errorName),
    ),
  );
  deps.logger.warn('retry could not start', { logicalKey: key, attempt, error: refusal.errorName, diagnosis });
  const alerted = (await alertOnce(deps, job, diagnosis, key, 'retry could not start', c.record)) === 'published';
  await deps.ledger.status(key, 'alerted', `start failed: ${refusal.errorName}`, diagnosis.category, call);
  return { result: 'start-failed', jobId: job.jobId, category: diagnosis.category, alerted };
}

/**
 * Counts an attempt AWS accepted whose counting an earlier invocation may not have finished (it
 * died, or DynamoDB failed, between settling the attempt and the record): idempotent.
 */
export async function countAnswered(
  deps: RetryDeps,
  key: string,
  attempt: number,
  item: Partial<AttemptItem>,
  call: LedgerCall,
): Promise<void> {
  if (item.settled !== 'completed' || item.jobId === undefined || item.request === undefined) return;
  const kind = item.jobKind ?? 'backup';
  await deps.ledger.countStarted({ key, attempt, kind, input: item.request, newJobId: item.jobId }, call);
}
