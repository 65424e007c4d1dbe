import { describe, expect, it } from 'vitest';
import { nextPlanRun } from '../../../functions/retry-failed-job/next-run.js';

const from = new Date('2026-11-24T03:00:00Z'); // a Tuesday

describe('nextPlanRun', () => {
  it.each([
    ['cron(0 5 ? * * *)', undefined, '2026-11-24T05:00:00.000Z'],
    ['cron(0 1 * * ? *)', 'UTC', '2026-11-25T01:00:00.000Z'],
    ['cron(0 5 * * ? *)', 'Europe/Paris', '2026-11-24T04:00:00.000Z'],
    ['cron(30 2 ? * 1 *)', 'UTC', '2026-11-29T02:30:00.000Z'],
    ['cron(0 6 ? * MON-FRI *)', 'America/New_York', '2026-11-24T11:00:00.000Z'],
    ['cron(0 0 1 * ? 2027)', 'UTC', '2027-01-01T00:00:00.000Z'],
    ['cron(0 5 ? * 6#3 *)', 'UTC', '2026-12-18T05:00:00.000Z'],
    ['cron(0 5 ? * 6L *)', 'UTC', '2026-11-27T05:00:00.000Z'],
    ['cron(0 5 ? * 2-6 *)', 'UTC', '2026-11-24T05:00:00.000Z'],
    ['cron(0 5 ? * 1,7 *)', 'UTC', '2026-11-28T05:00:00.000Z'],
    ['rate(12 hours)', undefined, '2026-11-24T15:00:00.000Z'],
    ['rate(1 day)', undefined, '2026-11-25T03:00:00.000Z'],
  ])('%s (%s) -> %s', async (expression, tz, next) => {
    expect((await nextPlanRun(expression, tz, from))?.toISOString()).toBe(next);
  });

  it.each([[undefined], ['cron(nonsense)'], ['every day'], ['cron(0 5 * *)']])('cannot read %s', async (expression) => {
    expect(await nextPlanRun(expression, 'UTC', from)).toBeUndefined();
  });
});
