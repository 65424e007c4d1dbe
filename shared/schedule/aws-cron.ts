import { ValidationError } from '../errors.js';
import { wallDateOf } from './wall-date.js';

/**
 * AWS's six-field cron (`Minutes Hours Day-of-month Month Day-of-week Year`), as backup rules write
 * it ("Cron expressions reference", EventBridge User Guide, which API_BackupRule ScheduleExpression
 * points to: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html),
 * read into what cron-parser evaluates plus the parts cron-parser lacks:
 * - day of week 1-7 = SUN-SAT (cron-parser: 0-6), names SUN-SAT;
 * - `?` in exactly one of day-of-month and day-of-week;
 * - `L` (last day of month; in day-of-week alone: the last day of the week, Saturday), `dL` (the
 *   last such weekday of the month), `d#n` (the nth such weekday);
 * - `W` (`15W`: the weekday nearest the 15th, never across the month's edge) and `LW` (the last
 *   weekday of the month), which cron-parser has not: a range of candidate days goes to cron-parser
 *   and {@link AwsCron.accept} keeps the right one;
 * - the year field (1970-2199), which cron-parser has not: {@link AwsCron.accept} checks it.
 *
 * The sandbox evaluates AWS cron with a reading of its own (sandbox/template/schedule-expression.ts),
 * on purpose; test/shared/schedule/cron-agreement.test.ts holds the two to the same fires.
 */
export interface AwsCron {
  /** The rule's text, for messages. */
  readonly source: string;
  /** cron-parser's 5-field form. */
  readonly expression: string;
  /** Keeps the fires whose wall date (in `timezone`) the year field and `W` / `LW` allow; absent when all are. */
  readonly accept?: (instantMs: number, timezone: string) => boolean;
  /** The first and last year the year field allows (absent: every year); bounds an evaluation. */
  readonly years?: { readonly first: number; readonly last: number };
}

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const YEAR_MIN = 1970;
const YEAR_MAX = 2199;

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MINUTES: FieldSpec = { name: 'minutes', min: 0, max: 59 };
const HOURS: FieldSpec = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS };
const YEAR: FieldSpec = { name: 'year', min: YEAR_MIN, max: YEAR_MAX };

type Fail = (reason: string) => never;

function fieldValue(token: string, spec: FieldSpec, fail: Fail): number {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d{1,4}$/.test(token) ? Number(token) : Number.NaN;
  if (!(value >= spec.min && value <= spec.max)) {
    fail(`${spec.name} value ${JSON.stringify(token)} is not in ${spec.min}-${spec.max}`);
  }
  return value;
}

/**
 * Checks a field of `,` `-` `*` `/` and returns it with every value mapped by `map` (cron-parser
 * reads the same syntax; only day-of-week numbers move).
 */
function listField(field: string, spec: FieldSpec, fail: Fail, map: (n: number) => number = (n) => n): string {
  return field
    .split(',')
    .map((part) => {
      const [range = '', step, extra] = part.split('/');
      if (extra !== undefined || range === '') fail(`${spec.name} part ${JSON.stringify(part)} is malformed`);
      if (step !== undefined && !/^[1-9]\d{0,3}$/.test(step)) {
        fail(`${spec.name} step ${JSON.stringify(step)} must be a positive integer`);
      }
      if (range === '*') return part;
      const bounds = range.split('-');
      if (bounds.length > 2) fail(`${spec.name} range ${JSON.stringify(range)} is malformed`);
      const values = bounds.map((b) => fieldValue(b, spec, fail));
      if (values.length === 2 && (values[0] as number) > (values[1] as number)) {
        fail(`${spec.name} range ${JSON.stringify(range)} runs backwards`);
      }
      return values.map(map).join('-') + (step === undefined ? '' : `/${step}`);
    })
    .join(',');
}

/** The years a year field allows, or undefined for every year. */
function yearsOf(field: string, fail: Fail): ReadonlySet<number> | undefined {
  if (field === '*') return undefined;
  const years = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] =
      range === '*'
        ? [YEAR_MIN, YEAR_MAX]
        : range.includes('-')
          ? range.split('-').map((b) => fieldValue(b, YEAR, fail))
          : [fieldValue(range, YEAR, fail), stepText === undefined ? fieldValue(range, YEAR, fail) : YEAR_MAX];
    for (let y = from as number; y <= (to as number); y += step) years.add(y);
  }
  return years;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
