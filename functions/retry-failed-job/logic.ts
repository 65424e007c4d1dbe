import type { Logger } from '@aws-lambda-powertools/logger';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SNSClient } from '@aws-sdk/client-sns';
import {
  BackupApiError,
  listBackupJobs,
  listCopyJobs,
  type StartBackupJobRequest,
  type StartCopyJobRequest,
  startBackupJob,
  startCopyJob,
} from '../../shared/backup/index.js';
import { type Diagnosis, diagnoseApiError, diagnoseJob } from '../../shared/diagnosis/index.js';
import { count, type MetricSink } from '../../shared/metrics.js';
import { publishNotification } from '../../shared/notify.js';
import { alertFor, isMuted } from './alert.js';
import type { RetryConfig } from './config.js';
import { ALERTING_SKIPS, type Decision, decide } from './decide.js';
import type { Facts, FailedJob, FailedKind } from './facts.js';
import { describeFailedJob, planRuleOf, relatedJobs } from './gather.js';
import { logicalKeyOf, type RetryLedger, type RetryRecord } from './ledger.js';
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
  /** For attempt schedules: the logical backup and attempt they were created for. */
  readonly attempt?: Pick<AttemptPayload, 'logicalKey' | 'attempt'>;
}

/** Concurrent deliveries of one event wait out this lease; a crashed handler's retry proceeds after it. */
const CLAIM_LEASE_MS = 90_000;
/** A retry due within this margin starts now rather than through a schedule. */
const START_NOW_MARGIN_MS = 60_000;

/**
 * Handles one failed job: dedupe through the ledger, describe, diagnose, decide, act. Exactly one
 * Start per attempt: concurrent deliveries lose the claim; the Start input is written to the ledger
 * before the call and re-sent identically after a crash (same idempotency token).
 */
export const handleFailedJob = async (deps: RetryDeps, ref: FailedJobRef): Promise<JobOutcome> => {
  const { ledger, config, logger } = deps;
  const now = deps.now();
  const pointer = await ledger.pointer(ref.kind, ref.jobId);
  if (ref.trigger !== 'attempt') {
    if (pointer?.status === 'done') {
      logger.info('failed job already handled', { jobId: ref.jobId, trigger: ref.trigger });
      count(deps.metrics, 'RetryDuplicates');
      return { result: 'duplicate', jobId: ref.jobId };
    }
    if (!config.dryRun && !(await ledger.claim(ref.kind, ref.jobId, now, CLAIM_LEASE_MS))) {
      logger.info('failed job is being handled by another invocation', { jobId: ref.jobId });
      count(deps.metrics, 'RetryDuplicates');
      return { result: 'duplicate', jobId: ref.jobId };
    }
  }
  const job = await describeFailedJob(deps.backup, ref.kind, ref.jobId, deps.region, deps.signal);
  const diagnosis = diagnoseJob({
    kind: job.kind,
    state: job.state,
    messageCategory: job.messageCategory,
    statusMessage: job.statusMessage,
    resourceType: job.resourceType,
  });
  const key = ref.attempt?.logicalKey ?? pointer?.logicalKey ?? logicalKeyOf(job);
  if (!config.dryRun) await ledger.open(key, job, diagnosis.category, now);
  const record = await ledger.record(key);
  if (ref.attempt && record && record.attempts >= ref.attempt.attempt) {
    logger.info('attempt already started', { logicalKey: key, attempt: ref.attempt.attempt });
    return { result: 'duplicate', jobId: ref.jobId };
  }
  const [rule, related] = await Promise.all([
    planRuleOf(deps.backup, job, deps.signal),
    relatedJobs(deps.backup, job, now, deps.signal),
  ]);
  const facts: Facts = {
    job,
    diagnosis,
    ledger: {
      attempts: record?.attempts ?? 0,
      originalJobId: record?.originalJobId ?? job.jobId,
      alerted: record?.alerted ?? false,
    },
    ...related,
    rule,
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
  const outcome = await act(deps, { job, diagnosis, key, record, decision, ref, now });
  if (!config.dryRun && ref.trigger !== 'attempt') await ledger.done(ref.kind, ref.jobId, key, now);
  return outcome;
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
    const alerting = ALERTING_SKIPS.has(decision.reason);
    if (!config.dryRun) {
      const status = decision.reason === 'attempts-exhausted' ? 'exhausted' : 'skipped';
      await ledger.status(key, status, `${decision.reason}: ${decision.detail}`, c.diagnosis.category, now);
    }
    const alerted = alerting
      ? await alertOnce(
          deps,
          job,
          c.diagnosis,
          key,
          decision.reason === 'attempts-exhausted' ? 'retries exhausted' : 'not retried',
          c.record?.attempts ?? 0,
        )
      : false;
    return { result: 'skipped', jobId: job.jobId, reason: decision.reason, alerted };
  }
  const dueNow = decision.notBefore.getTime() - now.getTime() <= START_NOW_MARGIN_MS || c.ref.trigger === 'attempt';
  if (!dueNow) {
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
      await ledger.status(key, 'scheduled', decision.reason, c.diagnosis.category, now);
      const target = {
        groupName: config.schedulerGroupName,
        roleArn: config.schedulerRoleArn,
        functionArn: deps.functionArn,
      };
      const created = await scheduleAttempt(deps.scheduler, target, payload, decision.notBefore, deps.signal);
      if (!created)
        deps.logger.info('attempt schedule already existed', { logicalKey: key, attempt: decision.attempt });
    }
    count(deps.metrics, 'RetriesScheduled');
    return { result: 'scheduled', jobId: job.jobId, attempt: decision.attempt };
  }
  // Re-send exactly what an interrupted invocation stored (same token): AWS answers "no action taken".
  const input = c.record?.pending?.attempt === decision.attempt ? c.record.pending.input : decision.input;
  if (config.dryRun) {
    deps.logger.info('dry run: would start retry', { attempt: decision.attempt, input });
    return { result: 'started', jobId: job.jobId, attempt: decision.attempt };
  }
  if (!(await ledger.pending(key, decision.attempt, input, now))) {
    deps.logger.info('attempt already taken by another invocation', { logicalKey: key, attempt: decision.attempt });
    return { result: 'duplicate', jobId: job.jobId };
  }
  try {
    const newJobId =
      job.kind === 'copy'
        ? (await startCopyJob(deps.backup, input as StartCopyJobRequest, deps.signal)).copyJobId
        : (await startBackupJob(deps.backup, input as StartBackupJobRequest, deps.signal)).backupJobId;
    await ledger.started(key, decision.attempt, job.kind, newJobId, now);
    count(deps.metrics, 'RetriesStarted');
    deps.logger.info('retry started', { logicalKey: key, attempt: decision.attempt, newJobId });
    return { result: 'started', jobId: job.jobId, attempt: decision.attempt, newJobId };
  } catch (error) {
    if (error instanceof BackupApiError && !error.retryable) {
      // A non-retryable API error does not loop: diagnose it, tell a person once, stop.
      const diagnosis = diagnoseApiError(error);
      await ledger.status(key, 'alerted', `start failed: ${error.errorName}`, diagnosis.category, now);
      const alerted = await alertOnce(deps, job, diagnosis, key, 'retry could not start', c.record?.attempts ?? 0);
      count(deps.metrics, 'RetriesFailedToStart');
      return { result: 'start-failed', jobId: job.jobId, category: diagnosis.category, alerted };
    }
    throw error;
  }
};

