import type { Logger } from '@aws-lambda-powertools/logger';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SNSClient } from '@aws-sdk/client-sns';
import {
  BackupApiError,
  type StartBackupJobRequest,
  type StartCopyJobRequest,
  startBackupJob,
  startCopyJob,
} from '../../shared/backup/index.js';
import { type Diagnosis, diagnoseApiError, diagnoseJob } from '../../shared/diagnosis/index.js';
import type { LedgerCall } from '../../shared/ledger/exactly-once.js';
import { count, type MetricSink } from '../../shared/metrics.js';
import { publishNotification } from '../../shared/notify.js';
import { type AlertWhat, alertFor, isMuted } from './alert.js';
import type { RetryConfig } from './config.js';
import { ALERTING_SKIPS, type Decision, decide, type SkipReason } from './decide.js';
import type { Facts, FailedJob, FailedKind } from './facts.js';
import { describeFailedJob, planRuleOf, relatedJobs } from './gather.js';
import { type AttemptInput, type AttemptItem, logicalKeyOf, type RetryLedger, type RetryRecord } from './ledger.js';
import { nextPlanRun } from './next-run.js';
import { type AttemptPayload, scheduleAttempt } from './schedule.js';

/** Everything the retry logic touches, injected. */
export interface RetryDeps {
  readonly backup: BackupClient;
  readonly scheduler: SchedulerClient;
  readonly sns: SNSClient;
  readonly ledger: RetryLedger;
  readonly config: RetryConfig;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly metrics: MetricSink;
  /** This function's ARN: the target of attempt schedules. */
  readonly functionArn: string;
  readonly region: string;
  readonly signal?: AbortSignal;
}

/** What one failed job came to. */
export type JobOutcome =
  | { readonly result: 'duplicate'; readonly jobId: string }
  /** Another invocation holds this attempt's Start (or died holding it): retried after its lease. */
  | { readonly result: 'in-flight'; readonly jobId: string; readonly attempt: number }
  | {
      readonly result: 'scheduled' | 'started';
      readonly jobId: string;
      readonly attempt: number;
      readonly newJobId?: string;
    }
  | { readonly result: 'skipped'; readonly jobId: string; readonly reason: string; readonly alerted: boolean }
  | { readonly result: 'start-failed'; readonly jobId: string; readonly category: string; readonly alerted: boolean };

/** A failed job to handle: from an event, an attempt schedule, or a sweep. */
export interface FailedJobRef {
  readonly kind: FailedKind;
  readonly jobId: string;
  readonly trigger: 'event' | 'attempt' | 'sweep';
  /** The state an event reported (events only): a state RETRY_STATES does not name costs no call. */
  readonly eventState?: string;
  /** For attempt schedules: the logical backup and attempt they were created for. */
  readonly attempt?: Pick<AttemptPayload, 'logicalKey' | 'attempt'>;
}

/** One ledger call: the injected clock's time (or `now`) and the invocation's abort signal. */
const callOf = (deps: RetryDeps, now: Date = deps.now()): LedgerCall => ({ now, signal: deps.signal });
/** A retry due within this margin starts now rather than through a schedule. */
const START_NOW_MARGIN_MS = 60_000;

const unwantedEvent = (ref: FailedJobRef, config: RetryConfig): SkipReason | undefined => {
  if (!ref.eventState) return undefined;
  if (ref.kind === 'copy') {
    if (ref.eventState !== 'FAILED') return 'state-not-configured';
    return config.retryCopyJobs ? undefined : 'copy-retries-disabled';
  }
  return (config.retryStates as readonly string[]).includes(ref.eventState) ? undefined : 'state-not-configured';
};

/**
 * Handles one failed job: dedupe through the ledger, describe, diagnose, decide, act. Exactly one
 * Start per attempt: concurrent deliveries lose the claim; the Start input is written to the ledger
 * before the call and re-sent identically after a crash (same idempotency token).
 */
