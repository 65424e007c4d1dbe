/**
 * Dates as AWS Backup's EventBridge events carry them. Every date field is ISO 8601 except
 * `expectedCompletionDate`, which AWS's published RUNNING backup sample sends in a locale form,
 * "Jul 15, 2020 9:39:07 PM" (Backup Developer Guide, "Monitoring AWS Backup events using Amazon
 * EventBridge", eventbridge.html).
 */
import { EventParseError } from '../errors.js';

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** Longest date text looked at; anything longer is not a date, and is refused before any regex runs. */
export const MAX_DATE_LENGTH = 64;

// ISO 8601 with a zone (Z or ±hh:mm / ±hhmm) and an optional fraction: every other date field.
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;
// "Jul 15, 2020 9:39:07 PM": Java's default US medium format, which the event's own `time` shows
// to be UTC. Newer JDKs (CLDR 42+) write "Jul 15, 2020, 9:39:07 PM" with a narrow no-break space
// before PM, so the comma after the year and that space are accepted too.
const LOCALE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})[ \u00a0\u202f](AM|PM)$/;

/** Date.UTC, or undefined when a part is out of range (no roll-over: "Feb 31" is not "Mar 2"). */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0) {
  if (month < 0 || month > 11 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, not Date.UTC, which maps years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getUTCMonth() === month && date.getUTCDate() === day ? date : undefined;
}

function parseIso(m: RegExpExecArray): Date | undefined {
  const [, y, mo, d, h, mi, s, fraction = '', z, sign, oh, om] = m;
  const local = utc(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!local) return undefined;
  if (z) return new Date(local.getTime() + Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(local.getTime() + Number(fraction.padEnd(3, '0').slice(0, 3)) - offsetMs);
}

function parseLocale(m: RegExpExecArray): Date | undefined {
  const [, mon, day, year, hour, minute, second, half] = m;
  const month = MONTHS[mon ?? ''];
  const h12 = Number(hour);
  if (month === undefined || h12 < 1 || h12 > 12) return undefined;
  const h24 = (h12 % 12) + (half === 'PM' ? 12 : 0);
  return utc(Number(year), month, Number(day), h24, Number(minute), Number(second));
}

/**
 * Parses a date as AWS Backup events send it: ISO 8601 (`2020-07-15T21:38:31.152Z`, or with an
 * offset) or the locale form of `expectedCompletionDate` (`Jul 15, 2020 9:39:07 PM`, UTC).
 * Returns `undefined` for anything else, including out-of-range parts that `new Date` would
 * silently roll over (`2020-02-31`), so that the caller can name the field in its error.
 *
 * @example parseEventDate('Jul 15, 2020 9:39:07 PM') // 2020-07-15T21:39:07.000Z
 */
export function parseEventDate(text: string): Date | undefined {
  if (text.length > MAX_DATE_LENGTH) return undefined;
  const iso = ISO.exec(text);
  if (iso) return parseIso(iso);
  const locale = LOCALE.exec(text);
  return locale ? parseLocale(locale) : undefined;
}

/**
 * Like {@link parseEventDate}, for a value of unknown type: returns the Date or throws an
 * {@link EventParseError} naming `field` (a dotted path such as `detail.creationDate`).
 *
 * @example toEventDate(event.detail.expectedCompletionDate, 'detail.expectedCompletionDate')
 */
export function toEventDate(value: unknown, field: string): Date {
  const date = typeof value === 'string' ? parseEventDate(value) : undefined;
  if (!date) {
    throw new EventParseError(field, value, 'must be an ISO 8601 date or AWS\'s "Jul 15, 2020 9:39:07 PM" form');
  }
  return date;
}
