import { diagnoseJob } from '../../shared/diagnosis/index.js';
import { outOfScope } from '../../shared/events/index.js';
import { ledgerCall } from '../../shared/ledger/exactly-once.js';
import { giveBackSignal } from '../../shared/ledger/policy.js';
import { count } from '../../shared/metrics.js';
import { act, countAnswered, startAttempt, stored } from './act.js';
import type { RetryConfig } from './config.js';
import { decide, type SkipReason } from './decide.js';
import { backupAt, homePlace, type RetryDeps } from './deps.js';
import { type Facts, type FailedJob, type FailedJobRef, JobInFlightError, type JobOutcome } from './facts.js';
import { describeFailedJob, planRuleOf, relatedJobs, ruleScheduleOf } from './gather.js';
import { type AttemptItem, logicalKeyOf } from './ledger.js';
import { nextPlanRun } from './next-run.js';
import { retryInput } from './retry-input.js';

/** What the described job's state and message say: the diagnosis every decision and alert uses. */
function diagnosisOf(job: FailedJob) {
  return diagnoseJob({
    kind: job.kind,
    state: job.state,
    messageCategory: job.messageCategory,
    statusMessage: job.statusMessage,
    resourceType: job.resourceType,
    // Read with the job (DescribeBackupJob/DescribeCopyJob): a locked or air-gapped vault explains more.
    ...(job.vault ? { vault: job.vault } : {}),
  });
}

function unwantedEvent(ref: FailedJobRef, config: RetryConfig): SkipReason | undefined {
  if (!ref.eventState) return undefined;
  if (ref.kind === 'copy') {
    if (ref.eventState !== 'FAILED') return 'state-not-configured';
    return config.retryCopyJobs ? undefined : 'copy-retries-disabled';
  }
  return (config.retryStates as readonly string[]).includes(ref.eventState) ? undefined : 'state-not-configured';
}

/**
 * Handles one failed job: dedupe through the ledger, describe, diagnose, decide, act. Exactly one
 * Start per attempt: concurrent deliveries lose the claim; the Start input is written to the ledger
 * before the call and re-sent identically after a crash (same idempotency token).
 */
export async function handleFailedJob(deps: RetryDeps, ref: FailedJobRef): Promise<JobOutcome> {
  const { ledger, config, logger } = deps;
  // Another account's or partition's event is not this function's to act on: no AWS call, no write.
  const scope = ref.event && outOfScope(ref.event, deps.identity, [], deps.deployment.mode);
  if (scope) {
    logger.warn('event out of scope: not retried', { jobId: ref.jobId, ...scope });
    count(deps.metrics, 'RetriesSkipped');
    return { result: 'skipped', jobId: ref.jobId, reason: scope.reason, alerted: false };
  }
  const unwanted = unwantedEvent(ref, config);
  if (unwanted) {
    // The rules may route more than the settings retry (ABORTED is opt-in): no AWS call for those.
    logger.info('event not retried by configuration', { jobId: ref.jobId, state: ref.eventState, reason: unwanted });
    count(deps.metrics, 'RetriesSkipped');
    return { result: 'skipped', jobId: ref.jobId, reason: unwanted, alerted: false };
  }
  const now = deps.now();
  const pointer = await ledger.pointer(ref.kind, ref.jobId, deps.signal);
  const claims = ref.trigger !== 'attempt' && !config.dryRun;
  if (ref.trigger !== 'attempt') {
    if (pointer?.status === 'done') {
      logger.info('failed job already handled', { jobId: ref.jobId, trigger: ref.trigger });
      return { result: 'duplicate', jobId: ref.jobId };
    }
    const claim = claims ? await ledger.claim(ref.kind, ref.jobId, ledgerCall(deps, now), ref.place) : undefined;
    if (claim?.kind === 'settled') {
      logger.info('failed job already handled', { jobId: ref.jobId, trigger: ref.trigger });
      return { result: 'duplicate', jobId: ref.jobId };
    }
    if (claim?.kind === 'held') {
      // Not handled yet (its holder may be dead inside the lease): never counted as handled, so
      // Lambda retries this delivery, and the sweep finds the claim once its lease has passed.
      logger.info('failed job is being handled by another invocation', { jobId: ref.jobId });
      throw new JobInFlightError(ref.kind, ref.jobId, claim.item.leaseUntil);
    }
  }
  let handled: { outcome: JobOutcome; key: string };
  try {
    handled = await handleClaimed(deps, ref, pointer?.logicalKey, now);
  } catch (error) {
    // Give the claim back so Lambda's async retry of this event proceeds instead of waiting out the
    // lease; with a signal of its own, since the failure may be the invocation's signal aborting.
    if (claims) await ledger.releaseClaim(ref.kind, ref.jobId, giveBackSignal());
    throw error;
  }
  if (claims) {
    // An attempt another invocation holds is not this event's to close: a redelivery after the
    // lease (or the sweep) re-sends it.
    if (handled.outcome.result === 'in-flight') await ledger.releaseClaim(ref.kind, ref.jobId, giveBackSignal());
    else await ledger.done(ref.kind, ref.jobId, handled.key, ledgerCall(deps, now));
  }
  return handled.outcome;
}

