import { describe, expect, it } from 'vitest';
import { lambdaHeapArgs, lambdaNodeArgs } from '../../../sandbox/lambda/node-args.js';

describe('lambdaNodeArgs', () => {
  it("gives the flags Lambda's bootstrap computes from the function's memory", () => {
    // A 128 MB function's node, as its process shows on Lambda: --max-semi-space-size=6 --max-old-space-size=116.
    expect(lambdaNodeArgs(128)).toEqual([
      '--expose-gc',
      '--max-http-header-size=81920',
      '--max-semi-space-size=6',
      '--max-old-space-size=116',
    ]);
    expect(lambdaNodeArgs(256).slice(2)).toEqual(['--max-semi-space-size=12', '--max-old-space-size=231']);
    // Integer division, as the bootstrap's expr does: 1,769 MB has a new space of 176 MB.
    expect(lambdaNodeArgs(1_769).slice(2)).toEqual(['--max-semi-space-size=88', '--max-old-space-size=1593']);
    expect(lambdaNodeArgs(10_240).slice(2)).toEqual(['--max-semi-space-size=512', '--max-old-space-size=9216']);
  });

  it('is the heap flags plus --expose-gc', () => {
    expect(lambdaNodeArgs(512)).toEqual(['--expose-gc', ...lambdaHeapArgs(512)]);
  });

  it('refuses a memory size Lambda does not have, naming it', () => {
    for (const memoryMb of [127, 256.5, Number.NaN]) {
      expect(() => lambdaHeapArgs(memoryMb)).toThrow(`memoryMb must be an integer of at least 128 (got ${memoryMb})`);
    }
  });
});
