import { DAY_MS } from '../time.js';

/**
 * The ledger's two time policies, in one place for both functions that write it.
 *
 * Lease: a FIXED lease, longer than the Timeout of every function that takes one (template.yaml:
 * retry 300 s, copy 120 s; test/shared/ledger/policy.test.ts checks it), rather than "the
 * invocation's remaining time + a margin". Why: Lambda stops an invocation at its Timeout, so a
 * holder can never outlive a lease longer than that; the lease then needs no Lambda context, is the
 * same for a claim taken at the start or at the end of a long sweep, and a test can hold the
 * template to it. The price: a holder that died is taken over after 6 minutes rather than after its
 * own deadline; a holder that failed gives its lease back at once (see `release`), so only a crash
 * (a killed container) waits the lease out, and the sweep or a redelivery resumes it then.
 */
export const LEASE_MS = 360_000;

/**
 * Days a ledger item is kept (DynamoDB TTL on `expiresAt`) unless LEDGER_TTL_DAYS says otherwise:
 * longer than every redelivery window (EventBridge 24 h, Lambda async 6 h) and than the 30 days
 * ListBackupJobs reaches back, so a sweep never meets a job whose ledger item already expired.
 */
export const DEFAULT_LEDGER_TTL_DAYS = 90;

/** Where the ledger is and how long its items live. */
export interface LedgerSettings {
  readonly tableName: string;
  /** Days an item is kept after its last change (LEDGER_TTL_DAYS). */
  readonly ttlDays: number;
}

/** Epoch seconds after which DynamoDB TTL may delete an item last changed at `now` (TTL wants seconds). */
export function expiresAt(now: Date, ttlDays: number): number {
  return Math.floor((now.getTime() + ttlDays * DAY_MS) / 1000);
}

/**
 * Milliseconds a give-back (a lease or an alert flag handed back after a failure) may take. The
 * failure is often the invocation's own abort signal firing (shared/middleware.ts aborts 1 s before
 * Lambda's Timeout), so a give-back must not reuse that signal: it would fail at once and leave the
 * lease held, or the alert flag taken with no alert sent. This stays inside that last second.
 */
export const GIVE_BACK_TIMEOUT_MS = 800;

/** A fresh abort signal for one give-back (see {@link GIVE_BACK_TIMEOUT_MS}). */
export function giveBackSignal(): AbortSignal {
  return AbortSignal.timeout(GIVE_BACK_TIMEOUT_MS);
}