/** Publishes the one alert of a logical backup, unless muted or already sent. */
const alertOnce = async (
  deps: RetryDeps,
  job: FailedJob,
  diagnosis: Diagnosis,
  key: string,
  what: 'not retried' | 'retries exhausted' | 'retry could not start',
  attempts: number,
): Promise<boolean> => {
  const muted = isMuted(deps.config.mute, job, diagnosis);
  if (muted) {
    count(deps.metrics, 'AlertsMuted');
    deps.logger.info('alert muted', { jobId: job.jobId, category: diagnosis.category, rule: muted });
    return false;
  }
  const notification = alertFor(job, diagnosis, what, attempts);
  const topic = deps.config.notifyTopicArn;
  if (deps.config.dryRun || !topic) {
    deps.logger.info(topic ? 'dry run: would publish alert' : 'no NOTIFY_TOPIC_ARN: alert logged only', {
      notification,
    });
    return false;
  }
  if (!(await deps.ledger.takeAlert(key))) {
    deps.logger.info('alert already sent for this backup', { logicalKey: key });
    return false;
  }
  try {
    await publishNotification(deps.sns, topic, notification, deps.signal);
  } catch (error) {
    await deps.ledger.releaseAlert(key);
    throw error;
  }
  count(deps.metrics, 'AlertsPublished');
  return true;
};

/** What a sweep found and did. */
export interface SweepResult {
  readonly since: string;
  readonly seen: number;
  readonly outcomes: Readonly<Record<string, number>>;
}

/**
 * The reconciliation sweep: failed (and expired, and aborted if configured) jobs completed since
 * the last sweep, with overlap, each through the same handling. EventBridge delivery is best
 * effort, so this is what makes a lost event cost at most one sweep interval. A job already handled
 * costs one ledger read and no AWS call.
 */
export const sweep = async (deps: RetryDeps): Promise<SweepResult> => {
  const { config } = deps;
  const now = deps.now();
  const cursor = await deps.ledger.sweepCursor();
  const oldest = now.getTime() - 29 * 86_400_000;
  const from = cursor
    ? cursor.getTime() - config.sweepOverlapMinutes * 60_000
    : now.getTime() - config.sweepLookbackHours * 3_600_000;
  const since = new Date(Math.max(from, oldest));
  const outcomes: Record<string, number> = {};
  let seen = 0;
  const handle = async (kind: FailedKind, jobId: string | undefined) => {
    if (!jobId) return;
    seen += 1;
    const outcome = await handleFailedJob(deps, { kind, jobId, trigger: 'sweep' });
    const label = outcome.result === 'skipped' ? `skipped:${outcome.reason}` : outcome.result;
    outcomes[label] = (outcomes[label] ?? 0) + 1;
  };
  for (const state of config.retryStates) {
    for await (const job of listBackupJobs(
      deps.backup,
      { state, completedAfter: since },
      { signal: deps.signal, now },
    )) {
      await handle('backup', job.BackupJobId);
    }
  }
  if (config.retryCopyJobs) {
    for await (const job of listCopyJobs(
      deps.backup,
      { state: 'FAILED', completedAfter: since },
      { signal: deps.signal },
    )) {
      await handle('copy', job.CopyJobId);
    }
  }
  count(deps.metrics, 'SweepJobsSeen', seen);
  if (!config.dryRun) await deps.ledger.moveSweepCursor(now, now);
  deps.logger.info('sweep finished', { since: since.toISOString(), seen, outcomes });
  return { since: since.toISOString(), seen, outcomes };
};
