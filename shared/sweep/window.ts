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
export function sweepSince(cursor: Date | undefined, now: Date, reach: SweepReach): Date {
  const from = cursor
    ? cursor.getTime() - reach.sweepOverlapMinutes * MINUTE_MS
    : now.getTime() - reach.sweepLookbackHours * HOUR_MS;
  return new Date(Math.max(from, now.getTime() - MAX_SWEEP_LOOKBACK_MS));
}

/**
 * Longest slice a sweep lists at once: an hourly sweep's window (an hour and its overlap) is one
 * slice; a backlog (a day of sweeps that failed) is listed two hours at a time, oldest first, so
 * a sweep that runs out of time keeps what it finished (shared/sweep/run.ts, SweepMark).
 */
export const SWEEP_SLICE_MS = 2 * HOUR_MS;

/** One slice of a sweep's window: jobs completed at or after `after` and, but for the last, before `before`. */
export interface SweepSlice {
  readonly after: Date;
  /** Absent on the last slice: it reaches whatever completes while the sweep lists. */
  readonly before?: Date;
}

/**
 * The slices of the window from `since` to `now`, oldest first, each at most {@link SWEEP_SLICE_MS}.
 * Each slice after the first begins a minute before the previous one ends: whether AWS's
 * `ByCompleteAfter` and `ByCompleteBefore` include their own instant is not documented, and a job
 * listed twice is handled once (run.ts).
 */
export function sweepSlices(since: Date, now: Date): SweepSlice[] {
  const slices: SweepSlice[] = [];
  let start = since.getTime();
  while (now.getTime() - start > SWEEP_SLICE_MS) {
    const after = slices.length === 0 ? start : start - MINUTE_MS;
    slices.push({ after: new Date(after), before: new Date(start + SWEEP_SLICE_MS) });
    start += SWEEP_SLICE_MS;
  }
  slices.push({ after: new Date(slices.length === 0 ? start : start - MINUTE_MS) });
  return slices;
}
