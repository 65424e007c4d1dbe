import { matchesAnyGlob } from '../../shared/glob.js';
import type { Scope } from './config.js';

/**
 * Whether a value passes an allow and deny list (RETRY_INCLUDE_* / RETRY_EXCLUDE_*): deny wins, and
 * an empty allow list allows everything. With `glob`, the lists hold globs (shared/glob.ts).
 */
export const inScope = (scope: Scope, value: string | undefined, glob = false): boolean => {
  const v = value ?? '';
  const match = (list: readonly string[]) => (glob ? matchesAnyGlob(list, v) : list.includes(v));
  if (match(scope.exclude)) return false;
  return scope.include.length === 0 || match(scope.include);
};
