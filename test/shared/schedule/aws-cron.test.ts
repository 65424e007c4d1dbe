import { describe, expect, it } from 'vitest';
import { lastWeekday, nearestWeekday, parseAwsCron } from '../../../shared/schedule/aws-cron.js';

describe('parseAwsCron', () => {
  it.each([
    { body: '0 5 ? * 1,7 *', expression: '0 5 * * 0,6' },
    { body: '0 5 ? * MON-FRI *', expression: '0 5 * * 1-5' },
    { body: '15 * ? * * *', expression: '15 * * * *' },
    { body: '0 12 * * ? *', expression: '0 12 * * *' },
    { body: '0 0/4 ? * * *', expression: '0 0/4 * * *' },
    { body: '0 5 ? * 6#3 *', expression: '0 5 * * 5#3' },
    { body: '0 5 ? * FRI#1 *', expression: '0 5 * * 5#1' },
    { body: '0 5 ? * 6L *', expression: '0 5 * * 5L' },
    { body: '0 5 ? * L *', expression: '0 5 * * 6' },
    { body: '0 5 L * ? *', expression: '0 5 L * *' },
    { body: '0 5 ? JAN-MAR 2/2 *', expression: '0 5 * 1-3 1/2' },
    { body: '0 5 15W * ? *', expression: '0 5 13-17 * *' },
    { body: '0 5 1W * ? *', expression: '0 5 1-3 * *' },
    { body: '0 5 LW * ? *', expression: '0 5 26-31 * *' },
  ])('$body -> $expression', ({ body, expression }) => {
    expect(parseAwsCron(body).expression).toBe(expression);
  });

  it('leaves `accept` out when cron-parser alone decides', () => {
    expect(parseAwsCron('0 5 ? * * *').accept).toBeUndefined();
  });

  it('checks the year on the wall clock of the rule zone', () => {
    // Prepare: 2026-12-31T23:30Z is already 2027 in Paris.
    const { accept } = parseAwsCron('30 0 1 1 ? 2027');
    const at = Date.parse('2026-12-31T23:30:00Z');
    // Act / Assess
    expect(accept?.(at, 'Europe/Paris')).toBe(true);
    expect(accept?.(at, 'UTC')).toBe(false);
  });

  it.each([
    { body: '0 5 * *', reason: /six fields/ },
    { body: '0 5 * * * *', reason: /exactly one of day-of-month and day-of-week must be \?/ },
    { body: '0 5 ? * ? *', reason: /exactly one/ },
    { body: '60 5 ? * * *', reason: /minutes value "60" is not in 0-59/ },
    { body: '0 24 ? * * *', reason: /hours value "24"/ },
    { body: '0 5 ? * 8 *', reason: /day-of-week value "8" is not in 1-7/ },
    { body: '0 5 ? * 0 *', reason: /day-of-week value "0" is not in 1-7/ },
    { body: '0 5 ? 13 * *', reason: /month value "13"/ },
    { body: '0 5 ? * * 1969', reason: /year value "1969" is not in 1970-2199/ },
    { body: '0 5 ? * 6#6 *', reason: /the n of d#n is 1-5/ },
    { body: '0 5 5L * ? *', reason: /L and W stand alone/ },
    { body: '0 5 ? * 5-2 *', reason: /runs backwards/ },
    { body: '0/0 5 ? * * *', reason: /step "0" must be a positive integer/ },
  ])('refuses $body, naming ScheduleExpression and why', ({ body, reason }) => {
    expect(() => parseAwsCron(body)).toThrow(reason);
    expect(() => parseAwsCron(body)).toThrow(`ScheduleExpression`);
  });
});

describe('nearestWeekday and lastWeekday', () => {
  it.each([
    // 2026-11-15 is a Sunday: the nearest weekday is Monday the 16th.
    { y: 2026, m: 11, d: 15, expected: 16 },
    // 2026-11-14 is a Saturday: Friday the 13th.
    { y: 2026, m: 11, d: 14, expected: 13 },
    // 2026-08-01 is a Saturday: never back into July, so Monday the 3rd.
    { y: 2026, m: 8, d: 1, expected: 3 },
    // 2026-05-31 is a Sunday and the month's last day: Friday the 29th.
    { y: 2026, m: 5, d: 31, expected: 29 },
    // February 2026 has no 30th.
    { y: 2026, m: 2, d: 30, expected: undefined },
    { y: 2026, m: 11, d: 18, expected: 18 },
  ])('the weekday nearest $y-$m-$d is $expected', ({ y, m, d, expected }) => {
    expect(nearestWeekday(y, m, d)).toBe(expected);
  });

  it.each([
    { y: 2026, m: 5, expected: 29 },
    { y: 2026, m: 11, expected: 30 },
    { y: 2026, m: 2, expected: 27 },
  ])('the last weekday of $y-$m is $expected', ({ y, m, expected }) => {
    expect(lastWeekday(y, m)).toBe(expected);
  });
});
