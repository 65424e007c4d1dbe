import { assertTimeZone, instantsOf, type WallTime, wallTimeAt } from './wall-clock.js';

// EventBridge Scheduler schedule expressions ("Schedule types in EventBridge Scheduler"; the cron
// field table is the one of "Cron expressions reference" in the EventBridge User Guide):
//   at(yyyy-mm-ddThh:mm:ss)            one time, in the schedule's time zone
//   rate(value minute|minutes|hour|hours|day|days)
//   cron(minutes hours day-of-month month day-of-week year)
// cron-parser (a dependency) is not used: it has no `W`, no year field, and reads day-of-week as
// 0-6 where AWS writes 1-7 = SUN-SAT; six small fields are simpler to evaluate exactly here.
// Nor is the product's reading (shared/schedule/aws-cron.ts): the sandbox is where that reading is
// checked, so it keeps its own, and test/shared/schedule/cron-agreement.test.ts holds the two to
// the same fires and the same refusals.

/** A schedule expression EventBridge Scheduler would refuse. */
export class ScheduleExpressionError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`invalid schedule expression ${JSON.stringify(expression)}: ${reason}`);
    this.name = 'ScheduleExpressionError';
  }
}

/** How a day is chosen: by day of month or by day of week (AWS requires `?` in the other). */
type DayRule =
  | { readonly by: 'month-days'; readonly days: ReadonlySet<number> }
  | { readonly by: 'last-day-of-month'; readonly weekday: boolean }
  | { readonly by: 'nearest-weekday'; readonly day: number }
  | { readonly by: 'week-days'; readonly days: ReadonlySet<number> }
  | { readonly by: 'nth-week-day'; readonly weekday: number; readonly nth: number }
  | { readonly by: 'last-week-day'; readonly weekday: number };

export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number>;
  readonly dayRule: DayRule;
}

export type ScheduleExpression =
  | { readonly kind: 'at'; readonly expression: string; readonly wall: WallTime }
  | {
      readonly kind: 'rate';
      readonly expression: string;
      readonly value: number;
      readonly unit: 'minute' | 'hour' | 'day';
      readonly periodMs: number;
    }
  | { readonly kind: 'cron'; readonly expression: string; readonly fields: CronFields };

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** AWS's years: 1970-2199 (Cron expressions reference). */
const YEAR_MIN = 1970;
const YEAR_MAX = 2199;

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTHS },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS },
  year: { name: 'year', min: YEAR_MIN, max: YEAR_MAX },
} satisfies Record<string, FieldSpec>;

/** A number or name in a field (names are 1-based: JAN = 1, SUN = 1). */
const fieldValue = (token: string, spec: FieldSpec, fail: (reason: string) => never): number => {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(token) ? Number(token) : Number.NaN;
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
    fail(`${spec.name} value ${JSON.stringify(token)} is not in ${spec.min}-${spec.max}`);
  }
  return value;
};

/** A field of `,` `-` `*` `/` (the wildcards every field has). */
const setOf = (field: string, spec: FieldSpec, fail: (reason: string) => never): Set<number> => {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') fail(`${spec.name} part ${JSON.stringify(part)} is malformed`);
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) fail(`${spec.name} step ${JSON.stringify(stepText)} must be a positive integer`);
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [from, to] = [fieldValue(a, spec, fail), fieldValue(b, spec, fail)];
      if (from > to)
        fail(`${spec.name} range ${JSON.stringify(range)} runs backwards (the sandbox refuses wrap-around ranges)`);
    } else {
      from = fieldValue(range, spec, fail);
      // `5/15` means 5, 20, 35, 50: from the value to the field's end, in steps.
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
};

