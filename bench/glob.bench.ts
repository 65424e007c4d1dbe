/**
 * Glob benchmark (issue 19, item 5): the time shared/glob.ts takes on the worst cases its bounds
 * allow, so a change that brings back backtracking shows here. A RegExp of the first glob
 * (`^.*a.*a…$`) does not finish: with eight stars instead of twenty it took 12-35 s against a
 * 50-character vault name.
 * - 20 stars against a 2,048-character ARN (the longest AWS Backup describes) that does not match;
 * - the greedy match's classic worst case within the bounds: one star, then 1,024 characters that
 *   fail only at their last, against a 2,048-character value, so the text after the star is tried
 *   at each of ~1,024 offsets, ~1,024 steps each (about a million steps: value length x glob
 *   length / 2).
 * Prints the median of ROUNDS runs of each (after a warm-up) and fails (exit 1) past its limit.
 */
import { MAX_GLOB_LENGTH, matchesGlob } from '../shared/glob.js';

const ROUNDS = 51;
const ARN_PREFIX = 'arn:aws:ec2:us-east-1:111122223333:volume/vol-';
const LONGEST_ARN = ARN_PREFIX + 'a'.repeat(2048 - ARN_PREFIX.length);

interface Case {
  readonly name: string;
  readonly glob: string;
  readonly value: string;
  readonly expected: boolean;
  /** Generous: two orders of magnitude over what a laptop measures, far below a function's timeout. */
  readonly limitMs: number;
}

const CASES: readonly Case[] = [
  {
    name: '20 stars vs a 2,048-character ARN, no match',
    glob: `${'*a'.repeat(19)}*b`,
    value: LONGEST_ARN,
    expected: false,
    limitMs: 10,
  },
  {
    name: '20 stars vs a 2,048-character ARN, a match',
    glob: `${ARN_PREFIX}${'*a'.repeat(19)}*`,
    value: LONGEST_ARN,
    expected: true,
    limitMs: 10,
  },
  {
    name: `worst case of the bounds (glob ${MAX_GLOB_LENGTH / 2 + 2} chars, value 2,048)`,
    glob: `*${'a'.repeat(MAX_GLOB_LENGTH / 2)}b`,
    value: 'a'.repeat(2048),
    expected: false,
    limitMs: 250,
  },
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

let over = 0;
for (const c of CASES) {
  if (c.glob.length > MAX_GLOB_LENGTH) throw new Error(`${c.name}: the glob is longer than the bound`);
  for (let i = 0; i < 5; i++) matchesGlob(c.glob, c.value); // warm-up: the JIT, not the first call, is measured
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const result = matchesGlob(c.glob, c.value);
    times.push(performance.now() - started);
    if (result !== c.expected) throw new Error(`${c.name}: matched ${result}, expected ${c.expected}`);
  }
  const ms = median(times);
  if (ms > c.limitMs) over += 1;
  console.log(
    `glob: ${c.name}: ${ms.toFixed(3)} ms (median of ${ROUNDS}, max ${Math.max(...times).toFixed(3)} ms, limit ${c.limitMs} ms)`,
  );
}
if (over > 0) {
  console.error('glob benchmark limits exceeded');
  process.exit(1);
}