export const handleFailedJob = async (deps: RetryDeps, ref: FailedJobRef): Promise<JobOutcome> => {
  const { ledger, config, logger } = deps;
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
    if (claims && !(await ledger.claim(ref.kind, ref.jobId, callOf(deps, now)))) {
      logger.info('failed job is being handled by another invocation', { jobId: ref.jobId });
      return { result: 'duplicate', jobId: ref.jobId };
    }
  }
  let handled: { outcome: JobOutcome; key: string };
  try {
    handled = await handleClaimed(deps, ref, pointer?.logicalKey, now);
  } catch (error) {
    // Give the claim back so Lambda's async retry of this event proceeds instead of waiting out the lease.
    if (claims) await ledger.releaseClaim(ref.kind, ref.jobId, deps.signal);
    throw error;
  }
  if (claims) {
    // An attempt another invocation holds is not this event's to close: a redelivery after the
    // lease (or the sweep) re-sends it.
    if (handled.outcome.result === 'in-flight') await ledger.releaseClaim(ref.kind, ref.jobId, deps.signal);
    else await ledger.done(ref.kind, ref.jobId, handled.key, callOf(deps, now));
  }
  return handled.outcome;
};

const handleClaimed = async (
  deps: RetryDeps,
  ref: FailedJobRef,
  pointerKey: string | undefined,
  now: Date,
): Promise<{ outcome: JobOutcome; key: string }> => {
  const { ledger, config, logger } = deps;
  const job = await describeFailedJob(deps.backup, ref.kind, ref.jobId, deps.region, deps.signal);
  const diagnosis = diagnoseJob({
    kind: job.kind,
    state: job.state,
    messageCategory: job.messageCategory,
    statusMessage: job.statusMessage,
    resourceType: job.resourceType,
  });
  const key = ref.attempt?.logicalKey ?? pointerKey ?? logicalKeyOf(job);
  if (!config.dryRun) await ledger.open(key, job, diagnosis.category, callOf(deps, now));
  const record = await ledger.record(key, deps.signal);
  // The record names an attempt claimed but not counted: read its item (the truth) only then.
  const pending = record && record.pendingAttempt === record.attempts + 1 ? record.pendingAttempt : undefined;
  const next = pending === undefined ? undefined : await ledger.attempt(key, pending, deps.signal);
  if (next !== undefined && next.settled === undefined) {
    // An earlier invocation stored this attempt's input and never recorded AWS's answer: the
    // decision was made then; re-send the identical request (same token: AWS takes no new action).
    logger.info('resuming an interrupted attempt', { logicalKey: key, attempt: next.attempt });
    return { outcome: await startAttempt(deps, { job, diagnosis, key, record }, next.attempt, stored(next)), key };
  }
  if (ref.attempt && record && record.attempts >= ref.attempt.attempt) {
    logger.info('attempt already started', { logicalKey: key, attempt: ref.attempt.attempt });
    return { outcome: { result: 'duplicate', jobId: ref.jobId }, key };
  }
  // A job this toolkit started is on-demand (no CreatedBy): it keeps the original plan rule's settings.
  const planned: FailedJob = job.plan || !record?.plan ? job : { ...job, plan: record.plan };
  const [rule, related] = await Promise.all([
    planRuleOf(deps.backup, planned, deps.signal),
    relatedJobs(deps.backup, job, now, deps.signal),
  ]);
  const facts: Facts = {
    job: planned,
    diagnosis,
    ledger: {
      attempts: record?.attempts ?? 0,
      originalJobId: record?.originalJobId ?? job.jobId,
      alerted: record?.alerted ?? false,
    },
    ...related,
    rule,
    nextPlanRun:
      planned.kind === 'backup' && rule
        ? await nextPlanRun(rule.ScheduleExpression, rule.ScheduleExpressionTimezone, now)
        : undefined,
  };
  const decision = decide(facts, config, now);
  logger.info('retry decision', {
    jobId: job.jobId,
    kind: job.kind,
    logicalKey: key,
    trigger: ref.trigger,
    diagnosis: diagnosis.category,
    decision,
  });
  return { outcome: await act(deps, { job, diagnosis, key, record, decision, ref, now }), key };
};

interface ActContext {
  readonly job: FailedJob;
  readonly diagnosis: Diagnosis;
  readonly key: string;
  readonly record: RetryRecord | undefined;
  readonly decision: Decision;
  readonly ref: FailedJobRef;
  readonly now: Date;
}

