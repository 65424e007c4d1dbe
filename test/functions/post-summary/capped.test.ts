import { describe, expect, it } from 'vitest';
import { hash52, TopN } from '../../../functions/post-summary/capped.js';
import { recoveryPointArn, volumeArn } from './builders.js';

describe('TopN', () => {
  it.each([
    { cap: 0, input: [5, 1, 3], items: [], more: 3 },
    { cap: 2, input: [5, 1, 3, 0, 9], items: [0, 1], more: 3 },
    { cap: 3, input: [2, 2, 1], items: [1, 2, 2], more: 0 },
    { cap: 5, input: [], items: [], more: 0 },
  ])('keeps the best $cap of $input and counts the rest', ({ cap, input, items, more }) => {
    const top = new TopN<number, number>(cap, (a, b) => a - b);
    for (const n of input) top.offer(n, () => n);
    expect(top.result()).toEqual({ items, more });
  });

  it('builds only the items it keeps', () => {
    const top = new TopN<number, string>(1, (a, b) => a - b);
    const built: number[] = [];
    for (const n of [3, 4, 2, 5]) {
      top.offer(n, () => {
        built.push(n);
        return `#${n}`;
      });
    }
    expect(built).toEqual([3, 2]);
    expect(top.result()).toEqual({ items: ['#2'], more: 3 });
  });
});

describe('hash52', () => {
  it('is deterministic, a safe integer below 2^52, and distinct over 200,000 ARNs', () => {
    const seen = new Set<number>();
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i += 1) {
      for (const arn of [volumeArn(i), recoveryPointArn(`b-${i}`)]) {
        const h = hash52(arn);
        if (!Number.isSafeInteger(h) || h < 0 || h >= 2 ** 52) outOfRange += 1;
        seen.add(h);
      }
    }
    expect(outOfRange).toBe(0);
    expect(seen.size).toBe(200_000);
    expect(hash52(volumeArn(7))).toBe(hash52(volumeArn(7)));
  });
});
