/** One way to read a backup rule's schedule across functions: AWS cron and rate, time zones, start windows. */
export { type AwsCron, lastWeekday, nearestWeekday, parseAwsCron } from './aws-cron.js';
export {
  type CronEngine,
  DEFAULT_START_WINDOW_MINUTES,
  type DueQuery,
  type DueRuns,
  dueRuns,
  nextRunAfter,
  parseSchedule,
  type RuleTiming,
  type Schedule,
  startWindowMsOf,
  timezoneOf,
} from './schedule.js';
export { isKnownTimezone, type WallDate, wallDateOf } from './wall-date.js';
