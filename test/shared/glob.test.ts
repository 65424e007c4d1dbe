import { describe, expect, it } from 'vitest';
import { MAX_GLOB_LENGTH, matchesAnyGlob, matchesGlob } from '../../shared/glob.js';

const ARN_PREFIX = 'arn:aws:ec2:us-east-1:111122223333:volume/vol-';
/** A 2,048-character ARN (the longest AWS Backup describes) of `a`s after its prefix. */
const LONGEST_ARN = ARN_PREFIX + 'a'.repeat(2048 - ARN_PREFIX.length);

describe('matchesGlob', () => {
  it.each([
    // The empty glob matches only the empty value.
    ['', '', true],
    ['', 'a', false],
    // Only stars: anything, the empty value, `/`, `:` and line breaks included.
    ['*', '', true],
    ['*', 'aws/backup/Automated:vault', true],
    ['*', 'line\nbreak', true],
    ['***', '', true],
    ['**', 'x', true],
    // `?`: exactly one character.
    ['?', '', false],
    ['?', 'a', true],
    ['?', 'ab', false],
    ['??', 'ab', true],
    ['vol-?', 'vol-1', true],
    ['vol-?', 'vol-12', false],
    ['*?', '', false],
    ['*?', 'a', true],
    ['?*?', 'a', false],
    // Leading, trailing and surrounding stars.
    ['*-daily', 'prod-daily', true],
    ['*-daily', 'prod-daily-2', false],
    ['prod-*', 'prod-', true],
    ['prod-*', 'prod-daily', true],
    ['prod-*', 'staging-daily', false],
    ['*prod*', 'my-prod-vault', true],
    ['*prod*', 'my-pro-vault', false],
    // A star must give characters back to what follows it (backtracking, bounded).
    ['*ab', 'aab', true],
    ['*aa', 'aaa', true],
    ['a*a', 'a', false],
    ['a*b*c', 'abbbc', true],
    ['a*b*c', 'acb', false],
    ['*a*b', 'ba', false],
    ['*a?c*', 'xxabcabd', true],
    // ARNs and nested vault names: `*` spans `/` and `:`.
    ['aws/backup/*', 'aws/backup/AutomatedBackupVault', true],
    ['arn:aws:ec2:*:111122223333:volume/*', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1', true],
    ['arn:aws:ec2:*:111122223333:volume/*', 'arn:aws:ec2:us-east-1:999999999999:volume/vol-1', false],
    // Regular expression syntax is taken literally.
    ['a.b', 'aXb', false],
    ['a.b', 'a.b', true],
    ['(x)+', '(x)+', true],
    ['(x)+', 'xx', false],
    ['[ab]', 'a', false],
    ['[ab]', '[ab]', true],
    ['^a$', '^a$', true],
    ['^a$', 'a', false],
    ['a|b', 'a', false],
    ['\\d', '\\d', true],
    ['\\d', '1', false],
    ['a{1,2}', 'a{1,2}', true],
    ['a{1,2}', 'aa', false],
    // Case-sensitive.
    ['Prod-*', 'prod-1', false],
    ['prod-*', 'PROD-1', false],
    // Unicode: literals compare whole characters, `?` takes one code point (two UTF-16 units for 😀).
    ['café-*', 'café-1', true],
    ['cafe-*', 'café-1', false],
    ['caf?', 'café', true],
    ['?', '😀', true],
    ['??', '😀', false],
    ['a?c', 'a😀c', true],
    ['😀*', '😀x', true],
    ['*😀', 'a😀', true],
    ['😀', '😁', false], // same high surrogate, another code point
    ['?😀', '😁😀', true],
    ['*😀?', '😀😀😀', true],
    // A lone surrogate in a value (ill-formed, never in an AWS name) is one character.
    ['?', '\ud800', true],
    ['a?', 'a\udc00', true],
    // A star never ends inside a character: even an ill-formed glob (validation refuses them)
    // cannot match half of a surrogate pair.
    ['*\udc00', '😀', false],
    ['*\ude00', '😀', false],
  ])('%j ~ %j: %s', (glob, value, expected) => {
    expect(matchesGlob(glob, value)).toBe(expected);
  });

  it('agrees with an anchored regular expression of the same glob on every small case', () => {
    // The reference: `*` as `.*`, `?` as `.`, in Unicode mode (so `.` is one code point), on inputs
    // short enough that backtracking costs nothing. A seeded generator keeps the cases the same each run.
    let seed = 19;
    // mulberry32: small, seedable, and well mixed in its low bits.
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const pick = (alphabet: readonly string[], maxLength: number): string =>
      Array.from({ length: random(maxLength + 1) }, () => alphabet[random(alphabet.length)]).join('');
    const reference = (glob: string) =>
      new RegExp(
        `^${[...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/, '\\$&'))).join('')}$`,
        'su',
      );
    let matched = 0;
    for (let i = 0; i < 5_000; i++) {
      const glob = pick(['a', 'b', '*', '?', '.', '😀'], 6);
      const value = pick(['a', 'b', '.', '😀'], 7);
      const expected = reference(glob).test(value);
      if (expected) matched += 1;
      expect(matchesGlob(glob, value), `${JSON.stringify(glob)} ~ ${JSON.stringify(value)}`).toBe(expected);
    }
    // Both outcomes are exercised, not only one.
    expect(matched).toBeGreaterThan(250);
    expect(matched).toBeLessThan(4_500);
  });

  // The speed itself is a figure of `npm run bench` (bench/glob.bench.ts); the timeout fails this
  // test if the matcher ever backtracks exponentially again (a RegExp of this glob never ends).
  it('20 stars against a 2,048-character ARN: the right answer, without exponential backtracking', {
    timeout: 1000,
  }, () => {
    const missing = `${'*a'.repeat(19)}*b`;
    const present = `${'*a'.repeat(19)}*`;
    for (const glob of [missing, present]) expect(glob.split('*')).toHaveLength(21);
    expect(LONGEST_ARN).toHaveLength(2048);
    expect(matchesGlob(missing, LONGEST_ARN)).toBe(false);
    expect(matchesGlob(present, LONGEST_ARN)).toBe(true);
    expect(matchesGlob(`${ARN_PREFIX}${'*a'.repeat(19)}*`, LONGEST_ARN)).toBe(true);
  });

  it('a glob of the longest length accepted against the longest ARN: the right answer', { timeout: 1000 }, () => {
    const glob = `${ARN_PREFIX}${'?*'.repeat(Math.floor((MAX_GLOB_LENGTH - ARN_PREFIX.length - 1) / 2))}b`;
    expect(glob.length).toBeLessThanOrEqual(MAX_GLOB_LENGTH);
    expect(matchesGlob(glob, LONGEST_ARN)).toBe(false);
    expect(matchesGlob(`${glob.slice(0, -1)}a`, LONGEST_ARN)).toBe(true);
  });
});

describe('matchesAnyGlob', () => {
  it('matches when one glob matches, never with no globs', () => {
    expect(matchesAnyGlob(['dev-*', 'test-*'], 'test-1')).toBe(true);
    expect(matchesAnyGlob(['dev-*', 'test-*'], 'prod-1')).toBe(false);
    expect(matchesAnyGlob([], 'x')).toBe(false);
  });
});
