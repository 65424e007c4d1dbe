import { type Env, EnvReader } from './config-reader.js';

export { type Env, EnvReader } from './config-reader.js';

/** Backup job states the retry function may act on (RETRY_STATES). */
export const RETRYABLE_STATES = ['FAILED', 'EXPIRED', 'ABORTED', 'PARTIAL'] as const;
export type RetryableState = (typeof RETRYABLE_STATES)[number];

/** Where the summary lists backup jobs from (SUMMARY_SCOPE). */
export type SummaryScope = 'account' | 'organization';

/** The settings every function shares; each function's own loader adds its settings to these. */
export interface Config {
  /** DRY_RUN: decide and log every intended call; start, schedule, publish and write nothing. */
  readonly dryRun: boolean;
  /** LEDGER_TABLE_NAME: the DynamoDB ledger (required by the functions that write it). */
  readonly ledgerTableName: string | undefined;
  /** NOTIFY_TOPIC_ARN: the SNS topic alerts and summaries go to. */
  readonly notifyTopicArn: string | undefined;
  /** RETRY_MAX_ATTEMPTS: retries per logical backup, after AWS's own (default 3). */
  readonly retryMaxAttempts: number;
  /** RETRY_STATES: backup job states that trigger a retry (default FAILED,EXPIRED). */
  readonly retryStates: readonly RetryableState[];
  /** RETRY_BACKOFF_MINUTES: attempt k starts no earlier than this x 2^(k-1) after the failure (default 30). */
  readonly retryBackoffMinutes: number;
  /** COPY_RULES: the copy rules as parsed JSON (validated by the copy function), or undefined. */
  readonly copyRulesJson: unknown;
  /** SUMMARY_WINDOW_HOURS: the scheduled summary's window (default 24, at most 720 = 30 days). */
  readonly summaryWindowHours: number;
  /** SUMMARY_SCOPE: `account` or `organization` (ListBackupJobs with ByAccountId `*`). */
  readonly summaryScope: SummaryScope;
}

/**
 * Reads the shared settings into `reader`, collecting problems; call `reader.finish()` after a
 * function has read its own settings too, so one cold start reports everything wrong at once.
 */
export const readConfig = (reader: EnvReader): Config => ({
  dryRun: reader.bool('DRY_RUN', false),
  ledgerTableName: reader.optional('LEDGER_TABLE_NAME'),
  notifyTopicArn: reader.arn('NOTIFY_TOPIC_ARN', 'sns'),
  retryMaxAttempts: reader.int('RETRY_MAX_ATTEMPTS', 3, { min: 0, max: 10 }),
  retryStates: reader.list<RetryableState>('RETRY_STATES', ['FAILED', 'EXPIRED'], RETRYABLE_STATES),
  retryBackoffMinutes: reader.int('RETRY_BACKOFF_MINUTES', 30, { min: 1, max: 1440 }),
  copyRulesJson: reader.json('COPY_RULES'),
  summaryWindowHours: reader.int('SUMMARY_WINDOW_HOURS', 24, { min: 1, max: 720 }),
  summaryScope: reader.oneOf('SUMMARY_SCOPE', ['account', 'organization'], 'account'),
});

/**
 * Parses the shared settings once per container and fails with every problem listed.
 *
 * @example const config = loadConfig(); // at module scope: bad config fails the cold start
 */
export const loadConfig = (env: Env = process.env): Config => {
  const reader = new EnvReader(env);
  const config = readConfig(reader);
  reader.finish();
  return Object.freeze(config);
};
