import { listBackupJobs } from '../../shared/backup/index.js';
import { outOfScope } from '../../shared/events/index.js';
import { ledgerCall } from '../../shared/ledger/exactly-once.js';
import { count } from '../../shared/metrics.js';
import { SEEN_FOR_MS } from '../../shared/sweep/seen-places.js';
import { backupAt, homePlace, type JobPlace, type RetryDeps } from './deps.js';
import type { RetryTrigger } from './parse.js';
import { inScope } from './scope.js';

type PlaceDeps = Pick<
  RetryDeps,
  'identity' | 'deployment' | 'config' | 'seenPlaces' | 'logger' | 'metrics' | 'now' | 'signal'
>;

/**
 * Most members a sweep lists because their events arrived (the most recent first): each costs six
 * list calls or more, one after another, and the sweep must end well inside the function's 300 s
 * Timeout. Past it a warning and the SweepPlacesCapped metric say how many were left out; accounts
 * RETRY_INCLUDE_ACCOUNTS names are swept whatever their number.
 */
export const MAX_SEEN_PLACES_SWEPT = 100;

/** The AWS Backup event of a trigger; none for the function's own schedules (attempts, the sweep). */
function eventOf(trigger: RetryTrigger) {
  return trigger.type === 'restore' || trigger.type === 'scan'
    ? trigger.event
    : trigger.type === 'job' && trigger.ref.trigger === 'event'
      ? trigger.ref.event
      : undefined;
}

/** Where an AWS Backup event came from; none for the function's own schedules (attempts, the sweep). */
export function eventPlace(trigger: RetryTrigger): JobPlace | undefined {
  if (trigger.type === 'restore' || trigger.type === 'scan') {
    return { account: trigger.event.account, region: trigger.event.region };
  }
  return trigger.type === 'job' && trigger.ref.trigger === 'event' ? trigger.ref.place : undefined;
}

function accountInScope(deps: Pick<RetryDeps, 'config'>, account: string): boolean {
  return inScope(deps.config.accounts, account);
}

function samePlace(a: JobPlace, b: JobPlace): boolean {
  return a.account === b.account && a.region === b.region;
}

/**
 * Central mode: records where a member's event came from, so the sweep lists there too (see
 * shared/sweep/seen-places.ts). Account mode records nothing (its sweep lists at home only), nor
 * does a dry run, an event of the function's own place, one of an account out of scope or one the
 * handler refuses as out of scope (shared/events/scope.ts). A failure to record is a
 * warning and a metric, never the event's failure: the event itself is handled all the same, and
 * the member's next event records it again.
 */
export async function noteEventPlace(deps: PlaceDeps, trigger: RetryTrigger): Promise<void> {
  // A dry run writes nothing, this bookkeeping included.
  if (deps.deployment.mode !== 'central' || deps.config.dryRun) return;
  const place = eventPlace(trigger);
  if (!place || samePlace(place, homePlace(deps)) || !accountInScope(deps, place.account)) return;
  // An event the handler refuses as out of scope (an ARN of another partition, a vault of another
  // account) leaves nothing behind: no write, and no place the sweep would list every hour.
  const event = eventOf(trigger);
  if (event && outOfScope(event, deps.identity, [], deps.deployment.mode)) return;
  try {
    const noted = await deps.seenPlaces.note(place, ledgerCall(deps));
    if (noted) return;
    deps.logger.warn('the sweep cannot add this account: the ledger item of seen places is full', {
      ...place,
      remedy: 'list the accounts to sweep in RETRY_INCLUDE_ACCOUNTS',
    });
  } catch (error) {
    if (deps.signal?.aborted) throw error;
    deps.logger.warn('could not record where this event came from; its next event records it', { ...place, error });
  }
  count(deps.metrics, 'SweepPlaceNotRecorded');
}

/**
 * The first {@link MAX_SEEN_PLACES_SWEPT} of `places`; past that, `warning` in the log and the
 * SweepPlacesCapped metric say how many were left out.
 */
