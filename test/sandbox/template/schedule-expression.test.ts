import { describe, expect, it } from 'vitest';
import {
  nextFireAfter,
  parseScheduleExpression,
  ScheduleExpressionError,
} from '../../../sandbox/template/schedule-expression.js';

const ms = (iso: string) => Date.parse(iso);
const iso = (value: number | undefined) => (value === undefined ? undefined : new Date(value).toISOString());
const next = (expression: string, after: string, timezone?: string, start?: string) =>
  iso(nextFireAfter(expression, ms(after), timezone, start === undefined ? undefined : ms(start)));

describe('at()', () => {
  it('fires once at its wall time in the zone, and never after', () => {
    expect(next('at(2026-11-24T08:30:00)', '2026-11-24T00:00:00Z')).toBe('2026-11-24T08:30:00.000Z');
    expect(next('at(2026-11-24T08:30:00)', '2026-11-24T00:00:00Z', 'Europe/Berlin')).toBe('2026-11-24T07:30:00.000Z');
    expect(next('at(2026-11-24T08:30:00)', '2026-11-24T08:30:00Z')).toBeUndefined();
  });
});

describe('rate()', () => {
  it('fires every period from its start (the first fire at the start itself)', () => {
    expect(next('rate(1 hour)', '2026-11-24T00:00:00Z')).toBe('2026-11-24T01:00:00.000Z');
    expect(next('rate(1 hour)', '2026-11-23T23:59:59Z', 'UTC', '2026-11-24T00:00:00Z')).toBe(
      '2026-11-24T00:00:00.000Z',
    );
    expect(next('rate(15 minutes)', '2026-11-24T00:31:00Z', 'UTC', '2026-11-24T00:00:00Z')).toBe(
      '2026-11-24T00:45:00.000Z',
    );
    expect(next('rate(2 days)', '2026-11-24T00:00:00Z', 'UTC', '2026-11-24T00:00:00Z')).toBe(
      '2026-11-26T00:00:00.000Z',
    );
  });

  it('counts a day as 24 hours across a daylight saving change', () => {
    expect(next('rate(1 day)', '2026-03-28T12:00:00Z', 'Europe/Berlin', '2026-03-28T12:00:00Z')).toBe(
      '2026-03-29T12:00:00.000Z',
    );
  });
});

