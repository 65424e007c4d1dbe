import { listBackupJobs, listCopyJobs, listRestoreJobs, listScanJobs } from '../../shared/backup/index.js';
import { count } from '../../shared/metrics.js';
import { runSweep, type SweepJob, type SweepRun } from '../../shared/sweep/run.js';
import { setAsideTeller } from '../../shared/sweep/tell.js';
import { sweepSince } from '../../shared/sweep/window.js';
import { DAY_MS } from '../../shared/time.js';
import { backupAt, homePlace, type JobPlace, type RetryDeps } from './deps.js';
import { type FailedKind, JobInFlightError, type JobOutcome } from './facts.js';
import { handleSweptRestore } from './restore.js';
import { handleFailedJob, resumeInterrupted } from './run.js';
import { handleSweptScan, type ScanRef } from './scan.js';
import { organizationPlaces, sweepPlaces } from './sweep-places.js';

/** What a sweep found and did. */
export interface SweepResult extends SweepRun {
  readonly since: string;
  /** Jobs the ledger had never seen: their event was lost (or has not arrived yet). */
  readonly withoutEvent: number;
  readonly resumed: number;
}

function labelOf(outcome: JobOutcome): string {
  return outcome.result === 'skipped' ? `skipped:${outcome.reason}` : outcome.result;
}

/**
 * The reconciliation sweep: failed (and expired, and aborted if configured) backup jobs, failed
 * copy jobs, failed restore jobs, and failed scans and scans with threats completed since the last sweep, with overlap, each through the
 * same handling as an event. EventBridge delivery is best effort, so this is what bounds a lost event's cost to one
 * sweep interval. A job already handled costs one ledger read and no AWS call. It also re-sends
 * attempts whose invocation died between the ledger write and recording AWS's answer, and handles
 * jobs whose claim's holder died (the claims in the `byDay` index whose lease passed). One job's
 * failure does not stop the others, and a job failing RETRY_SWEEP_SET_ASIDE_AFTER sweeps in a row
 * is set aside with one alert (shared/sweep/run.ts), so it never holds the cursor for good.
 */