function capped(deps: PlaceDeps, places: readonly JobPlace[], warning: string): JobPlace[] {
  const leftOut = Math.max(0, places.length - MAX_SEEN_PLACES_SWEPT);
  if (leftOut > 0) {
    deps.logger.warn(warning, {
      swept: MAX_SEEN_PLACES_SWEPT,
      leftOut,
      remedy: 'list the accounts that must be swept in RETRY_INCLUDE_ACCOUNTS',
    });
    count(deps.metrics, 'SweepPlacesCapped', leftOut);
  }
  return places.slice(0, MAX_SEEN_PLACES_SWEPT);
}

/**
 * Where the sweep lists: the function's own account and Region; in central mode also every
 * account RETRY_INCLUDE_ACCOUNTS names (in the function's Region, with their member roles) and
 * every place whose events reached the function in the last 29 days ({@link noteEventPlace}), the
 * {@link MAX_SEEN_PLACES_SWEPT} most recent.
 * Accounts RETRY_EXCLUDE_ACCOUNTS names are not swept, nor, when RETRY_INCLUDE_ACCOUNTS is set,
 * accounts it does not name. A member that never sent an event and is not listed is not swept:
 * the sweep cannot know of it without Organizations (see seen-places.ts).
 */
export async function sweepPlaces(deps: PlaceDeps): Promise<JobPlace[]> {
  const home = homePlace(deps);
  if (deps.deployment.mode !== 'central') return [home];
  const now = deps.now();
  const oldest = new Date(now.getTime() - SEEN_FOR_MS);
  const { places: seen, stale } = await deps.seenPlaces.since(oldest, deps.signal);
  if (stale.length > 0 && !deps.config.dryRun) {
    await deps.seenPlaces.forget(stale, oldest, ledgerCall(deps, now)).catch((error: unknown) => {
      if (deps.signal?.aborted) throw error;
      deps.logger.warn('could not forget places with no event for 29 days; the next sweep tries again', { error });
    });
  }
  const places: JobPlace[] = [home];
  /** In scope and not listed yet (the seen places are distinct, most recent first). */
  const isNew = (place: JobPlace): boolean =>
    accountInScope(deps, place.account) && !places.some((p) => samePlace(p, place));
  for (const account of deps.config.accounts.include) {
    const place = { account, region: home.region };
    if (isNew(place)) places.push(place);
  }
  places.push(
    ...capped(deps, seen.filter(isNew), 'the sweep lists the members with the most recent failure events only'),
  );
  return places;
}

/**
 * Central mode with RETRY_SWEEP_ORGANIZATION: the members, in the function's Region, with a backup
 * job in a RETRY_STATES state completed since `since`, from the organization's own job list
 * (ListBackupJobs ByAccountId `*`: "If used from an AWS Organizations management account, passing *
 * returns all jobs across the organization", API_ListBackupJobs; a delegated administrator with
 * cross-account monitoring on may too). This finds a member whose very first failure's events were
 * lost, which neither the seen places nor RETRY_INCLUDE_ACCOUNTS know of. Members already in
 * `known`, the central account and accounts out of scope are left out; at most
 * {@link MAX_SEEN_PLACES_SWEPT}, in the order the list gives them, the rest warned about and counted
 * (SweepPlacesCapped). A failing list throws: the sweep counts it as one failing job.
 */
export async function organizationPlaces(
  deps: PlaceDeps & Pick<RetryDeps, 'backupClientFor'>,
  since: Date,
  known: readonly JobPlace[],
): Promise<JobPlace[]> {
  const home = homePlace(deps);
  if (deps.deployment.mode !== 'central' || !deps.config.sweepOrganization) return [];
  const backup = backupAt(deps, home);
  // The accounts already swept in this Region, and those found: one set, so the list (thousands of
  // jobs on a bad day) is read in linear time.
  const taken = new Set([home.account, ...known.filter((p) => p.region === home.region).map((p) => p.account)]);
  const found: JobPlace[] = [];
  const now = deps.now();
  for (const state of deps.config.retryStates) {
    const filter = { state, completedAfter: since, accountId: '*' };
    for await (const job of listBackupJobs(backup, filter, { signal: deps.signal, now })) {
      const account = job.AccountId;
      if (!account || taken.has(account) || !accountInScope(deps, account)) continue;
      taken.add(account);
      found.push({ account, region: home.region });
    }
  }
  return capped(deps, found, "the sweep lists the first members of the organization's list only");
}
