import { MAX_WINDOW_MINUTES } from '../../shared/backup/start.js';
import { type Config, type Env, EnvReader, readConfig } from '../../shared/config.js';
import { PROBLEM_STATES, type ProblemState } from '../../shared/events/types.js';
import { DEFAULT_LEDGER_TTL_DAYS } from '../../shared/ledger/policy.js';
import { type SweepConfig, sweepSettings } from '../../shared/sweep/settings.js';
import { isAccountId } from '../../shared/validate/identifiers.js';
import { ROLE_ARN } from '../../shared/validate/schemas.js';
import {
  boolean,
  globItems,
  integer,
  itemsOf,
  json,
  list,
  optionalArn,
  requiredArn,
  requiredText,
} from '../../shared/validate/settings.js';
import { type MuteRule, muteRulesSchema } from './mute-rules.js';

export type { MuteRule } from './mute-rules.js';

/** Backup job states the retry function may act on (RETRY_STATES): every problem state. */
export const RETRYABLE_STATES = PROBLEM_STATES;
export type RetryableState = ProblemState;

/** Allow and deny lists; an empty allow list allows everything. Deny wins. */
export interface Scope {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** Settings of the retry function. Sweep settings: RETRY_SWEEP_LOOKBACK_HOURS (24), RETRY_SWEEP_OVERLAP_MINUTES (15), RETRY_SWEEP_SET_ASIDE_AFTER (3). */
export interface RetryConfig extends Config, SweepConfig {
  readonly ledgerTableName: string;
  /** RETRY_MAX_ATTEMPTS: retries per logical backup, after AWS's own (default 3). */
  readonly retryMaxAttempts: number;
  /** RETRY_STATES: backup job states that trigger a retry (default FAILED,EXPIRED). */
  readonly retryStates: readonly RetryableState[];
  /** RETRY_BACKOFF_MINUTES: attempt k starts no earlier than this x 2^(k-1) after the failure (default 30). */
  readonly retryBackoffMinutes: number;
  /** Whether FAILED copy jobs are retried too (RETRY_COPY_JOBS, default true). */
  readonly retryCopyJobs: boolean;
  /** Skip a plan job when the plan runs again within this many hours (RETRY_SKIP_IF_NEXT_RUN_WITHIN_HOURS). */
  readonly skipIfNextRunWithinHours: number;
  readonly resourceTypes: Scope;
  /** Vault name globs. */
  readonly vaults: Scope;
  readonly accounts: Scope;
  readonly mute: readonly MuteRule[];
  /** For jobs not created by a plan (RETRY_DEFAULT_START_WINDOW_MINUTES, at least 60). */
  readonly defaultStartWindowMinutes: number;
  /** For jobs not created by a plan (RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES). */
  readonly defaultCompleteWindowMinutes: number;
  /** EventBridge Scheduler group for attempt schedules (SCHEDULER_GROUP_NAME). */
  readonly schedulerGroupName: string;
  /** Role EventBridge Scheduler assumes to invoke this function (SCHEDULER_ROLE_ARN). */
  readonly schedulerRoleArn: string;
  /** Where Scheduler sends an attempt it could not deliver (SCHEDULER_DEAD_LETTER_ARN, an SQS queue). */
  readonly schedulerDeadLetterArn?: string;
  /** Days ledger items are kept (LEDGER_TTL_DAYS, default 90). */
  readonly ledgerTtlDays: number;
  /**
   * Central mode: the sweep also finds the members with failed backup jobs from the organization's
   * job list (RETRY_SWEEP_ORGANIZATION, default false; ListBackupJobs ByAccountId `*`).
   */
  readonly sweepOrganization: boolean;
}

/** Account ids a person lists: 12 digits (shared/validate/identifiers.ts says why events are looser). */
const ACCOUNT_IDS = { test: isAccountId, expected: 'must list 12-digit account ids' };

/** The retry function's own settings, by environment variable. */
export const RETRY_SETTINGS = {
  LEDGER_TABLE_NAME: requiredText(),
  RETRY_MAX_ATTEMPTS: integer(3, 0, 10),
  RETRY_STATES: list<RetryableState>(['FAILED', 'EXPIRED'], itemsOf(RETRYABLE_STATES)),
  RETRY_BACKOFF_MINUTES: integer(30, 1, 1440),
  RETRY_COPY_JOBS: boolean(true),
  RETRY_SKIP_IF_NEXT_RUN_WITHIN_HOURS: integer(6, 0, 168),
  RETRY_INCLUDE_RESOURCE_TYPES: list([]),
  RETRY_EXCLUDE_RESOURCE_TYPES: list([]),
  // Globs (shared/glob.ts), bounded as the JSON settings' globs are.
  RETRY_INCLUDE_VAULTS: list([], globItems('vault name globs')),
  RETRY_EXCLUDE_VAULTS: list([], globItems('vault name globs')),
  RETRY_INCLUDE_ACCOUNTS: list([], ACCOUNT_IDS),
  RETRY_EXCLUDE_ACCOUNTS: list([], ACCOUNT_IDS),
  ALERT_MUTE: json(muteRulesSchema),
  // StartBackupJob: "If this value is included, it must be at least 60 minutes to avoid errors."
  RETRY_DEFAULT_START_WINDOW_MINUTES: integer(60, 60, 43_200),
  // At most StartBackupJob's own maximum: a larger value would pass the cold start and then have
  // every retry of a job not created by a plan refused.
  RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES: integer(10_080, 60, MAX_WINDOW_MINUTES),
  ...sweepSettings('RETRY'),
  SCHEDULER_GROUP_NAME: requiredText(),
  SCHEDULER_ROLE_ARN: requiredArn(ROLE_ARN),
  SCHEDULER_DEAD_LETTER_ARN: optionalArn({
    service: 'sqs',
    expected: 'must be an SQS queue ARN arn:aws:sqs:<region>:<account>:<queue>',
  }),
  LEDGER_TTL_DAYS: integer(DEFAULT_LEDGER_TTL_DAYS, 1, 3650),
  RETRY_SWEEP_ORGANIZATION: boolean(false),
};

/**
 * The problem, if any, with a chain that outlives its ledger record. DynamoDB's TTL deletes a record
 * LEDGER_TTL_DAYS after its last write, and the longest gap between two writes of one chain is the
 * wait before its last attempt (RETRY_BACKOFF_MINUTES x 2^(k-1)): longer, the record is gone when
 * that attempt fires, and the chain would start again from attempt 1.
 */
function longestChainGap(
  r: EnvReader,
  backoffMinutes: number,
  maxAttempts: number,
  ttlDays: number,
): string | undefined {
  if (['RETRY_BACKOFF_MINUTES', 'RETRY_MAX_ATTEMPTS', 'LEDGER_TTL_DAYS'].some((key) => r.failed(key))) return undefined;
  if (maxAttempts < 1) return undefined;
  const gapMinutes = backoffMinutes * 2 ** (maxAttempts - 1);
  if (gapMinutes < ttlDays * 24 * 60) return undefined;
  const days = (gapMinutes / (24 * 60)).toFixed(1);
  return (
    `RETRY_BACKOFF_MINUTES=${backoffMinutes} with RETRY_MAX_ATTEMPTS=${maxAttempts} waits ${days} days before attempt ` +
    `${maxAttempts}, not less than LEDGER_TTL_DAYS=${ttlDays}: the ledger would forget the chain before it ends; ` +
    'lower one of them or raise LEDGER_TTL_DAYS'
  );
}

/**
 * Loads the retry function's settings (the shared ones plus its own) once per container, failing
 * with every problem listed.
 *
 * @throws ConfigError
 */
export function loadRetryConfig(env: Env = process.env): RetryConfig {
  const r = new EnvReader(env);
  const base = readConfig(r);
  const s = r.read(RETRY_SETTINGS);
  // Found in the organization's list, a member could not be acted on outside central mode.
  if (s.RETRY_SWEEP_ORGANIZATION && !r.failed('DEPLOYMENT_MODE') && base.deployment.mode !== 'central') {
    r.problem('RETRY_SWEEP_ORGANIZATION=true needs DEPLOYMENT_MODE central (DEPLOYMENT_MODE is account)');
  }
  const chainGap = longestChainGap(r, s.RETRY_BACKOFF_MINUTES, s.RETRY_MAX_ATTEMPTS, s.LEDGER_TTL_DAYS);
  if (chainGap) r.problem(chainGap);
  r.finish();
  return Object.freeze({
    ...base,
    ledgerTableName: s.LEDGER_TABLE_NAME,
    retryMaxAttempts: s.RETRY_MAX_ATTEMPTS,
    retryStates: s.RETRY_STATES,
    retryBackoffMinutes: s.RETRY_BACKOFF_MINUTES,
    retryCopyJobs: s.RETRY_COPY_JOBS,
    skipIfNextRunWithinHours: s.RETRY_SKIP_IF_NEXT_RUN_WITHIN_HOURS,
    resourceTypes: { include: s.RETRY_INCLUDE_RESOURCE_TYPES, exclude: s.RETRY_EXCLUDE_RESOURCE_TYPES },
    vaults: { include: s.RETRY_INCLUDE_VAULTS, exclude: s.RETRY_EXCLUDE_VAULTS },
    accounts: { include: s.RETRY_INCLUDE_ACCOUNTS, exclude: s.RETRY_EXCLUDE_ACCOUNTS },
    mute: s.ALERT_MUTE ?? [],
    defaultStartWindowMinutes: s.RETRY_DEFAULT_START_WINDOW_MINUTES,
    defaultCompleteWindowMinutes: s.RETRY_DEFAULT_COMPLETE_WINDOW_MINUTES,
    sweepLookbackHours: s.RETRY_SWEEP_LOOKBACK_HOURS,
    sweepOverlapMinutes: s.RETRY_SWEEP_OVERLAP_MINUTES,
    sweepSetAsideAfter: s.RETRY_SWEEP_SET_ASIDE_AFTER,
    schedulerGroupName: s.SCHEDULER_GROUP_NAME,
    schedulerRoleArn: s.SCHEDULER_ROLE_ARN,
    schedulerDeadLetterArn: s.SCHEDULER_DEAD_LETTER_ARN,
    ledgerTtlDays: s.LEDGER_TTL_DAYS,
    sweepOrganization: s.RETRY_SWEEP_ORGANIZATION,
  });
}
