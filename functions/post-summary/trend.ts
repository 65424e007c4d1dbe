import type { BackupClient } from '@aws-sdk/client-backup';
import { listBackupJobSummaries } from '../../shared/backup/index.js';
import { DAY_MS, HOUR_MS } from '../../shared/time.js';
import type { Trend, TrendDay } from './report.js';

/** ListBackupJobSummaries with ONE_DAY returns daily counts for the prior 14 days. */
export const TREND_DAYS = 14;

/** AWS refreshes job summaries at about 01:30-02:30 UTC (backup-dashboards): 02:30 is when a day is in. */
const REFRESHED_BY_MS = 2.5 * HOUR_MS;

function midnight(t: Date): number {
  return Math.floor(t.getTime() / DAY_MS) * DAY_MS;
}
function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * How fresh the trend is at `now`: AWS's daily aggregates stop at the last 00:00 UTC and the last
 * day arrives around 01:30-02:30 UTC, so before 02:30 the latest day may be missing or short.
 */
export function trendFreshness(now: Date): string {
  const lastMidnight = midnight(now);
  const base = `AWS Backup job summaries (a daily aggregate) up to 00:00 UTC ${day(lastMidnight)}; jobs since then are not included`;
  return now.getTime() - lastMidnight < REFRESHED_BY_MS
    ? `${base}; AWS refreshes them around 01:30-02:30 UTC, so ${day(lastMidnight - DAY_MS)} may not be in yet`
    : `${base}; refreshed around 01:30-02:30 UTC today`;
}

/**
 * Sums ListBackupJobSummaries (ONE_DAY) over Regions into one count per UTC day and state, for the
 * 14 days before the last 00:00 UTC. Resource type and message category are asked as AGGREGATE_ALL
 * (one summed row each) and state as ANY (one row per state), so no job is counted twice.
 */
export class TrendBuilder {
  readonly #days = new Map<string, Record<string, number>>();
  readonly #scope: Trend['scope'];

  constructor(now: Date, scope: Trend['scope']) {
    this.#scope = scope;
    const lastMidnight = midnight(now);
    for (let i = TREND_DAYS; i >= 1; i -= 1) this.#days.set(day(lastMidnight - i * DAY_MS), {});
  }

  /** Adds one Region's daily summaries; organization scope asks for every account (`ANY`). */
  async addRegion(client: BackupClient, signal?: AbortSignal): Promise<void> {
    const rows = listBackupJobSummaries(
      client,
      {
        period: 'ONE_DAY',
        state: 'ANY',
        resourceType: 'AGGREGATE_ALL',
        messageCategory: 'AGGREGATE_ALL',
        ...(this.#scope === 'organization' ? { accountId: 'ANY' } : {}),
      },
      { signal },
    );
    for await (const row of rows) {
      const counts = row.StartTime && this.#days.get(day(row.StartTime.getTime()));
      const state = row.State;
      // ANY / AGGREGATE_ALL rows would be sums of the per-state rows: skip them if AWS sends any.
      if (!counts || !state || state === 'ANY' || state === 'AGGREGATE_ALL') continue;
      counts[state] = (counts[state] ?? 0) + (row.Count ?? 0);
    }
  }

  result(now: Date): Trend {
    const days: TrendDay[] = [...this.#days].map(([date, byState]) => ({ date, byState: { ...byState } }));
    return { days, freshness: trendFreshness(now), scope: this.#scope };
  }
}
