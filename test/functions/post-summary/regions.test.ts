import { describe, expect, it } from 'vitest';
import { forEachBounded, MAX_REGION_CONCURRENCY } from '../../../functions/post-summary/regions.js';
import { ValidationError } from '../../../shared/errors.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('forEachBounded', () => {
  it.each([1, 2, 4, 16])('runs every item, at most %i at once, starting them in order', async (limit) => {
    const items = Array.from({ length: 12 }, (_, i) => `r-${i}`);
    let running = 0;
    let most = 0;
    const started: string[] = [];

    await forEachBounded(items, limit, async (item) => {
      started.push(item);
      running += 1;
      most = Math.max(most, running);
      await tick();
      await tick();
      running -= 1;
    });

    expect(started).toEqual(items);
    expect(most).toBe(Math.min(limit, items.length));
  });

  it('does nothing for no items', async () => {
    let calls = 0;
    await forEachBounded([], 4, async () => {
      calls += 1;
    });
    expect(calls).toBe(0);
  });

  it('rejects with the first error after the running items settle, and starts no new one', async () => {
    const started: number[] = [];
    const run = forEachBounded([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      await tick();
      if (i === 0) throw new Error('boom');
    });

    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([0, 1]);
  });

  it.each([0, -1, 1.5, MAX_REGION_CONCURRENCY + 1, Number.NaN])(
    'refuses a limit of %s, naming the field',
    async (limit) => {
      const run = forEachBounded(['eu-west-1'], limit, async () => undefined);
      await expect(run).rejects.toBeInstanceOf(ValidationError);
      await expect(run).rejects.toThrow(/regionConcurrency/);
    },
  );
});
