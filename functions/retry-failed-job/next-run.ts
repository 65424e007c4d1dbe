import { type CronEngine, nextRunAfter, parseSchedule, timezoneOf } from '../../shared/schedule/index.js';
import { importSideBundle } from '../../shared/side-bundle.js';

/** cron-parser, from this function's side bundle cron-engine.mjs, loaded on the first cron(...) evaluated. */
const cronEngine: CronEngine = async (query) =>
  (await importSideBundle<typeof import('./cron-engine.js')>(import.meta.url, 'cron-engine')).cronInstants(query);

/**
 * When a backup plan rule next runs after `from`, from its ScheduleExpression (`cron(...)` or
 * `rate(...)`) and ScheduleExpressionTimezone (default UTC), read by shared/schedule (one reading of
 * a schedule across functions). Returns `undefined` when the expression or zone cannot be read: the
 * caller then does not skip on that ground. For `rate(n unit)` the phase is unknown, so the next run
 * is taken as at most one interval away.
 *
 * Async because cron-parser (and luxon, which it brings: 98 KiB) is a side bundle loaded on the
 * first `cron(...)` expression only: a cold start that handles no scheduled plan's failure skips it.
 */
export async function nextPlanRun(
  scheduleExpression: string | undefined,
  timezone: string | undefined,
  from: Date,
): Promise<Date | undefined> {
  if (!scheduleExpression) return undefined;
  try {
    return await nextRunAfter(parseSchedule(scheduleExpression), timezoneOf(timezone), from, cronEngine);
  } catch {
    return undefined;
  }
}
