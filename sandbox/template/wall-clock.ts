/**
 * Wall-clock time in an IANA time zone, with Intl only (no dependency): what EventBridge Scheduler
 * needs to evaluate cron and at() expressions "in the time zone you specify" ("Time zones on
 * EventBridge Scheduler").
 */

/** A local date and time, as written in the zone. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's formatter; throws RangeError naming the zone when Intl does not know it. */
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** Throws RangeError unless `timeZone` is an IANA zone Intl knows. */
export const assertTimeZone = (timeZone: string): void => {
  formatterFor(timeZone);
};

/** The wall time at an instant. */
export const wallTimeAt = (utcMs: number, timeZone: string): WallTime => {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(utcMs))
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
};

/** A wall time read as if it were UTC: the arithmetic key of a local time. */
export const wallKey = (wall: WallTime): number =>
  Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/** The zone's offset from UTC at an instant, in milliseconds (whole seconds). */
const offsetAt = (utcMs: number, timeZone: string): number => {
  const floored = Math.floor(utcMs / 1000) * 1000;
  return wallKey(wallTimeAt(floored, timeZone)) - floored;
};

const HALF_DAY = 12 * 3_600_000;

/**
 * Every instant whose wall time in the zone is `wall`, earliest first: none in a spring-forward gap,
 * two in a fall-back overlap, one otherwise. (Offsets are taken half a day either side, so one
 * transition per day at most is assumed, which holds for every IANA zone.)
 */
export const instantsOf = (wall: WallTime, timeZone: string): number[] => {
  const key = wallKey(wall);
  const offsets = new Set([offsetAt(key - HALF_DAY, timeZone), offsetAt(key + HALF_DAY, timeZone)]);
  return [...offsets]
    .map((offset) => key - offset)
    .filter((instant) => offsetAt(instant, timeZone) === key - instant)
    .sort((a, b) => a - b);
};