describe('cron()', () => {
  it('fires on the minutes it names, in UTC by default', () => {
    expect(next('cron(0 8 * * ? *)', '2026-11-24T07:00:00Z')).toBe('2026-11-24T08:00:00.000Z');
    expect(next('cron(0 8 * * ? *)', '2026-11-24T08:00:00Z')).toBe('2026-11-25T08:00:00.000Z');
    expect(next('cron(0/15 * * * ? *)', '2026-11-24T08:07:00Z')).toBe('2026-11-24T08:15:00.000Z');
    expect(next('cron(5,35 10-11 * * ? *)', '2026-11-24T10:40:00Z')).toBe('2026-11-24T11:05:00.000Z');
  });

  it('reads days of week 1-7 = SUN-SAT, names, L and #', () => {
    // 2026-11-28 is a Saturday.
    expect(next('cron(0 8 ? * MON-FRI *)', '2026-11-27T09:00:00Z')).toBe('2026-11-30T08:00:00.000Z');
    expect(next('cron(0 8 ? * 1 *)', '2026-11-27T09:00:00Z')).toBe('2026-11-29T08:00:00.000Z');
    expect(next('cron(0 8 ? * L *)', '2026-11-24T09:00:00Z')).toBe('2026-11-28T08:00:00.000Z');
    expect(next('cron(0 8 ? * 3#2 *)', '2026-11-01T00:00:00Z')).toBe('2026-11-10T08:00:00.000Z');
    expect(next('cron(0 8 ? * 6L *)', '2026-11-01T00:00:00Z')).toBe('2026-11-27T08:00:00.000Z');
  });

  it('reads day-of-month L, W and LW, and the year field', () => {
    expect(next('cron(0 0 L * ? *)', '2026-02-10T00:00:00Z')).toBe('2026-02-28T00:00:00.000Z');
    expect(next('cron(0 0 L 2 ? 2028)', '2026-02-10T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    // 2026-11-01 is a Sunday: 1W is Monday the 2nd; 2026-08-15 is a Saturday: 15W is Friday the 14th.
    expect(next('cron(0 0 1W * ? *)', '2026-10-31T00:00:00Z')).toBe('2026-11-02T00:00:00.000Z');
    expect(next('cron(0 0 15W 8 ? *)', '2026-08-01T00:00:00Z')).toBe('2026-08-14T00:00:00.000Z');
    // 2026-05-31 is a Sunday: the last weekday of May is Friday the 29th.
    expect(next('cron(0 0 LW 5 ? *)', '2026-05-01T00:00:00Z')).toBe('2026-05-29T00:00:00.000Z');
    expect(next('cron(0 0 1 1 ? 2025)', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it("evaluates in the schedule's zone, skipping a spring-forward gap and firing once in a fall-back overlap", () => {
    expect(next('cron(0 8 * * ? *)', '2026-11-24T00:00:00Z', 'America/New_York')).toBe('2026-11-24T13:00:00.000Z');
    // 2026-03-08 02:30 does not exist in New York: skipped, next is 03-09 02:30 EDT.
    expect(next('cron(30 2 * * ? *)', '2026-03-07T12:00:00Z', 'America/New_York')).toBe('2026-03-09T06:30:00.000Z');
    // 2026-11-01 01:30 happens twice in New York: once, at the first (EDT, 05:30Z), then the next day.
    expect(next('cron(30 1 * * ? *)', '2026-11-01T00:00:00Z', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(next('cron(30 1 * * ? *)', '2026-11-01T05:30:00Z', 'America/New_York')).toBe('2026-11-02T06:30:00.000Z');
  });

  it('honours a start date', () => {
    expect(next('cron(0 8 * * ? *)', '2026-11-24T00:00:00Z', 'UTC', '2026-12-01T00:00:00Z')).toBe(
      '2026-12-01T08:00:00.000Z',
    );
  });
});

describe('parseScheduleExpression', () => {
  it('parses each kind', () => {
    expect(parseScheduleExpression('rate(5 minutes)')).toMatchObject({
      kind: 'rate',
      value: 5,
      unit: 'minute',
      periodMs: 300_000,
    });
    expect(parseScheduleExpression('at(2026-01-02T03:04:05)')).toMatchObject({
      kind: 'at',
      wall: { year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5 },
    });
    expect(parseScheduleExpression('cron(0 8 ? * MON-FRI *)')).toMatchObject({
      kind: 'cron',
      fields: { minutes: [0], hours: [8] },
    });
  });

  it.each([
    ['rate(0 minutes)', 'positive integer'],
    ['rate(5 weeks)', 'expected at('],
    ['at(2026-02-30T00:00:00)', 'does not exist'],
    ['cron(0 8 * * * *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(0 8 ? * ? *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(0 8 * * ?)', 'six fields'],
    ['cron(60 8 * * ? *)', 'minutes value "60" is not in 0-59'],
    ['cron(0 8 ? * FUN *)', 'day-of-week value "FUN"'],
    ['cron(0 8 ? * 2#6 *)', '1-5'],
    ['cron(0 8 5-1 * ? *)', 'runs backwards'],
    ['cron(0 8 L-3 * ? *)', 'L and W stand alone'],
    ['cron(0 8 * * ? 1969)', 'year value "1969" is not in 1970-2199'],
  ])('refuses %s, naming it', (expression, reason) => {
    let error: unknown;
    try {
      parseScheduleExpression(expression);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScheduleExpressionError);
    expect((error as Error).message).toContain(JSON.stringify(expression));
    expect((error as Error).message).toContain(reason);
  });

  it('refuses an unknown time zone, naming the expression and the zone', () => {
    expect(() => nextFireAfter('rate(1 hour)', 0, 'Mars/Olympus')).toThrow(/"rate\(1 hour\)".*Mars\/Olympus/);
  });
});
