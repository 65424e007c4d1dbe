/**
 * Glob matching for settings (`prod-*` vaults, resource ARN patterns): `*` matches any run of
 * characters (including `/` and `:`, which vault names and ARNs contain), `?` one character.
 * Hand-written because the well-known glob libraries (picomatch, minimatch) treat `/` as a path
 * separator, which is wrong for ARNs, and cost a dependency for twelve lines.
 */
const cache = new Map<string, RegExp>();

/** Compiles a glob to an anchored, case-sensitive regular expression (cached). */
export const globToRegExp = (glob: string): RegExp => {
  let re = cache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 's');
    cache.set(glob, re);
  }
  return re;
};

/**
 * Whether `value` matches `glob`.
 *
 * @example matchesGlob('prod-*', 'prod-daily') // true
 */
export const matchesGlob = (glob: string, value: string): boolean => globToRegExp(glob).test(value);

/** Whether `value` matches any of `globs`. */
export const matchesAnyGlob = (globs: readonly string[], value: string): boolean =>
  globs.some((g) => matchesGlob(g, value));
