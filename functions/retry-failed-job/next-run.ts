import { nextRunAfter, parseSchedule, timezoneOf } from '../../shared/schedule/index.js';

/**
 * When a backup plan rule next runs after `from`, from its ScheduleExpression (`cron(...)` or
 * `rate(...)`) and ScheduleExpressionTimezone (default UTC), read by shared/schedule (one reading of
 * a schedule across functions). Returns `undefined` when the expression or zone cannot be read: the
 * caller then does not skip on that ground. For `rate(n unit)` the phase is unknown, so the next run
 * is taken as at most one interval away.
 *
 * Async because cron-parser (and luxon, which it brings: 98 KiB of the bundle) is imported on the
 * first `cron(...)` expression only (shared/schedule/cron-engine.ts): a cold start that handles no
 * scheduled plan's failure skips it.
 */
export const nextPlanRun = async (
  scheduleExpression: string | undefined,
  timezone: string | undefined,
  from: Date,
): Promise<Date | undefined> => {
  if (!scheduleExpression) return undefined;
  try {
    return await nextRunAfter(parseSchedule(scheduleExpression), timezoneOf(timezone), from);
  } catch {
    return undefined;
  }
};
