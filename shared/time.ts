/** Durations in milliseconds: one definition for every function (a day is 24 h in UTC, as AWS Backup's windows are). */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
