import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time.js';

/**
 * How far back a sweep may list: ListBackupJobs and ListCopyJobs return jobs of the last 30 days
 * only (API_ListBackupJobs), so a day of margin keeps the `ByCompleteAfter` filter valid at the edge.
 */
export const MAX_SWEEP_LOOKBACK_MS = 29 * DAY_MS;

/** A sweep's reach: how far back the first one looks, and how much each overlaps the previous. */
export interface SweepReach {
  readonly sweepLookbackHours: number;
  readonly sweepOverlapMinutes: number;
}

/**
 * Where a sweep starts listing: the previous sweep's time less the overlap (a job that completed
 * while the previous sweep listed is seen again, at the cost of one ledger read); the first sweep
 * looks back `sweepLookbackHours`. Never further back than the list calls reach.
 */
export const sweepSince = (cursor: Date | undefined, now: Date, reach: SweepReach): Date => {
  const from = cursor
    ? cursor.getTime() - reach.sweepOverlapMinutes * MINUTE_MS
    : now.getTime() - reach.sweepLookbackHours * HOUR_MS;
  return new Date(Math.max(from, now.getTime() - MAX_SWEEP_LOOKBACK_MS));
};
