/**
 * Glob matching for settings (`prod-*` vaults, resource ARN patterns): `*` matches any run of
 * characters, empty included (`/` and `:` too, which vault names and ARNs contain), `?` exactly one
 * character, every other character itself. Case-sensitive: vault names and ARNs are.
 *
 * "One character" is one Unicode code point, not one UTF-16 code unit: `?` matches `é` and `😀`
 * alike, as a person reading the glob expects. It costs nothing (a width test on the character
 * `?` consumes). Validation refuses globs with a lone surrogate (shared/validate/schemas.ts), so a
 * glob's literal characters are whole code points too.
 *
 * Hand-written rather than a library, for two reasons:
 * - picomatch and minimatch are path matchers: their `*` stops at `/` (and they give `!`, `{}`,
 *   `[]`, `+()` and a leading `.` meanings of their own), which is wrong for ARNs and vault names
 *   such as `aws/backup/...`;
 * - they compile the glob to a RegExp, and a pattern written by a person must never become a
 *   backtracking regular expression: `^.*a.*a.*…$` with eight `*` took 35 s against a 50-character
 *   vault name (issue 19), ten exceeded the function timeout.
 * This is the classic greedy two-pointer wildcard match instead: on a mismatch it resumes only
 * after the LAST `*`, one character further into the value, never revisiting earlier stars. That is
 * correct because a later star can absorb anything an earlier star would have, and it bounds the
 * work by glob length x value length (`npm run bench` prints the worst case of the bounds); on
 * ordinary globs it is linear.
 */

/**
 * Longest glob a setting accepts (copy rule, mute rule and RETRY_*_VAULTS globs): 2,048 characters,
 * the longest ARN AWS Backup describes (`ResourceArn`, `RecoveryPointArn`), so a mute rule can
 * name any resource by its literal ARN. The bound also bounds the matcher's work per value.
 */
export const MAX_GLOB_LENGTH = 2048;

const STAR = 0x2a; // *
const QUESTION = 0x3f; // ?

/** UTF-16 code units of the code point at `index` of `text`: 2 for a surrogate pair, else 1. */
function widthAt(text: string, index: number): number {
  return (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
}

/**
 * Whether `value` matches `glob` as a whole. Takes at most glob length x value length steps, with
 * no regular expression and no recursion.
 *
 * @example matchesGlob('prod-*', 'prod-daily') // true
 * @example matchesGlob('vol-?', 'vol-12') // false
 */
export function matchesGlob(glob: string, value: string): boolean {
  let g = 0; // next glob character
  let s = 0; // next value character
  let star = -1; // index of the last `*` seen, -1 before any
  let resume = 0; // where in the value the text after that `*` is tried next
  while (s < value.length) {
    if (g < glob.length) {
      const c = glob.charCodeAt(g);
      if (c === STAR) {
        // Try the rest of the glob with the star matching nothing first.
        star = g;
        g += 1;
        resume = s;
        continue;
      }
      if (c === QUESTION) {
        g += 1;
        s += widthAt(value, s);
        continue;
      }
      // A literal: compared unit by unit, so a surrogate pair matches only the same pair.
      if (c === value.charCodeAt(s)) {
        g += 1;
        s += 1;
        continue;
      }
    }
    // A mismatch (or glob used up before the value): let the last star take one more character.
    if (star < 0) return false;
    resume += widthAt(value, resume);
    s = resume;
    g = star + 1;
  }
  // The value is used up: only stars may remain in the glob.
  while (g < glob.length && glob.charCodeAt(g) === STAR) g += 1;
  return g === glob.length;
}

/** Whether `value` matches any of `globs`. */
export function matchesAnyGlob(globs: readonly string[], value: string): boolean {
  return globs.some((g) => matchesGlob(g, value));
}
