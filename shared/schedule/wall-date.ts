/** A calendar date on a zone's wall clock. */
export interface WallDate {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  /** 1-31. */
  readonly day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    // Throws RangeError for a name the runtime's time zone database does not know.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** True when the runtime knows `timezone` (an IANA name such as `Europe/Paris`, or `UTC`). */
export function isKnownTimezone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The date an instant falls on in `timezone`. */
export function wallDateOf(instantMs: number, timezone: string): WallDate {
  const parts = formatterFor(timezone).formatToParts(new Date(instantMs));
  const value = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: value('year'), month: value('month'), day: value('day') };
}
