import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../sandbox/clock.js';
import { FunctionPool } from '../../../sandbox/lambda/pool.js';
import { aSpec } from './fixtures/spec.js';

const pools: FunctionPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('virtual-clock.mjs in the function process', () => {
  it("gives init code and each invocation the sandbox's time, standing still, with the rest of Date intact", async () => {
    // Prepare
    const clock = new VirtualClock(Date.parse('2031-05-06T07:08:09.000Z'));
    const pool = new FunctionPool(aSpec(), { credentials: () => undefined, clock: () => clock.ms() });
    pools.push(pool);

    // Act
    const first = await pool.invoke({ action: 'clock' });
    clock.advanceBy(3_600_000);
    const second = await pool.invoke({ action: 'clock' });

    // Assess
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    const a = first.result as Record<string, unknown>;
    const b = second.result as Record<string, unknown>;
    expect(second.container).toBe(first.container);
    expect(a.initAt).toBe(Date.parse('2031-05-06T07:08:09.000Z'));
    // Time stands still within an invocation, although real time (and timers) moved on.
    expect(a).toMatchObject({
      before: Date.parse('2031-05-06T07:08:09.000Z'),
      after: Date.parse('2031-05-06T07:08:09.000Z'),
      fresh: '2031-05-06T07:08:09.000Z',
      called: new Date('2031-05-06T07:08:09.000Z').toString(),
    });
    expect(a.real).toBeGreaterThanOrEqual(20);
    expect(b).toMatchObject({ before: Date.parse('2031-05-06T08:08:09.000Z'), fresh: '2031-05-06T08:08:09.000Z' });
    // The rest of Date is the real one.
    expect(a).toMatchObject({
      parsed: Date.parse('2020-01-02T03:04:05.000Z'),
      utc: Date.UTC(2020, 0, 2),
      given: '1970-01-02T00:00:00.000Z',
      instance: true,
      constructorIsDate: true,
      subclass: true,
      length: 7,
      name: 'Date',
      enumerableStatics: [],
    });
  });
});
