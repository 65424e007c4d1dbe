import { describe, expect, it } from 'vitest';
import { cronInstants } from '../../../shared/schedule/cron-engine.js';
import {
  type DueQuery,
  dueRuns as dueRunsWith,
  nextRunAfter as nextRunAfterWith,
  parseSchedule,
  type Schedule,
  startWindowMsOf,
  timezoneOf,
} from '../../../shared/schedule/index.js';

// The engine every function hands to shared/schedule (its side bundle re-exports cronInstants).
const dueRuns = (query: DueQuery) => dueRunsWith(query, cronInstants);
const nextRunAfter = (schedule: Schedule, timezone: string, from: Date) =>
  nextRunAfterWith(schedule, timezone, from, cronInstants);

const iso = (ms: readonly number[]) => ms.map((t) => new Date(t).toISOString());
const at = (text: string) => new Date(text);

describe('parseSchedule', () => {
  it.each([
    { expression: 'rate(1 day)', periodMs: 86_400_000 },
    { expression: 'rate(12 hours)', periodMs: 43_200_000 },
    { expression: 'rate(1 hour)', periodMs: 3_600_000 },
    { expression: 'rate(90 minutes)', periodMs: 5_400_000 },
  ])('$expression is a rate of $periodMs ms', ({ expression, periodMs }) => {
    expect(parseSchedule(expression)).toMatchObject({ kind: 'rate', periodMs });
  });

  it.each([['every day'], ['rate(0 hours)'], ['rate(1 week)'], ['cron(nonsense)'], ['']])(
    'refuses %j',
    (expression) => {
      expect(() => parseSchedule(expression)).toThrow(/ScheduleExpression/);
    },
  );
});

describe('settings', () => {
  it('refuses an unknown time zone, naming the field', () => {
    expect(() => timezoneOf('Mars/Olympus')).toThrow(
      /ScheduleExpressionTimezone must be an IANA time zone name.*"Mars\/Olympus"/,
    );
    expect(timezoneOf(undefined)).toBe('UTC');
  });

  it('refuses a negative or fractional start window, defaults to 8 hours', () => {
    expect(() => startWindowMsOf(-1)).toThrow(/StartWindowMinutes must be an integer/);
    expect(() => startWindowMsOf(1.5)).toThrow(/StartWindowMinutes/);
    expect(startWindowMsOf(undefined)).toBe(8 * 3_600_000);
  });
});

