import type { BackupClient } from '@aws-sdk/client-backup';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { BaseDeps } from '../../shared/base-deps.js';
import type { SweepState } from '../../shared/sweep/state.js';
import type { RetryConfig } from './config.js';
import type { RetryLedger } from './ledger.js';
import type { RestoreLedger } from './restore-ledger.js';

/**
 * Everything the retry logic touches, injected: the deps every function has, plus its ledger, its
 * settings, and the Scheduler client of its attempt schedules.
 */
export interface RetryDeps extends BaseDeps {
  readonly scheduler: SchedulerClient;
  readonly ledger: RetryLedger;
  readonly config: RetryConfig;
  /** The sweep's cursor and the jobs it failed on or set aside (shared/sweep). */
  readonly sweepState: SweepState;
  /** FAILED restores' claims and alert flags: the sweep finds restores whose event was lost. */
  readonly restoreLedger: RestoreLedger;
}

/**
 * The Backup client of the function's own Region: a failed job's event comes from the Region it
 * ran in (events are regional, aws-facts.md), which is the Region of the rule that delivered it.
 */
export const homeBackup = (deps: Pick<BaseDeps, 'backupClientFor' | 'identity'>): BackupClient =>
  deps.backupClientFor(deps.identity.region);
