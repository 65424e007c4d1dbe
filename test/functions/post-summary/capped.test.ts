import { describe, expect, it } from 'vitest';
import { TopN } from '../../../functions/post-summary/capped.js';

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
