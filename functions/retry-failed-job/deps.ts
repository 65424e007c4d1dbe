import type { BackupClient } from '@aws-sdk/client-backup';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { BaseDeps } from '../../shared/base-deps.js';
import type { SeenPlaces } from '../../shared/sweep/seen-places.js';
import type { SweepState } from '../../shared/sweep/state.js';
import type { RetryConfig } from './config.js';
import type { RetryLedger } from './ledger.js';
import type { RestoreLedger } from './restore-ledger.js';
import type { ScanLedger } from './scan-ledger.js';

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
  /** Central mode: the members whose events arrived lately, swept too (sweep-places.ts). */
  readonly seenPlaces: SeenPlaces;
  /** FAILED restores' claims and alert flags: the sweep finds restores whose event was lost. */
  readonly restoreLedger: RestoreLedger;
  /** Scan alerts' claims and flags: the sweep finds failed scans and scans with threats whose event was lost. */
  readonly scanLedger: ScanLedger;
}

/** Where a job lives: its account and Region (events, copy and backup jobs are regional and per account). */
export interface JobPlace {
  readonly account: string;
  readonly region: string;
}

/** The function's own account and Region: where its sweep lists, and where a ref without a place is. */
export function homePlace(deps: Pick<BaseDeps, 'identity'>): JobPlace {
  return {
    account: deps.identity.accountId,
    region: deps.identity.region,
  };
}

/**
 * The Backup client of the function's own account and Region: a failed job's event comes from the
 * Region it ran in (events are regional, aws-facts.md), which is the Region of the rule that
 * delivered it. The retry sweep lists there.
 */
export function homeBackup(deps: Pick<BaseDeps, 'backupClientFor' | 'identity'>): BackupClient {
  return deps.backupClientFor(deps.identity.region);
}

/**
 * The Backup client of the account and Region a job lives in: in central mode a member's job is
 * described, and retried, in that member with its member role; in account mode the place is the
 * function's own (the scope check refuses other accounts' events first).
 */
export function backupAt(deps: Pick<BaseDeps, 'backupClientFor'>, place: JobPlace): BackupClient {
  return deps.backupClientFor(place.region, place.account);
}