export async function sweep(deps: RetryDeps): Promise<SweepResult> {
  const { config, ledger } = deps;
  const now = deps.now();
  const snapshot = await deps.sweepState.read(deps.signal);
  const since = sweepSince(snapshot.cursor, now, config);
  let withoutEvent = 0;
  let resumed = 0;
  const home = homePlace(deps);
  /** A listed job, handled as its event would be; one the ledger had not seen is counted as found without its event. */
  const swept = <O extends { readonly result: string }>(
    key: string,
    handle: () => Promise<O>,
    label: (outcome: O) => string,
  ): SweepJob => {
    return {
      key,
      handle: async () => {
        let outcome: O;
        try {
          outcome = await handle();
        } catch (error) {
          // Claimed by another invocation and not handled yet: counted, not a failure (which would
          // hold the cursor and, retried by Lambda within the lease, set the job aside). Nothing is
          // dropped: the claim is in the ledger's `byDay` index, where a later sweep finds it once its
          // lease has passed (below).
          if (error instanceof JobInFlightError) return 'in-flight';
          throw error;
        }
        // In flight or already handled: the ledger had seen it.
        if (outcome.result !== 'duplicate' && outcome.result !== 'in-flight') {
          withoutEvent += 1;
          count(deps.metrics, 'SweepJobsWithoutEvent');
        }
        return label(outcome);
      },
    };
  };
  const failedJob = (kind: FailedKind, jobId: string, place: JobPlace): SweepJob =>
    swept(
      `${kind}#${jobId}`,
      () => {
        // A job of the function's own account keeps the ref it always had (no place: the home).
        const at = place.account === home.account && place.region === home.region ? {} : { place };
        return handleFailedJob(deps, { kind, jobId, trigger: 'sweep', ...at });
      },
      labelOf,
    );
  /** The failed jobs of one place, each handled as its event would be. */
  async function* placeJobs(place: JobPlace): AsyncGenerator<SweepJob> {
    const backup = backupAt(deps, place);
    for (const state of config.retryStates) {
      for await (const job of listBackupJobs(backup, { state, completedAfter: since }, { signal: deps.signal, now })) {
        if (job.BackupJobId) yield failedJob('backup', job.BackupJobId, place);
      }
    }
    if (config.retryCopyJobs) {
      const filter = { state: 'FAILED', completedAfter: since } as const;
      for await (const job of listCopyJobs(backup, filter, { signal: deps.signal, now })) {
        if (job.CopyJobId) yield failedJob('copy', job.CopyJobId, place);
      }
    }
    for await (const job of listRestoreJobs(
      backup,
      { status: 'FAILED', completedAfter: since },
      { signal: deps.signal, now },
    )) {
      const jobId = job.RestoreJobId;
      if (!jobId) continue;
      yield swept(
        `restore#${jobId}`,
        () => handleSweptRestore(deps, jobId, place),
        (o) => o.result,
      );
    }
    // Scans a person must hear of: FAILED, or finished with THREATS_FOUND (the rule's two cases).
    const scanFilters = [{ state: 'FAILED' }, { scanResultStatus: 'THREATS_FOUND' }] as const;
    const scansSeen = new Set<string>();
    for (const filter of scanFilters) {
      for await (const job of listScanJobs(
        backup,
        { ...filter, completedAfter: since },
        { signal: deps.signal, now },
      )) {
        const scanJobId = job.ScanJobId;
        // A FAILED scan is never THREATS_FOUND, but one job is one key whatever the lists say.
        if (!scanJobId || !job.State || !job.BackupVaultName || scansSeen.has(scanJobId)) continue;
        scansSeen.add(scanJobId);
        const scan = {
          scanJobId,
          account: place.account,
          region: place.region,
          state: job.State,
          backupVaultName: job.BackupVaultName,
        };
        yield swept(
          `scan#${scanJobId}`,
          () => handleSweptScan(deps, scan),
          (o) => o.result,
        );
      }
    }
  }
  async function* jobs(): AsyncGenerator<SweepJob> {
    // Work that was claimed and not done comes first, before the lists: a sweep that runs out of
    // time on a backlog (shared/sweep/run.ts) still resumes it, while its items are in the two days
    // of the `byDay` index it reads. A claimed job listed after it is not handled again (its key).
    // An interrupted attempt's item sits on the day its input was stored: today and yesterday (UTC)
    // cover every lease that can have passed since the previous hourly sweep.
    const days = [new Date(now.getTime() - DAY_MS), now].map((d) => d.toISOString().slice(0, 10));
    for await (const attempt of ledger.interrupted(days, { now, signal: deps.signal })) {
      yield {
        key: `attempt#${attempt.logicalKey}#${attempt.attempt}`,
        handle: async () => {
          const outcome = await resumeInterrupted(deps, attempt);
          if (outcome === undefined) return 'attempt-moved-on';
          resumed += 1;
          return `resumed:${outcome.result}`;
        },
      };
    }
    // Claims on handling a job whose holder died (or whose delivery gave them back and never came
    // again) and whose lease has passed: handled as the job's listing would be. A sweep or event
    // that met the claim held answered "in flight", so this is what finds them after the cursor moved.
    for await (const claim of ledger.interruptedClaims(days, { now, signal: deps.signal })) {
      const place = claim.place ?? home;
      // The key its listing has: the same job listed later in this sweep is not handled again (run.ts).
      const key = `${claim.jobKind}#${claim.jobId}`;
      if (claim.jobKind === 'backup' || claim.jobKind === 'copy') yield failedJob(claim.jobKind, claim.jobId, place);
      else if (claim.jobKind === 'restore') {
        yield swept(
          key,
          () => handleSweptRestore(deps, claim.jobId, place),
          (o) => o.result,
        );
      } else if (claim.jobKind === 'scan' && claim.state && claim.backupVaultName) {
        const scan = {
          scanJobId: claim.jobId,
          ...place,
          state: claim.state as ScanRef['state'],
          backupVaultName: claim.backupVaultName,
        };
        yield swept(
          key,
          () => handleSweptScan(deps, scan),
          (o) => o.result,
        );
      }
    }
    const places = await sweepPlaces(deps);
    try {
      places.push(...(await organizationPlaces(deps, since, places)));
    } catch (error) {
      // The organization's list refused (not the management or a delegated administrator account,
      // cross-account monitoring off): one failing job of its own, set aside after
      // RETRY_SWEEP_SET_ASIDE_AFTER sweeps with one alert; the known places are swept all the same.
      if (deps.signal?.aborted) throw error;
      yield { key: `organization#${home.region}`, handle: () => Promise.reject(error) };
    }
    for (const place of places) {
      try {
        yield* placeJobs(place);
      } catch (error) {
        // A place whose lists fail (a member role deleted, a member that left) is one failing job of
        // its own: counted, the cursor kept, set aside after RETRY_SWEEP_SET_ASIDE_AFTER sweeps with
        // one alert, so it never stops the sweep of the other places for good. Its jobs listed
        // before the failure were handled; the next sweep lists the place again.
        if (deps.signal?.aborted) throw error;
        yield {
          key: `place#${place.account}#${place.region}`,
          handle: () => Promise.reject(error),
        };
      }
    }
  }
  const run = await runSweep(
    {
      ...deps,
      state: deps.sweepState,
      setAsideAfter: config.sweepSetAsideAfter,
      dryRun: config.dryRun,
      tell: setAsideTeller('retry', { ...deps, region: deps.identity.region }, config.notifyTopicArn),
    },
    snapshot,
    now,
    jobs(),
  );
  return { ...run, since: since.toISOString(), withoutEvent, resumed };
}