async function handleClaimed(
  deps: RetryDeps,
  ref: FailedJobRef,
  pointerKey: string | undefined,
  now: Date,
): Promise<{ outcome: JobOutcome; key: string }> {
  const { ledger, config, logger } = deps;
  const place = ref.place ?? homePlace(deps);
  const job = await describeFailedJob(backupAt(deps, place), ref.kind, ref.jobId, place.region, deps.signal);
  const diagnosis = diagnosisOf(job);
  const key = ref.attempt?.logicalKey ?? pointerKey ?? logicalKeyOf(job);
  if (!config.dryRun) await ledger.open(key, job, diagnosis.category, ledgerCall(deps, now));
  let record = await ledger.record(key, deps.signal);
  // The record names an attempt claimed but not counted: read its item (the truth) only then.
  const pending = record && record.pendingAttempt === record.attempts + 1 ? record.pendingAttempt : undefined;
  const next = pending === undefined ? undefined : await ledger.attempt(key, pending, deps.signal);
  if (next !== undefined && next.settled !== 'completed') {
    // An earlier invocation stored this attempt's input and never recorded AWS's answer: the
    // decision was made then; re-send the identical request (same token: AWS takes no new action).
    // Or AWS refused it for good and the invocation died (or failed to publish) before its one
    // alert: startAttempt finds it settled and alerts, never re-sending it.
    logger.info('resuming an interrupted attempt', { logicalKey: key, attempt: next.attempt, settled: next.settled });
    return { outcome: await startAttempt(deps, { job, diagnosis, key, record }, next.attempt, stored(next)), key };
  }
  if (next !== undefined) {
    // AWS started it, and the invocation that recorded it died (or DynamoDB failed) before counting
    // it: count it now, before deciding, or this delivery sees the new job running and skips, and
    // the new job's own failure would find no pointer and start a second chain at attempt 1.
    await countAnswered(deps, key, next.attempt, next, ledgerCall(deps, now));
    record = await ledger.record(key, deps.signal);
  }
  if (ref.attempt && record && record.attempts >= ref.attempt.attempt) {
    logger.info('attempt already started', { logicalKey: key, attempt: ref.attempt.attempt });
    return { outcome: { result: 'duplicate', jobId: ref.jobId }, key };
  }
  // A job this toolkit started is on-demand (no CreatedBy): it keeps the original plan rule's settings.
  const planned: FailedJob = job.plan || !record?.plan ? job : { ...job, plan: record.plan };
  // The plan rule (GetBackupPlan) is read up front only when the next-run check needs it: a backup
  // job whose record carries no CreatedBy.BackupRuleCron. Otherwise only a retry reads it, for its
  // Start input (the rule's windows, lifecycle and tags are not on the job record).
  const ruleNeededNow = planned.kind === 'backup' && !!planned.plan && !planned.plan.scheduleExpression;
  const [early, related] = await Promise.all([
    ruleNeededNow ? planRuleOf(backupAt(deps, place), planned, deps.signal) : Promise.resolve(undefined),
    relatedJobs(backupAt(deps, place), job, now, deps.signal),
  ]);
  const schedule = planned.kind === 'backup' ? ruleScheduleOf(planned, early) : undefined;
  const facts: Facts = {
    job: planned,
    diagnosis,
    ledger: {
      attempts: record?.attempts ?? 0,
      originalJobId: record?.originalJobId ?? job.jobId,
      alerted: record?.alerted ?? false,
    },
    ...related,
    ...(ref.attempt?.wait ? { waited: ref.attempt.wait } : {}),
    rule: early,
    nextPlanRun: schedule ? await nextPlanRun(schedule.expression, schedule.timezone, now) : undefined,
  };
  let decision = decide(facts, config, now);
  if (decision.outcome === 'retry' && planned.plan && !ruleNeededNow) {
    const rule = await planRuleOf(backupAt(deps, place), planned, deps.signal);
    decision = { ...decision, input: retryInput({ ...facts, rule }, decision.attempt, config) };
  }
  logger.info('retry decision', {
    jobId: job.jobId,
    kind: job.kind,
    logicalKey: key,
    trigger: ref.trigger,
    diagnosis: diagnosis.category,
    decision,
  });
  // `planned`: the alert of a chain's later attempt (an on-demand job) names the plan rule it retries.
  return { outcome: await act(deps, { job: planned, diagnosis, key, record, decision, ref, now }), key };
}

/**
 * Re-sends an attempt whose Start input the ledger holds but whose answer was never recorded (found
 * by the sweep after its lease passed). The original failed job is described again only for the
 * alert's sake, should AWS now refuse the Start for good.
 */
export async function resumeInterrupted(deps: RetryDeps, interrupted: AttemptItem): Promise<JobOutcome | undefined> {
  const key = interrupted.logicalKey;
  const record = await deps.ledger.record(key, deps.signal);
  if (!record || interrupted.attempt !== record.attempts + 1) return undefined;
  // Records opened before central mode carry the place too (open() always wrote it).
  const place =
    record.accountId && record.region ? { account: record.accountId, region: record.region } : homePlace(deps);
  const job = await describeFailedJob(
    backupAt(deps, place),
    interrupted.jobKind,
    record.originalJobId,
    place.region,
    deps.signal,
  );
  const diagnosis = diagnosisOf(job);
  deps.logger.info('resuming an interrupted attempt', { logicalKey: key, attempt: interrupted.attempt });
  return startAttempt(deps, { job, diagnosis, key, record }, interrupted.attempt, stored(interrupted));
}