const dayOfMonthRule = (field: string, fail: (reason: string) => never): DayRule => {
  if (field === 'L') return { by: 'last-day-of-month', weekday: false };
  // `LW` (the last weekday of the month) is Quartz's, which AWS's cron follows; AWS documents L and W.
  if (field === 'LW') return { by: 'last-day-of-month', weekday: true };
  const nearest = /^(\d{1,2})W$/.exec(field);
  if (nearest) return { by: 'nearest-weekday', day: fieldValue(nearest[1] as string, FIELDS.dayOfMonth, fail) };
  if (/[LW#]/i.test(field)) fail(`day-of-month ${JSON.stringify(field)}: L and W stand alone (L, LW, or nW)`);
  return { by: 'month-days', days: setOf(field, FIELDS.dayOfMonth, fail) };
};

const dayOfWeekRule = (field: string, fail: (reason: string) => never): DayRule => {
  // `L` alone is the last day of the week, Saturday (Cron expressions reference: "the last day of the week").
  if (field === 'L') return { by: 'week-days', days: new Set([7]) };
  const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(field);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) fail(`day-of-week ${JSON.stringify(field)}: the n of d#n is 1-5`);
    return { by: 'nth-week-day', weekday: fieldValue(nth[1] as string, FIELDS.dayOfWeek, fail), nth: n };
  }
  // `dL`, the last such weekday of the month: Quartz's form; AWS documents L only.
  const last = /^([A-Za-z]{3}|\d)L$/.exec(field);
  if (last) return { by: 'last-week-day', weekday: fieldValue(last[1] as string, FIELDS.dayOfWeek, fail) };
  if (/[LW#]/i.test(field.replace(/[A-Z]{3}/gi, (name) => (WEEKDAYS.includes(name.toUpperCase()) ? 'X' : name)))) {
    fail(`day-of-week ${JSON.stringify(field)}: L and # stand alone (L, dL or d#n)`);
  }
  return { by: 'week-days', days: setOf(field, FIELDS.dayOfWeek, fail) };
};

const parseCron = (body: string, fail: (reason: string) => never): CronFields => {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    fail(`cron takes six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If you
  // specify a value or a * in one of the fields, you must use a ? in the other" (Cron expressions reference).
  if ((dom === '?') === (dow === '?')) fail('exactly one of day-of-month and day-of-week must be ?');
  for (const [field, name] of [
    [minutes, 'minutes'],
    [hours, 'hours'],
    [month, 'month'],
    [year, 'year'],
  ] as const) {
    if (field.includes('?')) fail(`${name} cannot be ?`);
  }
  return {
    minutes: [...setOf(minutes, FIELDS.minutes, fail)].sort((a, b) => a - b),
    hours: [...setOf(hours, FIELDS.hours, fail)].sort((a, b) => a - b),
    months: setOf(month, FIELDS.month, fail),
    years: setOf(year, FIELDS.year, fail),
    dayRule: dom === '?' ? dayOfWeekRule(dow, fail) : dayOfMonthRule(dom, fail),
  };
};

/** Parses an EventBridge Scheduler expression; throws ScheduleExpressionError naming it and why. */
export const parseScheduleExpression = (expression: string): ScheduleExpression => {
  const fail = (reason: string): never => {
    throw new ScheduleExpressionError(expression, reason);
  };
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
      fail('at() names a date or time that does not exist');
    }
    return { kind: 'at', expression, wall: { year, month, day, hour, minute, second } };
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) fail('a rate value is a positive integer');
    const unit = (rate[2] as string).replace(/s$/, '') as 'minute' | 'hour' | 'day';
    return { kind: 'rate', expression, value, unit, periodMs: value * UNIT_MS[unit] };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return { kind: 'cron', expression, fields: parseCron(cron[1] as string, fail) };
  return fail('expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(six fields)');
};

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** AWS numbering: 1 = SUN ... 7 = SAT. */
const weekdayOf = (year: number, month: number, day: number): number =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
const isWeekday = (weekday: number): boolean => weekday >= 2 && weekday <= 6;

const dayMatches = (rule: DayRule, year: number, month: number, day: number): boolean => {
  const last = daysInMonth(year, month);
  const weekday = weekdayOf(year, month, day);
  switch (rule.by) {
    case 'month-days':
      return rule.days.has(day);
    case 'week-days':
      return rule.days.has(weekday);
    case 'last-day-of-month': {
      if (!rule.weekday) return day === last;
      let target = last;
      while (!isWeekday(weekdayOf(year, month, target))) target -= 1;
      return day === target;
    }
    case 'nearest-weekday': {
      // "3W specifies the weekday closest to the third day of the month" (Cron expressions
      // reference); as in Quartz, never across a month boundary.
      if (rule.day > last) return false;
      const w = weekdayOf(year, month, rule.day);
      let target = rule.day;
      if (w === 7) target = rule.day === 1 ? 3 : rule.day - 1;
      if (w === 1) target = rule.day === last ? rule.day - 2 : rule.day + 1;
      return day === target;
    }
    case 'nth-week-day':
      return weekday === rule.weekday && Math.ceil(day / 7) === rule.nth;
    case 'last-week-day':
      return weekday === rule.weekday && day + 7 > last;
  }
};

/** The first cron fire at or after `fromMs`, evaluated on the zone's wall clock. */
const nextCronFire = (fields: CronFields, fromMs: number, timeZone: string): number | undefined => {
  const start = wallTimeAt(fromMs, timeZone);
  // Walk local calendar days (a UTC Date is only the calendar here), then hours and minutes.
  for (
    let date = new Date(Date.UTC(start.year, start.month - 1, start.day));
    ;
    date.setUTCDate(date.getUTCDate() + 1)
  ) {
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (year > YEAR_MAX) return undefined;
    if (!fields.years.has(year) || !fields.months.has(month) || !dayMatches(fields.dayRule, year, month, day)) continue;
    const firstDay = year === start.year && month === start.month && day === start.day;
    for (const hour of fields.hours) {
      for (const minute of fields.minutes) {
        // Skips what is surely before `fromMs` on its own day (no zone shifts its clock by 3 hours).
        if (firstDay && (hour - start.hour) * 60 + minute - start.minute < -180) continue;
        // "When time shifts forward in the spring, if a cron expression falls on a non-existent date
        // and time, your schedule invocation is skipped. When time shifts backwards in the fall, your
        // schedule runs only once" ("Daylight saving time on EventBridge Scheduler"): no instant in
        // a gap, the first of two in an overlap.
        const [instant] = instantsOf({ year, month, day, hour, minute, second: 0 }, timeZone);
        if (instant !== undefined && instant >= fromMs) return instant;
      }
    }
  }
};

/**
 * When the schedule next fires strictly after `afterMs`, or `undefined` when it never will.
 * - at(): its instant in the zone, if after `afterMs`; StartDate is ignored ("EventBridge Scheduler
 *   ignores StartDate for one-time schedules", CreateSchedule API).
 * - rate(): every period from `startMs` (the schedule's StartDate, else its creation): fires are
 *   startMs + k x period, k >= 0 ("you use the StartDate property to set the first occurrence of
 *   the schedule. If you do not provide a StartDate for a rate-based schedule, your schedule starts
 *   invoking the target immediately", Schedule types page). Without `startMs`, `afterMs` is the
 *   start, so the first fire is one period later. A day is 24 hours, whatever daylight saving does.
 * - cron(): the first matching minute after `afterMs` and at or after `startMs`, on the wall clock of
 *   `timezone` (default UTC).
 */
export const nextFireAfter = (
  expression: string,
  afterMs: number,
  timezone = 'UTC',
  startMs?: number,
): number | undefined => {
  const parsed = parseScheduleExpression(expression);
  try {
    assertTimeZone(timezone);
  } catch (error) {
    throw new ScheduleExpressionError(expression, (error as Error).message);
  }
  switch (parsed.kind) {
    case 'at': {
      const [instant = instantsOf({ ...parsed.wall, hour: parsed.wall.hour + 1 }, timezone)[0]] = instantsOf(
        parsed.wall,
        timezone,
      );
      return instant !== undefined && instant > afterMs ? instant : undefined;
    }
    case 'rate': {
      const start = startMs ?? afterMs;
      if (start > afterMs) return start;
      return start + (Math.floor((afterMs - start) / parsed.periodMs) + 1) * parsed.periodMs;
    }
    case 'cron': {
      // Cron fires on whole minutes: the first candidate is the next minute boundary after afterMs.
      const from = Math.max(Math.floor(afterMs / 60_000) * 60_000 + 60_000, startMs ?? Number.NEGATIVE_INFINITY);
      return nextCronFire(parsed.fields, from, timezone);
    }
  }
};
