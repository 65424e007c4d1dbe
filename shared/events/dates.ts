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

// "Jul 15, 2020 9:39:07 PM": the form AWS's RUNNING backup sample uses for expectedCompletionDate
// (eventbridge.html). The event's own `time` shows it is UTC.
const LOCALE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/;
// ISO 8601 with a zone (Z or ±hh:mm), optional fraction: what every other date field carries.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a date as AWS Backup events send it: ISO 8601 (`2020-07-15T21:38:31.152Z`) or the
 * locale form of `expectedCompletionDate` (`Jul 15, 2020 9:39:07 PM`, UTC). Returns `undefined`
 * for anything else, so the caller can name the field in its error.
 */
export const parseEventDate = (text: string): Date | undefined => {
  if (ISO.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const m = LOCALE.exec(text);
  if (!m) return undefined;
  const [, mon, day, year, hour, minute, second, half] = m;
  const month = MONTHS[mon ?? ''];
  const h12 = Number(hour);
  if (month === undefined || h12 < 1 || h12 > 12) return undefined;
  const h24 = (h12 % 12) + (half === 'PM' ? 12 : 0);
  const date = new Date(Date.UTC(Number(year), month, Number(day), h24, Number(minute), Number(second)));
  // Reject roll-overs such as "Feb 31".
  return date.getUTCDate() === Number(day) && Number(minute) < 60 && Number(second) < 60 ? date : undefined;
};