describe('dueRuns', () => {
  const day = { since: at('2026-11-30T08:00:00Z'), until: at('2026-12-01T08:00:00Z') };
  // The previous window's jobs are listed too: runs from there on can be judged.
  const listedFrom = at('2026-11-29T08:00:00Z');

  it('judges a run once its start window has closed inside the window', async () => {
    // 17:00 + 60 min closes inside; 05:00 on 12-01 + 60 min closes inside too; 07:30 + 60 min does not.
    const result = await dueRuns({
      ...day,
      notBefore: listedFrom,
      scheduleExpression: 'cron(0 5,17 ? * * *)',
      startWindowMinutes: 60,
    });
    expect(iso(result.runs)).toEqual(['2026-11-30T17:00:00.000Z', '2026-12-01T05:00:00.000Z']);
    const late = await dueRuns({
      ...day,
      notBefore: listedFrom,
      scheduleExpression: 'cron(30 7 ? * * *)',
      startWindowMinutes: 60,
    });
    // 07:30 on 11-30 closes at 08:30 (inside); 07:30 on 12-01 closes at 08:30 on 12-01 (the next summary's).
    expect(iso(late.runs)).toEqual(['2026-11-30T07:30:00.000Z']);
  });

  it('with the default 8-hour start window, the 05:00 run of the day before is judged (its window closed at 13:00)', async () => {
    const result = await dueRuns({ ...day, notBefore: listedFrom, scheduleExpression: 'cron(0 5 ? * * *)' });
    expect(iso(result.runs)).toEqual(['2026-11-30T05:00:00.000Z']);
  });

  it('judges no run before notBefore (jobs not listed, or the plan did not exist yet)', async () => {
    const result = await dueRuns({ ...day, scheduleExpression: 'cron(0 5 ? * * *)', notBefore: day.since });
    expect(result.runs).toEqual([]);
  });

  it('reads the rule on its zone wall clock across the spring change (Europe/Paris, 2026-03-29)', async () => {
    const result = await dueRuns({
      since: at('2026-03-28T00:00:00Z'),
      until: at('2026-03-31T00:00:00Z'),
      notBefore: at('2026-03-28T00:00:00Z'),
      scheduleExpression: 'cron(0 5 ? * * *)',
      timezone: 'Europe/Paris',
      startWindowMinutes: 60,
    });
    // 05:00 CET is 04:00Z; after the change 05:00 CEST is 03:00Z.
    expect(iso(result.runs)).toEqual([
      '2026-03-28T04:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
      '2026-03-30T03:00:00.000Z',
    ]);
  });

  it('runs a wall time inside the spring gap once, after the gap, and one inside the autumn overlap once', async () => {
    const spring = await dueRuns({
      since: at('2026-03-28T12:00:00Z'),
      until: at('2026-03-30T12:00:00Z'),
      notBefore: at('2026-03-28T12:00:00Z'),
      scheduleExpression: 'cron(30 2 ? * * *)',
      timezone: 'Europe/Paris',
      startWindowMinutes: 60,
    });
    // 02:30 does not exist on 2026-03-29 in Paris: the run is at 03:30 CEST (01:30Z).
    expect(iso(spring.runs)).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
    const autumn = await dueRuns({
      since: at('2026-10-24T12:00:00Z'),
      until: at('2026-10-26T12:00:00Z'),
      notBefore: at('2026-10-24T12:00:00Z'),
      scheduleExpression: 'cron(30 2 ? * * *)',
      timezone: 'Europe/Paris',
      startWindowMinutes: 60,
    });
    // 02:30 happens twice on 2026-10-25: one run, at the first (CEST, 00:30Z).
    expect(iso(autumn.runs)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('every 4 hours in New York across the spring change', async () => {
    const result = await dueRuns({
      since: at('2026-03-07T22:00:00Z'),
      until: at('2026-03-08T14:00:00Z'),
      notBefore: at('2026-03-07T22:00:00Z'),
      scheduleExpression: 'cron(0 0/4 ? * * *)',
      timezone: 'America/New_York',
      startWindowMinutes: 60,
    });
    // 20:00 EST, 00:00 EST, then 04:00 and 08:00 EDT (the 02:00 change moves the offset to -4).
    expect(iso(result.runs)).toEqual([
      '2026-03-08T01:00:00.000Z',
      '2026-03-08T05:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
      '2026-03-08T12:00:00.000Z',
    ]);
  });

  it.each([
    {
      case: 'L (last day of the month)',
      cron: 'cron(0 5 L * ? *)',
      runs: ['2026-11-30T05:00:00.000Z', '2026-12-31T05:00:00.000Z', '2027-01-31T05:00:00.000Z'],
    },
    {
      case: '6L (last Friday)',
      cron: 'cron(0 5 ? * 6L *)',
      runs: ['2026-11-27T05:00:00.000Z', '2026-12-25T05:00:00.000Z', '2027-01-29T05:00:00.000Z'],
    },
    {
      case: '2#1 (first Monday)',
      cron: 'cron(0 5 ? * 2#1 *)',
      runs: ['2026-11-02T05:00:00.000Z', '2026-12-07T05:00:00.000Z', '2027-01-04T05:00:00.000Z'],
    },
    // 15 Nov 2026 is a Sunday (-> Mon 16), 15 Dec a Tuesday, 15 Jan 2027 a Friday.
    {
      case: '15W (weekday nearest the 15th)',
      cron: 'cron(0 5 15W * ? *)',
      runs: ['2026-11-16T05:00:00.000Z', '2026-12-15T05:00:00.000Z', '2027-01-15T05:00:00.000Z'],
    },
    // 31 Jan 2027 is a Sunday: the last weekday is Friday the 29th.
    {
      case: 'LW (last weekday)',
      cron: 'cron(0 5 LW * ? *)',
      runs: ['2026-11-30T05:00:00.000Z', '2026-12-31T05:00:00.000Z', '2027-01-29T05:00:00.000Z'],
    },
    { case: 'a year field', cron: 'cron(0 5 1 * ? 2027)', runs: ['2027-01-01T05:00:00.000Z'] },
  ])('$case', async ({ cron, runs }) => {
    const result = await dueRuns({
      since: at('2026-11-01T00:00:00Z'),
      until: at('2027-02-01T00:00:00Z'),
      notBefore: at('2026-11-01T00:00:00Z'),
      scheduleExpression: cron,
      startWindowMinutes: 60,
    });
    expect(iso(result.runs)).toEqual(runs);
  });

  it('anchors a rate on a known run (ScheduledRunsPreview)', async () => {
    const result = await dueRuns({
      ...day,
      notBefore: day.since,
      scheduleExpression: 'rate(12 hours)',
      startWindowMinutes: 60,
      anchor: at('2026-12-01T21:00:00Z'),
    });
    expect(iso(result.runs)).toEqual(['2026-11-30T09:00:00.000Z', '2026-11-30T21:00:00.000Z']);
    expect(result.unanchored).toBe(0);
  });

  it('without an anchor, counts the runs of a rate that were certainly due', async () => {
    const result = await dueRuns({
      ...day,
      notBefore: day.since,
      scheduleExpression: 'rate(12 hours)',
      startWindowMinutes: 60,
    });
    // 23 hours of judgeable start times hold at least one 12-hour run.
    expect(result).toEqual({ runs: [], unanchored: 1, periodMs: 43_200_000 });
    const daily = await dueRuns({
      ...day,
      notBefore: day.since,
      scheduleExpression: 'rate(1 day)',
      startWindowMinutes: 60,
    });
    expect(daily.unanchored).toBe(0);
  });

  it('refuses a bad time zone before evaluating', async () => {
    await expect(dueRuns({ ...day, scheduleExpression: 'cron(0 5 ? * * *)', timezone: 'Nowhere' })).rejects.toThrow(
      /ScheduleExpressionTimezone/,
    );
  });
});

describe('nextRunAfter', () => {
  it('is strictly after from, on the zone wall clock', async () => {
    const next = await nextRunAfter(parseSchedule('cron(0 5 ? * * *)'), 'Europe/Paris', at('2026-11-24T04:00:00Z'));
    expect(next?.toISOString()).toBe('2026-11-25T04:00:00.000Z');
  });

  it('is undefined for a year that is over', async () => {
    expect(
      await nextRunAfter(parseSchedule('cron(0 5 1 * ? 2020)'), 'UTC', at('2026-11-24T04:00:00Z')),
    ).toBeUndefined();
  });
});