const act = async (deps: RetryDeps, c: ActContext): Promise<JobOutcome> => {
  const { decision, job, key, now } = c;
  const { config, ledger } = deps;
  if (decision.outcome === 'skip') {
    count(deps.metrics, 'RetriesSkipped');
    const exhausted = decision.reason === 'attempts-exhausted';
    if (exhausted) count(deps.metrics, 'RetriesExhausted');
    const alerted = ALERTING_SKIPS.has(decision.reason)
      ? await alertOnce(deps, job, c.diagnosis, key, exhausted ? 'retries exhausted' : 'not retried', c.record)
      : false;
    if (!config.dryRun) {
      const status = exhausted ? 'exhausted' : alerted ? 'alerted' : 'skipped';
      await ledger.status(
        key,
        status,
        `${decision.reason}: ${decision.detail}`,
        c.diagnosis.category,
        callOf(deps, now),
      );
    }
    return { result: 'skipped', jobId: job.jobId, reason: decision.reason, alerted };
  }
  const dueNow = decision.notBefore.getTime() - now.getTime() <= START_NOW_MARGIN_MS || c.ref.trigger === 'attempt';
  if (dueNow) {
    const decided = { kind: job.kind, input: decision.input };
    return startAttempt(deps, { job, diagnosis: c.diagnosis, key, record: c.record }, decision.attempt, decided);
  }
  const payload: AttemptPayload = {
    source: 'backup-autopilot',
    action: 'retry-attempt',
    logicalKey: key,
    attempt: decision.attempt,
    kind: job.kind,
    jobId: job.jobId,
  };
  if (config.dryRun) {
    deps.logger.info('dry run: would schedule retry attempt', { payload, at: decision.notBefore.toISOString() });
  } else {
    await ledger.status(key, 'scheduled', decision.reason, c.diagnosis.category, callOf(deps, now));
    const target = {
      groupName: config.schedulerGroupName,
      roleArn: config.schedulerRoleArn,
      functionArn: deps.functionArn,
      deadLetterArn: config.schedulerDeadLetterArn,
    };
    const created = await scheduleAttempt(deps.scheduler, target, payload, decision.notBefore, deps.signal);
    if (!created) deps.logger.info('attempt schedule already existed', { logicalKey: key, attempt: decision.attempt });
  }
  count(deps.metrics, 'RetriesScheduled');
  return { result: 'scheduled', jobId: job.jobId, attempt: decision.attempt };
};

interface AttemptContext {
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

const stored = (item: AttemptItem): AttemptRequest => ({ kind: item.jobKind, input: item.request });

/**
 * Sends one attempt's Start through the shared exactly-once protocol: the claim stores the decided
 * input before the call, or hands back the input an earlier (dead) holder stored, which is re-sent as
 * it is. Only the Start sits inside the `try` whose failure is read as AWS's answer: recording the
 * started job is our bookkeeping, and its failure is raised (the stored input and token make the
 * redelivery's re-send safe), never reported as AWS refusing the Start.
 */
const startAttempt = async (
  deps: RetryDeps,
  c: AttemptContext,
  attempt: number,
  request: AttemptRequest,
): Promise<JobOutcome> => {
  const { ledger, config } = deps;
  const { job, key } = c;
  const now = deps.now();
  const call = callOf(deps, now);
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
    // Started by another invocation, which may have died before counting it: count it (idempotent).
    if (claim.outcome === 'completed' && item.jobId !== undefined && item.request !== undefined) {
      await ledger.countStarted(
        { key, attempt, kind: item.jobKind ?? request.kind, input: item.request, newJobId: item.jobId },
        call,
      );
    }
    deps.logger.info('attempt already answered', { logicalKey: key, attempt, outcome: claim.outcome });
    return { result: 'duplicate', jobId: job.jobId };
  }
  const kind =
    claim.kind === 'resumed' ? ((claim.item.jobKind as FailedKind | undefined) ?? request.kind) : request.kind;
  const input = claim.request ?? request.input;
  let newJobId: string;
  try {
    newJobId =
      kind === 'copy'
        ? (await startCopyJob(deps.backup, input as StartCopyJobRequest, deps.signal)).copyJobId
        : (await startBackupJob(deps.backup, input as StartBackupJobRequest, deps.signal)).backupJobId;
  } catch (error) {
    if (error instanceof BackupApiError && !error.retryable) {
      // A non-retryable API error does not loop: diagnose it, tell a person once, stop.
      await ledger.refuseAttempt(key, attempt, error.errorName, call);
      const diagnosis = diagnoseApiError(error);
      deps.logger.warn('retry could not start', { logicalKey: key, attempt, error: error.errorName, diagnosis });
      count(deps.metrics, 'RetriesFailedToStart');
      const alerted = await alertOnce(deps, job, diagnosis, key, 'retry could not start', c.record);
      await ledger.status(key, 'alerted', `start failed: ${error.errorName}`, diagnosis.category, call);
      return { result: 'start-failed', jobId: job.jobId, category: diagnosis.category, alerted };
    }
    // Throttling (after the SDK's own retries), and anything that is not AWS's answer: keep the
    // input, free the lease, raise, so Lambda's async retry re-sends the identical request.
    await ledger.releaseAttempt(key, attempt, deps.signal);
    throw error;
  }
  try {
    await ledger.started({ key, attempt, kind, input, newJobId }, call);
  } catch (error) {
    // AWS accepted the Start; only our record of it failed. Raise (never "could not start"): the
    // redelivery re-sends the stored input, and AWS answers the same token with the same job.
    try {
      await ledger.releaseAttempt(key, attempt, deps.signal);
    } catch (releaseError) {
      deps.logger.warn('attempt not released: a redelivery waits for its lease', { logicalKey: key, releaseError });
    }
    throw error;
  }
  count(deps.metrics, 'RetriesStarted');
  deps.logger.info('retry started', { logicalKey: key, attempt, kind, newJobId, input });
  return { result: 'started', jobId: job.jobId, attempt, newJobId };
};

