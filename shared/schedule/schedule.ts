import { ValidationError } from '../errors.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time.js';
import { type AwsCron, parseAwsCron } from './aws-cron.js';
import type { CronEngineQuery } from './cron-engine.js';
import { isKnownTimezone } from './wall-date.js';

/** A backup rule's schedule, read once: `cron(...)` or `rate(value unit)`. */
export type Schedule =
  | { readonly kind: 'cron'; readonly source: string; readonly cron: AwsCron }
  | { readonly kind: 'rate'; readonly source: string; readonly periodMs: number };

/** A backup rule's own timing: what GetBackupPlan's BackupRule (or a job's CreatedBy) says. */
export interface RuleTiming {
  /** ScheduleExpression: `cron(...)` or `rate(...)`. */
  readonly scheduleExpression: string;
  /** ScheduleExpressionTimezone; default UTC. */
  readonly timezone?: string;
  /** StartWindowMinutes; default 480 (8 hours, API_BackupRule). */
  readonly startWindowMinutes?: number;
}

/** AWS Backup's default start window: 8 hours (API_BackupRule StartWindowMinutes; aws-facts.md). */
export const DEFAULT_START_WINDOW_MINUTES = 480;

const UNIT_MS: Readonly<Record<string, number>> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };
/** A start window longer than this is refused rather than evaluated (35 days: beyond any summary). */
const MAX_START_WINDOW_MINUTES = 35 * 24 * 60;

/**
 * Reads a ScheduleExpression. `rate(1 day)` and `rate(12 hours)` are EventBridge's rate form (value,
 * then minute(s), hour(s) or day(s)); a rate says how often, not when: its phase is unknown unless a
 * known run anchors it.
 *
 * @throws ValidationError naming `ScheduleExpression` and the value
 */
export function parseSchedule(expression: string): Schedule {
  if (typeof expression !== 'string' || expression.length > 256) {
    throw new ValidationError(
      'ScheduleExpression',
      expression,
      'must be cron(...) or rate(...), at most 256 characters',
    );
  }
  const text = expression.trim();
  const rate = /^rate\(\s*(\d{1,6})\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) throw new ValidationError('ScheduleExpression', expression, 'a rate value must be at least 1');
    const unit = UNIT_MS[(rate[2] as string).toLowerCase().replace(/s$/, '')] as number;
    return { kind: 'rate', source: text, periodMs: value * unit };
  }
  const cron = /^cron\((.*)\)$/i.exec(text);
  if (cron) return { kind: 'cron', source: text, cron: parseAwsCron(cron[1] as string, text) };
  throw new ValidationError('ScheduleExpression', expression, 'must be cron(six fields) or rate(value unit)');
}

/** The rule's time zone, checked: default UTC. */
export function timezoneOf(timezone: string | undefined): string {
  const zone = timezone?.trim() || 'UTC';
  if (!isKnownTimezone(zone)) {
    throw new ValidationError(
      'ScheduleExpressionTimezone',
      timezone,
      'must be an IANA time zone name (e.g. Europe/Paris)',
    );
  }
  return zone;
}

/** The rule's start window in ms, checked: default 8 hours. */
export function startWindowMsOf(minutes: number | undefined): number {
  const value = minutes ?? DEFAULT_START_WINDOW_MINUTES;
  if (!Number.isInteger(value) || value < 0 || value > MAX_START_WINDOW_MINUTES) {
    throw new ValidationError(
      'StartWindowMinutes',
      minutes,
      `must be an integer from 0 to ${MAX_START_WINDOW_MINUTES}`,
    );
  }
  return value * MINUTE_MS;
}

/** Most fires one evaluation returns: an hourly rule over 30 days is 720. */
const MAX_RUNS = 10_000;
/** Most fires looked at through a year or `W` filter (a `W` rule is 1 in 5 candidates; a year one may be 1 in 1,000). */
const MAX_EXAMINED = 100_000;

/**
 * What evaluates a cron expression: cron-engine.ts's `cronInstants`, which each function loads as a
 * side bundle (shared/side-bundle.ts) so that cron-parser and luxon are not in its handler bundle.
 * Passed in, not imported here: an import would put them back.
 */
export type CronEngine = (query: CronEngineQuery) => Promise<number[]>;

