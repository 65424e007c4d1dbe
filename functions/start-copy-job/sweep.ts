import { listBackupJobs, listCopyJobs, regionOf, type StartCopyJobRequest } from '../../shared/backup/index.js';
import { ledgerCall } from '../../shared/ledger/exactly-once.js';
import { count } from '../../shared/metrics.js';
import { runSweep, type SweepItem, type SweepRun } from '../../shared/sweep/run.js';
import type { SweepState } from '../../shared/sweep/state.js';
import { setAsideTeller } from '../../shared/sweep/tell.js';
import { sweepSince, sweepSlices } from '../../shared/sweep/window.js';
import { DAY_MS } from '../../shared/time.js';
import { CopyInFlightError, runCopy } from './act.js';
import { copyKey } from './claims.js';
import { type CopyTrigger, copyToken, type PlannedCopy, planCopies, routeHops } from './decide.js';
import type { StartCopyDeps } from './deps.js';
import { describeSource, triggerOfBackupJob, triggerOfCopyJob, withStartedAs } from './gather.js';
import type { CopyRule } from './rules.js';

/** What the copy sweep needs beyond the copy logic's deps: its state and reach. */
export interface CopySweepDeps extends StartCopyDeps {
  readonly sweepState: SweepState;
}

/** What a copy sweep found and did. */
export interface CopySweepResult extends SweepRun {
  readonly since: string;
  /** Copies the sweep started that no event brought (a lost COMPLETED event, or a holder that died). */
  readonly startedBySweep: number;
}

/** States of a copy job that AWS will (or did) finish: a copy in one of them needs no start of ours. */
const LIVE_COPY_STATES = new Set(['CREATED', 'RUNNING', 'COMPLETED', 'PARTIAL']);

/**
 * Whether AWS lists a copy of this recovery point into this hop's vault that is done or under way
 * (ListCopyJobs BySourceRecoveryPointArn and ByDestinationVaultArn): one made by a plan's own copy
 * action, by a person, or by this function before its ledger item expired.
 */
async function awsHasCopy(deps: StartCopyDeps, copy: PlannedCopy): Promise<boolean> {
  const filter = {
    sourceRecoveryPointArn: copy.input.RecoveryPointArn,
    destinationVaultArn: copy.input.DestinationBackupVaultArn,
  };
  for await (const job of listCopyJobs(deps.backupClientFor(copy.region, copy.accountId), filter, {
    signal: deps.signal,
  })) {
    if (job.State !== undefined && LIVE_COPY_STATES.has(job.State)) return true;
  }
  return false;
}

/** Starts one planned copy through the same claim as an event; a claim still held is in flight, not a failure. */
async function startThroughClaim(deps: StartCopyDeps, copy: PlannedCopy): Promise<string> {
  try {
    const result = await runCopy(deps, copy);
    return result.outcome;
  } catch (error) {
    if (error instanceof CopyInFlightError) return 'in-flight';
    throw error;
  }
}

/**
 * Reconciles one completed job: every (recovery point, destination, hop) its rules make due that
 * has neither a settled claim in the ledger nor a copy AWS lists is started through the same claim
 * as an event would start it. A job whose copies are all answered costs one ledger read per hop.
 */
async function reconcile(deps: StartCopyDeps, listed: CopyTrigger, counted: { started: number }): Promise<string> {
  const { rules } = deps.config;
  let trigger: CopyTrigger;
  try {
    trigger = await withStartedAs(deps, rules, listed);
  } catch (error) {
    // A hop this copy job may be is claimed and not answered yet: a later sweep sees it answered.
    if (error instanceof CopyInFlightError) return 'in-flight';
    throw error;
  }
  const due = routeHops(rules, trigger);
  const arn = trigger.recoveryPointArn;
  if (due.hops.length === 0 || arn === undefined || !trigger.completed) return 'nothing-due';
  // The claim item of each hop not answered yet (undefined: never claimed), read once.
  const open = new Map<string, Record<string, unknown> | undefined>();
  for (const hop of due.hops) {
    const token = copyToken(arn, hop.toVaultArn, hop.hop);
    const item = await deps.ledger.get(copyKey(token), deps.signal);
    if (item?.settled === undefined) open.set(token, item);
  }
  if (open.size === 0) return 'already-answered';
  const from = due.hops[0]?.fromVaultArn as string;
  const recoveryPoint = await describeSource(deps, trigger, from);
  const plan = planCopies(rules, { trigger, recoveryPoint });
  let outcome = 'skipped';
  for (const copy of plan.starts.filter((c) => open.has(c.input.IdempotencyToken))) {
    // No claim at all: no event came (or not yet). AWS may still have made the copy itself.
    if (open.get(copy.input.IdempotencyToken) === undefined && (await awsHasCopy(deps, copy))) {
      outcome = 'copied-outside';
      continue;
    }
    outcome = await startThroughClaim(deps, copy);
    if (outcome === 'started') {
      counted.started += 1;
      count(deps.metrics, 'CopiesFoundBySweep');
      deps.logger.warn('copy started by the sweep: no event brought it', {
        rule: copy.ruleName,
        hop: copy.hop,
        recoveryPointArn: copy.input.RecoveryPointArn,
      });
    }
  }
  return outcome;
}

/**
 * The Regions whose completed copy jobs can make a hop due: the function's own (hop 1 copies) and
 * the Region of every intermediate vault of a route (the copy job of hop n runs there), own first.
 */
export function copyRegions(rules: readonly CopyRule[], home: string): string[] {
  return [
    ...new Set([home, ...rules.flatMap((rule) => rule.destinations.flatMap((d) => d.via.map((arn) => regionOf(arn))))]),
  ];
}

