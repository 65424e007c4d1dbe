import { describe, expect, it } from 'vitest';
import { EventParseError } from '../../../shared/errors.js';
import { MAX_DATE_LENGTH, parseEventDate, toEventDate } from '../../../shared/events/dates.js';

describe('parseEventDate', () => {
  it.each<{ text: string; iso: string | undefined }>([
    // ISO 8601, as every date field but expectedCompletionDate carries it.
    { text: '2020-07-15T21:38:31.152Z', iso: '2020-07-15T21:38:31.152Z' },
    { text: '2020-07-16T05:00:00Z', iso: '2020-07-16T05:00:00.000Z' },
    { text: '2020-07-16T07:00:00+02:00', iso: '2020-07-16T05:00:00.000Z' },
    { text: '2020-07-15T23:30:00-0530', iso: '2020-07-16T05:00:00.000Z' },
    { text: '2020-07-15T21:38:31.152987Z', iso: '2020-07-15T21:38:31.152Z' },
    { text: '2020-07-15T21:38:31.5Z', iso: '2020-07-15T21:38:31.500Z' },
    { text: '2020-02-29T00:00:00Z', iso: '2020-02-29T00:00:00.000Z' },
    { text: '0020-01-01T00:00:00Z', iso: '0020-01-01T00:00:00.000Z' },
    // AWS's locale form (RUNNING backup sample), UTC; newer JDKs add a comma and a narrow no-break space.
    { text: 'Jul 15, 2020 9:39:07 PM', iso: '2020-07-15T21:39:07.000Z' },
    { text: 'Jul 15, 2020, 9:39:07\u202fPM', iso: '2020-07-15T21:39:07.000Z' },
    { text: 'Jan 1, 2021 12:00:00 AM', iso: '2021-01-01T00:00:00.000Z' },
    { text: 'Jan 1, 2021 12:30:00 PM', iso: '2021-01-01T12:30:00.000Z' },
    { text: 'Dec 31, 2021 11:59:59 PM', iso: '2021-12-31T23:59:59.000Z' },
    // Refused: out-of-range parts that `new Date` would roll over, other forms, no zone.
    { text: '2020-02-31T00:00:00Z', iso: undefined },
    { text: '2021-02-29T00:00:00Z', iso: undefined },
    { text: '2020-07-15T24:00:00Z', iso: undefined },
    { text: '2020-07-15T23:60:00Z', iso: undefined },
    { text: '2020-13-01T00:00:00Z', iso: undefined },
    { text: '2020-07-15T21:00:00+24:00', iso: undefined },
    { text: 'Feb 31, 2021 1:00:00 PM', iso: undefined },
    { text: 'Foo 1, 2021 1:00:00 PM', iso: undefined },
    { text: 'jul 15, 2020 9:39:07 PM', iso: undefined },
    { text: 'Jul 15, 2020 13:39:07 PM', iso: undefined },
    { text: 'Jul 15, 2020 0:39:07 AM', iso: undefined },
    { text: 'Jul 15, 2020 9:39:07', iso: undefined },
    { text: '2020-07-15', iso: undefined },
    { text: '2020-07-15T21:38:31', iso: undefined },
    { text: '1594849147000', iso: undefined },
    { text: ' 2020-07-15T21:38:31Z', iso: undefined },
    { text: `2020-07-15T21:38:31.${'1'.repeat(MAX_DATE_LENGTH)}Z`, iso: undefined },
    { text: '', iso: undefined },
  ])('$text -> $iso', ({ text, iso }) => {
    expect(parseEventDate(text)?.toISOString()).toBe(iso);
  });
});

describe('toEventDate', () => {
  it('returns the instant', () => {
    expect(toEventDate('Jul 15, 2020 9:39:07 PM', 'detail.expectedCompletionDate')).toEqual(
      new Date('2020-07-15T21:39:07Z'),
    );
  });

  it.each<{ value: unknown }>([
    { value: 'yesterday' },
    { value: 1594849147000 },
    { value: null },
    { value: undefined },
    { value: {} },
    { value: 'x'.repeat(1_000_000) },
  ])('throws an EventParseError naming the field for $value', ({ value }) => {
    expect(() => toEventDate(value, 'detail.creationDate')).toThrowError(
      expect.objectContaining({ name: 'EventParseError', field: 'detail.creationDate', value }),
    );
    expect(() => toEventDate(value, 'detail.creationDate')).toThrow(EventParseError);
  });
});
