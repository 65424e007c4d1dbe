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
  'job-running',
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
  | { readonly outcome: 'skip'; readonly reason: SkipReason; readonly detail: string };

const skip = (reason: SkipReason, detail: string): Decision => ({ outcome: 'skip', reason, detail });

/**
 * Decides what to do about one failed job, from facts gathered beforehand, with the clock
 * injected. Pure: no I/O, same facts and time, same decision.
 */
export const decide = (facts: Facts, config: RetryConfig, now: Date): Decision => {
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
  if (facts.activeJobId) {
    return skip('job-running', `job ${facts.activeJobId} is already queued or running for the resource`);
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
  const failedAt = job.completedAt ?? job.createdAt;
  const notBefore = new Date(failedAt.getTime() + config.retryBackoffMinutes * 2 ** (attempt - 1) * 60_000);
  return {
    outcome: 'retry',
    attempt,
    notBefore,
    input: retryInput(facts, attempt, config),
    reason: `${diagnosis.category} is retryable; attempt ${attempt} of ${config.retryMaxAttempts}`,
  };
};