/** The fires of a cron schedule in [fromMs, untilMs), on `timezone`'s wall clock. */
export async function cronRuns(
  cron: AwsCron,
  timezone: string,
  fromMs: number,
  untilMs: number,
  engine: CronEngine,
  limit = MAX_RUNS,
): Promise<number[]> {
  // A year field bounds the search (a day either side: a zone's new year is not UTC's).
  const from = cron.years ? Math.max(fromMs, Date.UTC(cron.years.first, 0, 1) - DAY_MS) : fromMs;
  const until = cron.years ? Math.min(untilMs, Date.UTC(cron.years.last + 1, 0, 1) + DAY_MS) : untilMs;
  if (until <= from) return [];
  const accept = cron.accept;
  try {
    return await engine({
      expression: cron.expression,
      timezone,
      fromMs: from,
      untilMs: until,
      limit,
      maxExamined: MAX_EXAMINED,
      ...(accept ? { accept: (ms: number) => accept(ms, timezone) } : {}),
    });
  } catch (error) {
    throw new ValidationError('ScheduleExpression', cron.source, `cannot be evaluated: ${(error as Error).message}`);
  }
}

/** What {@link dueRuns} found. */
export interface DueRuns {
  /** Scheduled times (epoch ms) whose start window closed inside the window, oldest first. */
  readonly runs: readonly number[];
  /**
   * For a rate with no known run to anchor its phase: how many runs certainly fell due (a run is
   * certain in any stretch as long as the period), their times unknown. 0 otherwise.
   */
  readonly unanchored: number;
  /** The rate's period, for the wording of unanchored runs. */
  readonly periodMs?: number;
}

/** What {@link dueRuns} evaluates. */
export interface DueQuery extends RuleTiming {
  /** Start of the summary window (inclusive). */
  readonly since: Date;
  /** End of the summary window (exclusive). */
  readonly until: Date;
  /**
   * The earliest scheduled time whose jobs can be seen: jobs are listed from here on, and the plan
   * (or its selection) existed. Runs before it are not judged. Default `since`.
   */
  readonly notBefore?: Date;
  /** A scheduled run of the rule known from AWS (GetBackupPlan ScheduledRunsPreview): anchors a rate's phase. */
  readonly anchor?: Date;
}

/**
 * The runs of a rule that fell due inside [since, until): those whose start window closed in it.
 * AWS Backup may create and start a rule's job any time in its start window ("a value in minutes
 * after a backup is scheduled before a job will be canceled if it doesn't start successfully",
 * API_BackupRule), so a run is judged once its window has closed, by the one summary whose window
 * holds that moment: a run at 05:00 with an 8-hour start window is judged by the summary that
 * covers 13:00, never twice and never early. Only runs at or after `notBefore` are judged.
 *
 * @throws ValidationError for a bad expression, time zone or start window (naming which)
 */
export async function dueRuns(query: DueQuery, engine: CronEngine): Promise<DueRuns> {
  const schedule = parseSchedule(query.scheduleExpression);
  const timezone = timezoneOf(query.timezone);
  const windowMs = startWindowMsOf(query.startWindowMinutes);
  const since = query.since.getTime();
  const until = query.until.getTime();
  const from = Math.max(since - windowMs, (query.notBefore ?? query.since).getTime());
  const to = until - windowMs;
  if (to <= from) return { runs: [], unanchored: 0 };
  if (schedule.kind === 'cron')
    return { runs: await cronRuns(schedule.cron, timezone, from, to, engine), unanchored: 0 };
  const period = schedule.periodMs;
  if (query.anchor === undefined) {
    return { runs: [], unanchored: Math.floor((to - from) / period), periodMs: period };
  }
  // A rate's runs are anchor + k x period: a day is 24 hours whatever daylight saving does.
  const anchor = query.anchor.getTime();
  const first = anchor + Math.ceil((from - anchor) / period) * period;
  const runs: number[] = [];
  for (let at = first; at < to && runs.length < MAX_RUNS; at += period) runs.push(at);
  return { runs, unanchored: 0 };
}

/**
 * When a rule next runs strictly after `from`, or undefined when it never does (a past year). For
 * `rate(...)` with no anchor the phase is unknown, so the next run is taken as one period away.
 *
 * @throws ValidationError for a bad expression or time zone
 */
export async function nextRunAfter(
  schedule: Schedule,
  timezone: string,
  from: Date,
  engine: CronEngine,
): Promise<Date | undefined> {
  if (schedule.kind === 'rate') return new Date(from.getTime() + schedule.periodMs);
  const [next] = await cronRuns(schedule.cron, timezone, from.getTime() + 1, Date.UTC(2200, 0, 1), engine, 1);
  return next === undefined ? undefined : new Date(next);
}