function isWeekday(year: number, month: number, day: number): boolean {
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return dow >= 1 && dow <= 5;
}

/** The weekday nearest `day` in its month ("3W specifies the weekday closest to the third day"). */
export function nearestWeekday(year: number, month: number, day: number): number | undefined {
  const last = daysIn(year, month);
  if (day > last) return undefined;
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  if (dow === 6) return day === 1 ? 3 : day - 1;
  if (dow === 0) return day === last ? day - 2 : day + 1;
  return day;
}

/** The last weekday (MON-FRI) of a month. */
export function lastWeekday(year: number, month: number): number {
  let day = daysIn(year, month);
  while (!isWeekday(year, month, day)) day -= 1;
  return day;
}

type DayPick = (year: number, month: number, day: number) => boolean;

function dayOfMonth(field: string, fail: Fail): { expression: string; pick?: DayPick } {
  if (field === '?') return { expression: '*' };
  if (field === 'L') return { expression: 'L' };
  if (field === 'LW') {
    // The last weekday is one of the month's last three days: from the 26th on, in every month.
    return { expression: '26-31', pick: (y, m, d) => d === lastWeekday(y, m) };
  }
  const nearest = /^(\d{1,2})W$/.exec(field);
  if (nearest) {
    const n = fieldValue(nearest[1] as string, DAY_OF_MONTH, fail);
    return {
      expression: `${Math.max(1, n - 2)}-${Math.min(31, n + 2)}`,
      pick: (y, m, d) => d === nearestWeekday(y, m, n),
    };
  }
  if (/[LW#]/i.test(field)) fail(`day-of-month ${JSON.stringify(field)}: L and W stand alone (L, LW or nW)`);
  return { expression: listField(field, DAY_OF_MONTH, fail) };
}

function toStandardDay(n: number): number {
  return n - 1;
}

function dayOfWeek(field: string, fail: Fail): string {
  if (field === '?') return '*';
  // "L ... in the Day-of-week field [means] the last day of the week" (Saturday).
  if (field === 'L') return '6';
  const special = /^([A-Za-z]{3}|\d)(L|#(\d))$/.exec(field);
  if (special) {
    const day = toStandardDay(fieldValue(special[1] as string, DAY_OF_WEEK, fail));
    if (special[2] === 'L') return `${day}L`;
    const nth = Number(special[3]);
    if (nth < 1 || nth > 5) fail(`day-of-week ${JSON.stringify(field)}: the n of d#n is 1-5`);
    return `${day}#${nth}`;
  }
  if (/[L#]/.test(field.replace(/[A-Z]{3}/gi, 'X'))) {
    fail(`day-of-week ${JSON.stringify(field)}: L and # stand alone (L, dL or d#n)`);
  }
  return listField(field, DAY_OF_WEEK, fail, toStandardDay);
}

/**
 * Reads the inside of `cron(...)` (six fields).
 *
 * @throws ValidationError naming `ScheduleExpression`, the expression and what is wrong
 * @example parseAwsCron('0 5 ? * MON-FRI *').expression // '0 5 * * 1-5'
 */
export function parseAwsCron(body: string, source = `cron(${body})`): AwsCron {
  const fail: Fail = (reason) => {
    throw new ValidationError('ScheduleExpression', source, reason);
  };
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    fail(`cron takes six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  }
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  // "If you specify a value or a * in one of the fields, you must use a ? in the other" (Cron expressions reference).
  if ((dom === '?') === (dow === '?')) fail('exactly one of day-of-month and day-of-week must be ?');
  const days = dayOfMonth(dom, fail);
  const expression = [
    listField(minutes, MINUTES, fail),
    listField(hours, HOURS, fail),
    days.expression,
    listField(month, MONTH, fail),
    dayOfWeek(dow, fail),
  ].join(' ');
  const years = yearsOf(year, fail);
  const pick = days.pick;
  if (!years && !pick) return { source, expression };
  return {
    source,
    expression,
    ...(years ? { years: { first: Math.min(...years), last: Math.max(...years) } } : {}),
    accept: (instantMs, timezone) => {
      const date = wallDateOf(instantMs, timezone);
      return (!years || years.has(date.year)) && (!pick || pick(date.year, date.month, date.day));
    },
  };
}
