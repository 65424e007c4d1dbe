/**
 * The one module that loads cron-parser (and luxon, which it brings: about 98 KiB of a bundle).
 * Each function that evaluates schedules re-exports it from its own folder as a side bundle
 * (functions/<name>/cron-engine.ts, shared/side-bundle.ts) and hands `cronInstants` to
 * shared/schedule as its {@link CronEngine}: cron-parser is never in a handler bundle. Kept small
 * and free of project imports (types only).
 */

/** What {@link cronInstants} evaluates: a cron-parser 5-field expression on a zone's wall clock. */
export interface CronEngineQuery {
  /** cron-parser's form (minute hour day-of-month month day-of-week, 0-6 = SUN-SAT). */
  readonly expression: string;
  /** An IANA time zone name. */
  readonly timezone: string;
  /** First instant considered (inclusive), epoch ms. */
  readonly fromMs: number;
  /** End (exclusive), epoch ms. */
  readonly untilMs: number;
  /** Keeps an instant or drops it (AWS fields cron-parser lacks: year, `W`, `LW`). */
  readonly accept?: (instantMs: number) => boolean;
  /** Stops after this many accepted instants. */
  readonly limit: number;
  /** Stops after this many fires looked at, accepted or not (bounds a filter that rejects nearly all). */
  readonly maxExamined: number;
}

/**
 * The fires of `expression` in [fromMs, untilMs), in order, at most `limit`. cron-parser's
 * daylight-saving behaviour applies: a wall time that does not exist (spring forward) fires at the
 * first instant after the gap; one that exists twice (fall back) fires once, at the first.
 *
 * @throws Error from cron-parser when the expression is invalid (the caller names the rule).
 */
export async function cronInstants(query: CronEngineQuery): Promise<number[]> {
  const { CronExpressionParser } = await import('cron-parser');
  // cron-parser's next() is strictly after currentDate and its endDate is inclusive.
  const expression = CronExpressionParser.parse(query.expression, {
    currentDate: new Date(query.fromMs - 1),
    endDate: new Date(query.untilMs),
    tz: query.timezone,
  });
  const out: number[] = [];
  for (let examined = 0; examined < query.maxExamined && out.length < query.limit; examined += 1) {
    if (!expression.hasNext()) break;
    const at = expression.next().getTime();
    if (at >= query.untilMs) break;
    if (!query.accept || query.accept(at)) out.push(at);
  }
  return out;
}
