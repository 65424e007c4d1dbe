import { matchesAnyGlob } from '../../shared/glob.js';
import type { LogSink } from '../../shared/logger.js';
import type { Scope } from './config.js';

/**
 * Whether a value passes an allow and deny list (RETRY_INCLUDE_* / RETRY_EXCLUDE_*): deny wins, and
 * an empty allow list allows everything. With `glob`, the lists hold globs (shared/glob.ts).
 */
export function inScope(scope: Scope, value: string | undefined, glob = false): boolean {
  const v = value ?? '';
  const match = (list: readonly string[]) => (glob ? matchesAnyGlob(list, v) : list.includes(v));
  if (match(scope.exclude)) return false;
  return scope.include.length === 0 || match(scope.include);
}

/**
 * Whether `account` is outside RETRY_INCLUDE/EXCLUDE_ACCOUNTS, logged when it is: the accounts whose
 * failed jobs are retried and alerted, so a restore or scan of another is not alerted (by event or
 * by sweep), as decide.ts skips such a backup or copy job.
 */
export function accountExcluded(
  deps: { readonly config: { readonly accounts: Scope }; readonly logger: LogSink },
  jobId: string,
  account: string,
): boolean {
  if (inScope(deps.config.accounts, account)) return false;
  deps.logger.info('account outside RETRY_INCLUDE/EXCLUDE_ACCOUNTS: not alerted', { jobId, account });
  return true;
}
