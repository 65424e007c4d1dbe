import * as v from 'valibot';
import { describeValue, ValidationError } from '../../shared/errors.js';
import { isRecord } from '../../shared/objects.js';
import { DAY_MS, HOUR_MS } from '../../shared/time.js';

/** The window one summary covers: jobs created at or after `since` and before `until`. */
export interface SummaryWindow {
  readonly since: Date;
  readonly until: Date;
  /** How the window was chosen, for the log. */
  readonly source: 'schedule' | 'windowHours' | 'since-until';
  /**
   * True when the event names the window's end (a schedule's time, an explicit `until`): a retried
   * or repeated delivery of the event is the same window, which the summary delivers once per
   * channel (deliver-once.ts). A window that ends "now" is a new window on every invocation.
   */
  readonly fixed: boolean;
}

/** ListBackupJobs reaches back 30 days only (aws-facts.md, API). */
export const MAX_LOOKBACK_DAYS = 30;
/** Clocks differ a little: an `until` up to a minute ahead is today's "now", not a mistake. */
const FUTURE_TOLERANCE_MS = 60_000;

/** Keys a direct invocation may carry (`id` is the log correlation id the base stack reads). */
const DIRECT_KEYS = new Set(['windowHours', 'since', 'until', 'id']);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const ISO_TIME_EXPECTED = 'must be an ISO 8601 time with a zone, e.g. 2026-05-04T08:00:00Z';

/**
 * True when the text's `yyyy-mm-dd` is a day of the calendar. `Date.parse` rolls a day the month
 * does not have over into the next month (`2026-11-31` is December 1st, `2026-02-30` March 2nd):
 * a window asked for on a day that does not exist is a typo, not another day.
 */
function isCalendarDay(s: string): boolean {
  const [year, month, day] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))];
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date.getUTCMonth() === month && date.getUTCDate() === day;
}

/** A time with its zone (`since`, `until`, a schedule's time); bounded before the pattern runs. */
const isoTimeSchema = v.pipe(
  v.string(ISO_TIME_EXPECTED),
  v.maxLength(64, ISO_TIME_EXPECTED),
  v.regex(ISO_TIME, ISO_TIME_EXPECTED),
  v.check(isCalendarDay, ISO_TIME_EXPECTED),
  v.check((s) => !Number.isNaN(Date.parse(s)), ISO_TIME_EXPECTED),
  v.transform((s) => new Date(s)),
);

/** `windowHours` of a direct invocation: whole hours inside ListBackupJobs' 30 days. */
const windowHoursSchema = v.pipe(
  v.number(`must be an integer from 1 to ${MAX_LOOKBACK_DAYS * 24}`),
  v.check(
    (n) => Number.isInteger(n) && n >= 1 && n <= MAX_LOOKBACK_DAYS * 24,
    `must be an integer from 1 to ${MAX_LOOKBACK_DAYS * 24}`,
  ),
);

/** Parses one field of the request, or throws a ValidationError naming it, its value and what was expected. */
function field<T>(schema: v.GenericSchema<unknown, T>, name: string, value: unknown): T {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return result.output;
  throw new ValidationError(name, value, result.issues[0].message);
}

function isoTime(name: string, value: unknown): Date {
  return field(isoTimeSchema, name, value);
}

/** Longest key named as it was sent; anything else is quoted and cut (the caller typed the key). */
const MAX_OPTION_NAME = 64;

/**
 * An unknown key as the error names it: a short plain key as typed (`windowhours`), any other
 * quoted and cut by describeValue, since the key is the caller's text and a megabyte of it
 * must not become the error message (and Lambda's log line).
 */
function optionName(key: string): string {
  return key.length <= MAX_OPTION_NAME && /^[\w.-]+$/.test(key) ? key : describeValue(key, MAX_OPTION_NAME);
}

// EventBridge scheduled rules send `source: aws.events` with `detail-type: Scheduled Event` and the
// scheduled `time`; the template's EventBridge Scheduler target sends our own input with
// `<aws.scheduler.scheduled-time>` filled in. Both carry the time the run was due, so a late or
// retried run covers the same window as the on-time one.
function scheduledTime(event: Record<string, unknown>): { present: boolean; value?: unknown; field: string } {
  if (event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event') {
    return { present: true, value: event.time, field: 'time' };
  }
  if (event.source === 'backup-autopilot' && event.action === 'summary') {
    return { present: true, value: event.scheduledTime, field: 'scheduledTime' };
  }
  return { present: false, field: '' };
}

function check(window: SummaryWindow, now: Date): SummaryWindow {
  const { since, until } = window;
  if (since.getTime() >= until.getTime()) {
    throw new ValidationError('since', since.toISOString(), `must be before until (${until.toISOString()})`);
  }
  if (until.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new ValidationError('until', until.toISOString(), `must not be in the future (now ${now.toISOString()})`);
  }
  const earliest = now.getTime() - MAX_LOOKBACK_DAYS * DAY_MS;
  if (since.getTime() < earliest) {
    throw new ValidationError(
      'since',
      since.toISOString(),
      `must be at most ${MAX_LOOKBACK_DAYS} days back (AWS Backup lists jobs of the last ${MAX_LOOKBACK_DAYS} days only)`,
    );
  }
  return window;
}

/**
 * Decides the window of one invocation:
 * - a scheduled event: the last `defaultHours` before the scheduled time;
 * - `{}` or nothing: the last `defaultHours` before now;
 * - `{ "windowHours": 6 }`: the last 1 to 720 hours before now;
 * - `{ "since": ISO, "until": ISO }` (`until` optional, default now).
 * The window is `fixed` when the event names its end (a scheduled time, an explicit `until`).
 * At most 30 days back, `since` before `until`, `until` not more than a minute ahead of `now`.
 *
 * @throws ValidationError naming the field and its value
 */
export function resolveWindow(event: unknown, now: Date, defaultHours: number): SummaryWindow {
  const hoursBefore = (end: Date, hours: number, source: SummaryWindow['source'], fixed: boolean): SummaryWindow =>
    check({ since: new Date(end.getTime() - hours * HOUR_MS), until: end, source, fixed }, now);

  if (event === undefined || event === null) return hoursBefore(now, defaultHours, 'schedule', false);
  if (!isRecord(event)) throw new ValidationError('event', event, 'must be an object');

  const scheduled = scheduledTime(event);
  if (scheduled.present) {
    return hoursBefore(isoTime(scheduled.field, scheduled.value), defaultHours, 'schedule', true);
  }

  // A typo (`windowhours`) must not silently become the default window.
  const unknown = Object.keys(event).find((key) => !DIRECT_KEYS.has(key));
  if (unknown !== undefined) {
    throw new ValidationError(
      optionName(unknown),
      event[unknown],
      'is not a summary option (use windowHours, or since and until)',
    );
  }
  const hasHours = event.windowHours !== undefined;
  const hasRange = event.since !== undefined || event.until !== undefined;
  if (hasHours && hasRange) {
    throw new ValidationError('windowHours', event.windowHours, 'cannot be combined with since/until');
  }
  if (hasHours) {
    return hoursBefore(now, field(windowHoursSchema, 'windowHours', event.windowHours), 'windowHours', false);
  }
  if (hasRange) {
    if (event.since === undefined) throw new ValidationError('since', undefined, 'is required with until');
    const since = isoTime('since', event.since);
    const until = event.until === undefined ? now : isoTime('until', event.until);
    return check({ since, until, source: 'since-until', fixed: event.until !== undefined }, now);
  }
  return hoursBefore(now, defaultHours, 'schedule', false);
}