/** Publishes the one alert of a logical backup, unless muted or already sent. */
const alertOnce = async (
  deps: RetryDeps,
  job: FailedJob,
  diagnosis: Diagnosis,
  key: string,
  what: AlertWhat,
  record: RetryRecord | undefined,
): Promise<boolean> => {
  const muted = isMuted(deps.config.mute, job, diagnosis);
  if (muted) {
    count(deps.metrics, 'AlertsMuted');
    deps.logger.info('alert muted', { jobId: job.jobId, category: diagnosis.category, rule: muted });
    return false;
  }
  const notification = alertFor(job, diagnosis, what, record?.attempts ?? 0);
  const topic = deps.config.notifyTopicArn;
  if (deps.config.dryRun || !topic) {
    deps.logger.info(topic ? 'dry run: would publish alert' : 'no NOTIFY_TOPIC_ARN: alert logged only', {
      notification,
    });
    return false;
  }
  const published = await deps.ledger.tellOnce(
    key,
    async () => {
      await publishNotification(deps.sns, topic, notification, deps.signal);
    },
    callOf(deps),
  );
  if (!published) {
    deps.logger.info('alert already sent for this backup', { logicalKey: key });
    return false;
  }
  count(deps.metrics, 'AlertsPublished');
  deps.logger.info('alert published', { logicalKey: key, jobId: job.jobId, subject: notification.subject });
  return true;
};

/**
 * Re-sends an attempt whose Start input the ledger holds but whose answer was never recorded (found
 * by the sweep after its lease passed). The original failed job is described again only for the
 * alert's sake, should AWS now refuse the Start for good.
 */
export const resumeInterrupted = async (deps: RetryDeps, interrupted: AttemptItem): Promise<JobOutcome | undefined> => {
  const key = interrupted.logicalKey;
  const record = await deps.ledger.record(key, deps.signal);
  if (!record || interrupted.attempt !== record.attempts + 1) return undefined;
  const job = await describeFailedJob(deps.backup, interrupted.jobKind, record.originalJobId, deps.region, deps.signal);
  const diagnosis = diagnoseJob({
    kind: job.kind,
    state: job.state,
    messageCategory: job.messageCategory,
    statusMessage: job.statusMessage,
    resourceType: job.resourceType,
  });
  deps.logger.info('resuming an interrupted attempt', { logicalKey: key, attempt: interrupted.attempt });
  return startAttempt(deps, { job, diagnosis, key, record }, interrupted.attempt, stored(interrupted));
};
