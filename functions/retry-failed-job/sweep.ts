import { listBackupJobs, listCopyJobs } from '../../shared/backup/index.js';
import { ToolkitError } from '../../shared/errors.js';
import { count } from '../../shared/metrics.js';
import { DAY_MS, HOUR_MS } from '../../shared/time.js';
import { homeBackup, type RetryDeps } from './deps.js';
import type { FailedKind } from './facts.js';
import { handleFailedJob, resumeInterrupted } from './run.js';

/** ListBackupJobs reaches back 30 days; a day of margin keeps the filter valid at the edge. */
const MAX_LOOKBACK_MS = 29 * DAY_MS;

/** What a sweep found and did. */
export interface SweepResult {
  readonly since: string;
  readonly seen: number;
  /** Jobs the ledger had never seen: their event was lost (or has not arrived yet). */
  readonly withoutEvent: number;
  readonly resumed: number;
  readonly errors: number;
  readonly outcomes: Readonly<Record<string, number>>;
}

/** One job of the sweep failed; the others went on. */
export class SweepIncompleteError extends ToolkitError {
  constructor(
    readonly failures: readonly { readonly jobId: string; readonly error: string }[],
    options?: ErrorOptions,
  ) {
    super(
      `sweep: ${failures.length} job(s) could not be handled; the cursor stays put so the next sweep retries them`,
      options,
    );
    this.name = 'SweepIncompleteError';
  }
}

/** Where the sweep starts: the last sweep less the overlap; the first one looks back RETRY_SWEEP_LOOKBACK_HOURS. */
export const sweepSince = (
  cursor: Date | undefined,
  now: Date,
  config: { readonly sweepOverlapMinutes: number; readonly sweepLookbackHours: number },
): Date => {
  const from = cursor
    ? cursor.getTime() - config.sweepOverlapMinutes * 60_000
    : now.getTime() - config.sweepLookbackHours * HOUR_MS;
  return new Date(Math.max(from, now.getTime() - MAX_LOOKBACK_MS));
};

/**
 * The reconciliation sweep: failed (and expired, and aborted if configured) backup jobs and failed
 * copy jobs completed since the last sweep, with overlap, each through the same handling as an
 * event. EventBridge delivery is best effort, so this is what bounds a lost event's cost to one
 * sweep interval. A job already handled costs one ledger read and no AWS call. It also re-sends
 * attempts whose invocation died between the ledger write and recording AWS's answer.
 * One job's failure does not stop the others; the cursor only moves when every job was handled.
 */
export const sweep = async (deps: RetryDeps): Promise<SweepResult> => {
  const { config, ledger, logger } = deps;
  const now = deps.now();
  const since = sweepSince(await ledger.sweepCursor(deps.signal), now, config);
  const outcomes: Record<string, number> = {};
  const failures: { jobId: string; error: string }[] = [];
  let seen = 0;
  let withoutEvent = 0;
  let resumed = 0;
  const handle = async (kind: FailedKind, jobId: string | undefined) => {
    if (!jobId) return;
    seen += 1;
    try {
      const outcome = await handleFailedJob(deps, { kind, jobId, trigger: 'sweep' });
      if (outcome.result !== 'duplicate') withoutEvent += 1;
      const label = outcome.result === 'skipped' ? `skipped:${outcome.reason}` : outcome.result;
      outcomes[label] = (outcomes[label] ?? 0) + 1;
    } catch (error) {
      logger.error('sweep could not handle a job', { jobId, kind, error });
      failures.push({ jobId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  };
  for (const state of config.retryStates) {
    for await (const job of listBackupJobs(
      homeBackup(deps),
      { state, completedAfter: since },
      { signal: deps.signal, now },
    )) {
      await handle('backup', job.BackupJobId);
    }
  }
  if (config.retryCopyJobs) {
    for await (const job of listCopyJobs(
      homeBackup(deps),
      { state: 'FAILED', completedAfter: since },
      { signal: deps.signal, now },
    )) {
      await handle('copy', job.CopyJobId);
    }
  }
  // An interrupted attempt's item sits on the day its input was stored: today and yesterday (UTC)
  // cover every lease that can have passed since the previous hourly sweep.
  const days = [new Date(now.getTime() - DAY_MS), now].map((d) => d.toISOString().slice(0, 10));
  for await (const attempt of ledger.interrupted(days, { now, signal: deps.signal })) {
    try {
      if (await resumeInterrupted(deps, attempt)) resumed += 1;
    } catch (error) {
      logger.error('sweep could not resume an attempt', { logicalKey: attempt.logicalKey, error });
      failures.push({
        jobId: attempt.logicalKey,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  count(deps.metrics, 'SweepJobsSeen', seen);
  count(deps.metrics, 'SweepJobsWithoutEvent', withoutEvent);
  const result = { since: since.toISOString(), seen, withoutEvent, resumed, errors: failures.length, outcomes };
  logger.info('sweep finished', result);
  if (failures.length > 0) throw new SweepIncompleteError(failures);
  if (!config.dryRun) await ledger.moveSweepCursor(now, { now, signal: deps.signal });
  return result;
};
