import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/time.js';

const DAY_NAMES: Readonly<Record<string, string>> = {
  '1': '0',
  '2': '1',
  '3': '2',
  '4': '3',
  '5': '4',
  '6': '5',
  '7': '6',
};
const UNIT_MS: Readonly<Record<string, number>> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

/**
 * Converts an AWS cron expression (`cron(Minutes Hours Day-of-month Month Day-of-week Year)`,
 * ScheduleExpression of a backup rule) to cron-parser's 5-field form: `?` becomes `*`, AWS's
 * numeric days of week 1-7 (SUN-SAT) become 0-6, and the year field is dropped (a year other than
 * `*` is honoured by the caller checking the result's year).
 */
export const awsCronToStandard = (fields: string): { expression: string; year: string } | undefined => {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6) return undefined;
  const [minute, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  // Only day numbers move (AWS 1-7 = SUN-SAT, standard 0-6): the n of `d#n` and the step of `d/s` stay.
  const day = dow.replace(/(^|[,-])([1-7])(?=$|[-,#L/])/g, (_m, lead: string, d: string) => lead + (DAY_NAMES[d] ?? d));
  return { expression: [minute, hour, dom.replace('?', '*'), month, day.replace('?', '*')].join(' '), year };
};

/**
 * When a backup plan rule next runs after `from`, from its ScheduleExpression (`cron(...)` or
 * `rate(...)`) and ScheduleExpressionTimezone (default UTC). Returns `undefined` when the
 * expression cannot be read: the caller then does not skip on that ground.
 * For `rate(n unit)` the phase is unknown, so the next run is taken as at most one interval away.
 *
 * Async because cron-parser (and luxon, which it brings: 98 KiB of the bundle) is imported on the
 * first `cron(...)` expression only: esbuild without `--splitting` (as SAM runs it) keeps it in the
 * bundle but evaluates it then, so a cold start that handles no scheduled plan's failure skips it.
 */
export const nextPlanRun = async (
  scheduleExpression: string | undefined,
  timezone: string | undefined,
  from: Date,
): Promise<Date | undefined> => {
  if (!scheduleExpression) return undefined;
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(scheduleExpression.trim());
  if (rate) {
    const unit = UNIT_MS[(rate[2] ?? '').toLowerCase().replace(/s$/, '')] ?? 0;
    return new Date(from.getTime() + Number(rate[1]) * unit);
  }
  const cron = /^cron\((.*)\)$/i.exec(scheduleExpression.trim());
  const parsed = cron?.[1] ? awsCronToStandard(cron[1]) : undefined;
  if (!parsed) return undefined;
  const { CronExpressionParser } = await import('cron-parser');
  try {
    const expression = CronExpressionParser.parse(parsed.expression, { currentDate: from, tz: timezone || 'UTC' });
    for (let i = 0; i < 1000; i += 1) {
      const next = expression.next().toDate();
      if (
        parsed.year === '*' ||
        parsed.year === '?' ||
        parsed.year.split(',').includes(String(next.getUTCFullYear()))
      ) {
        return next;
      }
    }
    return undefined;
  } catch {
    return undefined;
  }
};