/**
 * The source accounts the sweep lists: the function's own; in central mode also every account a
 * rule names in match.accounts (central mode copies only from accounts the rules name, so these are
 * all the accounts whose copies can be due), each with its member role.
 */
export function sweepAccounts(deps: Pick<StartCopyDeps, 'identity' | 'deployment' | 'config'>): string[] {
  const own = deps.identity.accountId;
  if (deps.deployment.mode !== 'central') return [own];
  return [...new Set([own, ...deps.config.rules.flatMap((rule) => rule.match.accounts ?? [])])];
}

/** The copy a claim item describes (written by claimCopy), for a resume after its holder died. */
function copyOfClaim(item: Record<string, unknown>): PlannedCopy | undefined {
  const request = item.request as StartCopyJobRequest | undefined;
  const { ruleName, finalDestinationVaultArn, hop, hops, region, accountId } = item;
  if (
    request === undefined ||
    typeof ruleName !== 'string' ||
    typeof finalDestinationVaultArn !== 'string' ||
    typeof hop !== 'number' ||
    typeof hops !== 'number' ||
    typeof region !== 'string' ||
    typeof accountId !== 'string'
  ) {
    return undefined;
  }
  const alsoFor = Array.isArray(item.alsoFor) ? (item.alsoFor as PlannedCopy['alsoFor']) : undefined;
  return {
    ruleName,
    destinationVaultArn: finalDestinationVaultArn,
    hop,
    hops,
    region,
    accountId,
    input: request,
    ...(alsoFor ? { alsoFor } : {}),
  };
}

/**
 * The hourly copy sweep: completed backup and copy jobs since the last sweep (with overlap), each
 * reconciled against the rules, the ledger and AWS's copy jobs; and claims whose holder died before
 * AWS answered, resumed with their stored request and token after the lease. EventBridge delivery
 * of AWS Backup events is best effort (aws-facts.md): this bounds a lost COMPLETED event to one
 * sweep interval. A job that fails COPY_SWEEP_SET_ASIDE_AFTER sweeps in a row is set aside with one
 * alert (shared/sweep/run.ts).
 */
export async function copySweep(deps: CopySweepDeps): Promise<CopySweepResult> {
  const now = deps.now();
  const snapshot = await deps.sweepState.read(deps.signal);
  const since = sweepSince(snapshot.cursor, now, deps.config.sweep);
  const counted = { started: 0 };
  async function* jobs(): AsyncGenerator<SweepItem> {
    // Claims whose holder died come first, before the jobs. A completed copy job whose own hop's
    // claim is unanswered is in flight (withStartedAs) and continues nothing, while the cursor moves
    // past it: had its claim been resumed after it, a copy job that completed before the next
    // sweep's overlap was never listed again, and its route ended at that hop. Resumed first, the
    // claim names the copy job by the time it is listed. (A claim still inside its lease started
    // its copy under 6 minutes ago: that copy completes inside the next sweep's overlap.)
    // A claim's item sits on the day it was written: today and yesterday (UTC) cover every lease
    // that can have passed since the previous hourly sweep.
    const days = [new Date(now.getTime() - DAY_MS), now].map((d) => d.toISOString().slice(0, 10));
    for await (const item of deps.ledger.interrupted('copy', days, ledgerCall(deps, now))) {
      const copy = copyOfClaim(item);
      if (copy === undefined) continue;
      yield {
        key: `claim#${String(item.pk)}`,
        handle: async () => {
          const outcome = await startThroughClaim(deps, copy);
          if (outcome === 'started') {
            counted.started += 1;
            count(deps.metrics, 'CopiesResumedBySweep');
          }
          return `resumed:${outcome}`;
        },
      };
    }
    const listed = { signal: deps.signal, now };
    const home = deps.identity.region;
    const accounts = sweepAccounts(deps);
    const regions = copyRegions(deps.config.rules, home);
    // Slice by slice, oldest first: a backlog the sweep cannot finish before its deadline keeps
    // the slices it finished (shared/sweep/run.ts, SweepMark).
    for (const slice of sweepSlices(since, now)) {
      const completed = { state: 'COMPLETED', completedAfter: slice.after, completedBefore: slice.before } as const;
      for (const accountId of accounts) {
        const backup = deps.backupClientFor(home, accountId);
        const where = { accountId, region: home, partition: deps.identity.partition };
        for await (const job of listBackupJobs(backup, completed, listed)) {
          if (!job.BackupJobId) continue;
          const trigger = triggerOfBackupJob(job, where);
          yield { key: `backup#${job.BackupJobId}`, handle: () => reconcile(deps, trigger, counted) };
        }
        // A copy job is listed in the Region of its source vault: a later hop's copy in its
        // intermediate vault's Region, so every Region a route passes through is listed.
        for (const region of regions) {
          const client = deps.backupClientFor(region, accountId);
          for await (const job of listCopyJobs(client, completed, listed)) {
            const trigger = triggerOfCopyJob(job);
            if (!job.CopyJobId || trigger === undefined) continue;
            yield { key: `copy#${region}#${job.CopyJobId}`, handle: () => reconcile(deps, trigger, counted) };
          }
        }
      }
      if (slice.before !== undefined) yield { listedUntil: slice.before };
    }
  }
  const run = await runSweep(
    {
      ...deps,
      state: deps.sweepState,
      setAsideAfter: deps.config.sweep.sweepSetAsideAfter,
      dryRun: deps.config.dryRun,
      tell: setAsideTeller('copy', { ...deps, region: deps.identity.region }, deps.config.notifyTopicArn),
    },
    snapshot,
    now,
    jobs(),
  );
  return { ...run, since: since.toISOString(), startedBySweep: counted.started };
}
