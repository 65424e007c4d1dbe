import { type BackupEvent, outOfScope } from '../../shared/events/index.js';
import { count } from '../../shared/metrics.js';
import { runCopy } from './act.js';
import { type CopyPlan, planCopies, routeHops, type Skip } from './decide.js';
import type { CopyResult, CopyRun, StartCopyDeps } from './deps.js';
import { backupTrigger, copyTrigger, describeSource, withStartedAs } from './gather.js';
import type { CopyRule } from './rules.js';

/**
 * Plans and starts the copies one AWS Backup event makes due. Every copy is attempted even when
 * another fails; the first retryable error is rethrown at the end so Lambda retries the event
 * (claims make the retry re-send only what did not start).
 */
export async function startCopiesFor(deps: StartCopyDeps, event: BackupEvent): Promise<CopyRun> {
  const { rules } = deps.config;
  // Only this account's events, or those of an account a rule names, in this partition, act.
  const scope = outOfScope(event, deps.identity, namedAccounts(rules), deps.deployment.mode);
  if (scope !== undefined) {
    const plan: CopyPlan = { starts: [], skips: [{ reason: 'out-of-scope', detail: scope.detail }] };
    logSkips(deps, plan.skips);
    return { plan, results: [] };
  }
  const read =
    event.kind === 'backup-job'
      ? await backupTrigger(deps, event)
      : event.kind === 'copy-job'
        ? await copyTrigger(deps, event)
        : undefined;
  if (read === undefined) {
    const plan: CopyPlan = {
      starts: [],
      skips: [{ reason: 'previous-hop-not-completed', detail: `a ${event.kind} event names no completed copy` }],
    };
    logSkips(deps, plan.skips);
    return { plan, results: [] };
  }
  const trigger = await withStartedAs(deps, rules, read);
  const due = routeHops(rules, trigger);
  const from = due.hops[0]?.fromVaultArn;
  const recoveryPoint = from === undefined ? undefined : await describeSource(deps, trigger, from);
  const plan = planCopies(rules, { trigger, recoveryPoint });
  deps.logger.info('copies planned', {
    trigger: trigger.kind,
    recoveryPointArn: trigger.recoveryPointArn,
    starts: plan.starts.length,
    skips: plan.skips.length,
  });
  logSkips(deps, plan.skips);
  const results: CopyResult[] = [];
  let retryable: unknown;
  for (const copy of plan.starts) {
    try {
      results.push(await runCopy(deps, copy));
    } catch (error) {
      deps.logger.warn('copy not started yet: will be retried', { rule: copy.ruleName, hop: copy.hop, error });
      retryable ??= error;
    }
  }
  if (retryable !== undefined) throw retryable;
  return { plan, results };
}

function logSkips(deps: StartCopyDeps, skips: readonly Skip[]): void {
  for (const skip of skips) {
    deps.logger.info('copy skipped', { ...skip });
    count(deps.metrics, 'CopiesSkipped');
    count(deps.metrics, `CopiesSkipped.${skip.reason}`);
  }
}

/** Every source account the rules name (a rule without match.accounts names the function's own). */
function namedAccounts(rules: readonly CopyRule[]): string[] {
  return [...new Set(rules.flatMap((rule) => rule.match.accounts ?? []))];
}
