import { LEASE_MS } from '../ledger/policy.js';
import { integer } from '../validate/settings.js';

/**
 * The least overlap of a sweep with the previous one: the ledger's lease. A job a sweep meets while
 * a live claim on it is unanswered (its holder may have died just after AWS accepted the Start) is
 * "in flight", and the cursor moves past it; the claim is resumed once its lease has passed, and
 * only an overlap at least that long lists the job again, now with its claim answered.
 */
export const MIN_SWEEP_OVERLAP_MINUTES = Math.ceil(LEASE_MS / 60_000);

/** Default of SWEEP_SET_ASIDE_AFTER: a job failing this many sweeps in a row is set aside. */
export const DEFAULT_SET_ASIDE_AFTER = 3;

/**
 * The settings of a function's reconciliation sweep, by environment variable, for `prefix`
 * (`RETRY`, `COPY`): `<prefix>_SWEEP_LOOKBACK_HOURS` (how far back the first sweep looks; the list
 * calls reach 30 days; default `lookbackHours`), `<prefix>_SWEEP_OVERLAP_MINUTES` (at least the ledger's lease), and
 * `<prefix>_SWEEP_SET_ASIDE_AFTER`.
 */
export function sweepSettings<P extends string>(prefix: P, lookbackHours = 24) {
  return {
    [`${prefix}_SWEEP_LOOKBACK_HOURS`]: integer(lookbackHours, 1, 29 * 24),
    [`${prefix}_SWEEP_OVERLAP_MINUTES`]: integer(15, MIN_SWEEP_OVERLAP_MINUTES, 1440),
    [`${prefix}_SWEEP_SET_ASIDE_AFTER`]: integer(DEFAULT_SET_ASIDE_AFTER, 1, 100),
  } as Record<
    `${P}_SWEEP_LOOKBACK_HOURS` | `${P}_SWEEP_OVERLAP_MINUTES` | `${P}_SWEEP_SET_ASIDE_AFTER`,
    ReturnType<typeof integer>
  >;
}

/** A sweep's settings, read. */
export interface SweepConfig {
  readonly sweepLookbackHours: number;
  readonly sweepOverlapMinutes: number;
  readonly sweepSetAsideAfter: number;
}
