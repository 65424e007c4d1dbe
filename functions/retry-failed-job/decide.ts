import type { StartBackupJobRequest, StartCopyJobRequest } from '../../shared/backup/index.js';
import { HOUR_MS } from '../../shared/time.js';
import type { RetryConfig } from './config.js';
import type { Facts } from './facts.js';
import { retryInput } from './retry-input.js';
import { inScope } from './scope.js';

/** Why a failed job is not retried: each a distinct code, logged with the job and counted. */
export const SKIP_REASONS = [
  'state-not-configured',
  'copy-retries-disabled',
  'child-job',
  'excluded-resource-type',
  'excluded-vault',
  'excluded-account',
  'not-retryable',
  'attempts-exhausted',
  'superseded',
  'plan-runs-soon',
] as const;

/** One of {@link SKIP_REASONS}. */
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Skips a person must hear about: one alert per logical backup. */
export const ALERTING_SKIPS: ReadonlySet<SkipReason> = new Set(['not-retryable', 'attempts-exhausted']);

/** The decision: one outcome with a reason. */
export type Decision =
  | {
      readonly outcome: 'retry';
      readonly attempt: number;
      /** No earlier than this: failure time + RETRY_BACKOFF_MINUTES x 2^(attempt-1). */
      readonly notBefore: Date;
      readonly input: StartBackupJobRequest | StartCopyJobRequest;
      readonly reason: string;
    }
  | {
      /**
       * A job for the resource is queued or running (AWS runs one per resource): look again at
       * `until`, for the same attempt, instead of ending the chain while it runs.
       */
      readonly outcome: 'wait';
      readonly attempt: number;
      /** How many times this attempt has now waited: 1 for the first look-again. */
      readonly wait: number;
      readonly until: Date;
      readonly activeJobId: string;
      readonly reason: string;
    }
  | { readonly outcome: 'skip'; readonly reason: SkipReason; readonly detail: string };

/** Waiting for a job that runs for the resource: how often to look again, and for how long at most. */
export const WAIT_INTERVAL_MS = HOUR_MS;
export const MAX_WAITS = 24;

function skip(reason: SkipReason, detail: string): Decision {
  return { outcome: 'skip', reason, detail };
}

/**
 * Decides what to do about one failed job, from facts gathered beforehand, with the clock
 * injected. Pure: no I/O, same facts and time, same decision.
 */
export function decide(facts: Facts, config: RetryConfig, now: Date): Decision {
  const { job, diagnosis, ledger } = facts;
  if (job.kind === 'backup' && !(config.retryStates as readonly string[]).includes(job.state)) {
    return skip('state-not-configured', `${job.state} is not in RETRY_STATES (${config.retryStates.join(',')})`);
  }
  if (job.kind === 'copy' && !config.retryCopyJobs) return skip('copy-retries-disabled', 'RETRY_COPY_JOBS is false');
  if (job.parentJobId) {
    return skip('child-job', `part of composite job ${job.parentJobId}: the parent job is the one to retry`);
  }
  if (!inScope(config.resourceTypes, job.resourceType)) {
    return skip(
      'excluded-resource-type',
      `resource type ${job.resourceType ?? 'unknown'} is outside RETRY_INCLUDE/EXCLUDE_RESOURCE_TYPES`,
    );
  }
  if (!inScope(config.vaults, job.vaultName, true)) {
    return skip('excluded-vault', `vault ${job.vaultName} is outside RETRY_INCLUDE/EXCLUDE_VAULTS`);
  }
  if (!inScope(config.accounts, job.accountId)) {
    return skip('excluded-account', `account ${job.accountId} is outside RETRY_INCLUDE/EXCLUDE_ACCOUNTS`);
  }
  if (!diagnosis.retryable) return skip('not-retryable', `${diagnosis.category}: ${diagnosis.cause}`);
  if (ledger.attempts >= config.retryMaxAttempts) {
    return skip('attempts-exhausted', `${ledger.attempts} of ${config.retryMaxAttempts} retries already made`);
  }
  if (facts.newerCompletedJobId) {
    return skip(
      'superseded',
      `job ${facts.newerCompletedJobId} completed a newer backup of the resource into the vault`,
    );
  }
  if (job.kind === 'backup' && job.plan) {
    // From the job's CreatedBy cron or the plan rule: undefined (no skip) when neither is known.
    const next = facts.nextPlanRun;
    const within = config.skipIfNextRunWithinHours * HOUR_MS;
    if (next && next.getTime() - now.getTime() <= within) {
      return skip(
        'plan-runs-soon',
        `the plan runs again at ${next.toISOString()}, within ${config.skipIfNextRunWithinHours} h`,
      );
    }
  }
  const attempt = ledger.attempts + 1;
  if (facts.activeJobId) {
    // AWS runs one job per resource and queues the others: a start now would wait behind it and may
    // expire again (aws-facts: EXPIRED "there was a running job for the same resource"). Look again
    // later rather than end the chain: a job of another vault, or one started before this failure,
    // completing does not make this backup. After MAX_WAITS hours the retry is started all the same
    // (AWS queues it), so an intent is never dropped while something else runs.
    const waited = facts.waited ?? 0;
    if (waited < MAX_WAITS) {
      return {
        outcome: 'wait',
        attempt,
        wait: waited + 1,
        until: new Date(now.getTime() + WAIT_INTERVAL_MS),
        activeJobId: facts.activeJobId,
        reason: `job ${facts.activeJobId} is queued or running for the resource: look again in an hour (${waited + 1} of ${MAX_WAITS})`,
      };
    }
  }
  const failedAt = job.completedAt ?? job.createdAt;
  const notBefore = new Date(failedAt.getTime() + config.retryBackoffMinutes * 2 ** (attempt - 1) * 60_000);
  return {
    outcome: 'retry',
    attempt,
    notBefore,
    input: retryInput(facts, attempt, config),
    reason: `${diagnosis.category} is retryable; attempt ${attempt} of ${config.retryMaxAttempts}`,
  };
}
