import { ToolkitError } from '../errors.js';
import { ledgerCall } from '../ledger/exactly-once.js';
import type { LogSink } from '../logger.js';
import { count, type MetricSink } from '../metrics.js';
import { describeSweepError, type FailingJob, type SetAsideJob, type SweepSnapshot, type SweepState } from './state.js';

/** One job a sweep found: a stable key (its kind and id), and how to handle it. */
export interface SweepJob {
  /** `<kind>#<job id>`: the same job in every sweep. */
  readonly key: string;
  /** Handles the job as an event would; resolves to an outcome label (counted), rejects on failure. */
  readonly handle: () => Promise<string>;
}

/**
 * Yielded by a sweep's jobs between them: every job that completed before `listedUntil` has been
 * yielded (the sweep lists its window in slices, oldest first: window.ts `sweepSlices`). A sweep
 * that stops at its deadline with no job failing saves the last mark it reached as its cursor, so
 * the next sweep goes on from there instead of listing the whole window again.
 */
export interface SweepMark {
  readonly listedUntil: Date;
}

/** What a sweep's jobs yield: a job, or a mark between two slices of its window. */
export type SweepItem = SweepJob | SweepMark;

function isMark(item: SweepItem): item is SweepMark {
  return 'listedUntil' in item;
}

/**
 * Time a sweep keeps for saving its state and telling set-aside jobs when it stops at its
 * deadline: 15 s, or a quarter of the time it had when it began if that is less.
 */
export const SWEEP_RESERVE_MS = 15_000;

/** One job the sweep could not handle this time. */
export interface SweepFailure {
  readonly key: string;
  readonly error: string;
  /** Sweeps in a row that failed on it, this one included. */
  readonly count: number;
  /** Set aside by this sweep (it reached SWEEP_SET_ASIDE_AFTER). */
  readonly setAside: boolean;
}

/** What a sweep did. */
export interface SweepRun {
  readonly seen: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly failures: readonly SweepFailure[];
  /** Jobs skipped because an earlier sweep set them aside. */
  readonly skippedSetAside: number;
  /** Whether the cursor moved to this sweep's start (every job handled or set aside). */
  readonly cursorMoved: boolean;
  /**
   * Set when the sweep stopped before the Lambda timeout with jobs left: where its cursor now
   * stands (the last slice it finished), or undefined when it finished none and the cursor stays.
   */
  readonly stoppedAt?: { readonly cursor: Date | undefined };
}

/** Some job could not be handled and is not set aside yet: the cursor stays put so the next sweep retries it. */
export class SweepIncompleteError extends ToolkitError {
  constructor(
    readonly failures: readonly SweepFailure[],
    options?: ErrorOptions,
  ) {
    super(
      `sweep: ${failures.length} job(s) could not be handled; the cursor stays put so the next sweep retries them (${failures
        .slice(0, 3)
        .map((f) => `${f.key}: ${f.error}`)
        .join('; ')})`,
      options,
    );
    this.name = 'SweepIncompleteError';
  }
}

/** What the sweep runner needs from its function. */
export interface SweepDeps {
  readonly state: SweepState;
  readonly logger: LogSink;
  readonly metrics: MetricSink;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  /** Sweeps in a row a job may fail before it is set aside (SWEEP_SET_ASIDE_AFTER). */
  readonly setAsideAfter: number;
  /** Dry run: handle and log, but save no state and tell no one. */
  readonly dryRun: boolean;
  /** Tells a person, once, that a job was set aside and why. */
  readonly tell: (key: string, job: SetAsideJob) => Promise<void>;
  /** Milliseconds left before the Lambda timeout (the context's `getRemainingTimeInMillis`). */
  readonly remainingMs?: () => number;
}

/**
 * Runs one reconciliation sweep over `jobs` (listed since the snapshot's cursor, with overlap) and
 * saves what it ended with. A job that fails is counted: a job failing SWEEP_SET_ASIDE_AFTER
 * sweeps in a row is set aside (skipped by later sweeps, told once), so one job no code can handle
 * never stops the sweep for good; until then the cursor stays put and the error is raised, so the
 * job is listed again. Jobs handled are never counted against: a failure is forgiven by one success.
 *
 * A sweep with more jobs than time (a backlog after an outage: Lambda's timeout comes before the
 * end) stops before the deadline, keeping {@link SWEEP_RESERVE_MS} to save, instead of running
 * into the timeout, where every call still under way is aborted and nothing is saved, so that each
 * later sweep would list the same growing window and never finish. It saves the last
 * {@link SweepMark} it passed as its cursor and succeeds; the next sweep lists from there.
 *
 * @throws SweepIncompleteError after saving, when a failing job is not set aside yet
 */
export async function runSweep(
  deps: SweepDeps,
  snapshot: SweepSnapshot,
  startedAt: Date,
  jobs: AsyncIterable<SweepItem>,
): Promise<SweepRun> {
  const reserve = deps.remainingMs ? Math.min(SWEEP_RESERVE_MS, deps.remainingMs() / 4) : 0;
  const outOfTime = () => deps.remainingMs !== undefined && deps.remainingMs() < reserve;
  /** The last mark passed: where a sweep stopped early, with no job failing, saves its cursor. */
  let reached: Date | undefined;
  let stopped = false;
  const outcomes: Record<string, number> = {};
  const failures: SweepFailure[] = [];
  const failing: Record<string, FailingJob> = {};
  const setAside: Record<string, SetAsideJob> = { ...snapshot.setAside };
  const fresh: string[] = [];
  const handled = new Set<string>();
  let seen = 0;
  let skippedSetAside = 0;
  for await (const job of jobs) {
    if (isMark(job)) {
      reached = job.listedUntil;
      continue;
    }
    if (outOfTime()) {
      stopped = true;
      break;
    }
    // The overlap and two list calls (by state) can name a job twice: handle it once.
    if (handled.has(job.key)) continue;
    handled.add(job.key);
    if (setAside[job.key]) {
      skippedSetAside += 1;
      continue;
    }
    seen += 1;
    try {
      const label = await job.handle();
      outcomes[label] = (outcomes[label] ?? 0) + 1;
    } catch (error) {
      const before = snapshot.failing[job.key];
      const entry: FailingJob = {
        count: (before?.count ?? 0) + 1,
        error: describeSweepError(error),
        since: before?.since ?? startedAt.toISOString(),
      };
      const asideNow = entry.count >= deps.setAsideAfter;
      deps.logger.error(asideNow ? 'sweep sets a job aside' : 'sweep could not handle a job', {
        key: job.key,
        failures: entry.count,
        setAsideAfter: deps.setAsideAfter,
        error,
      });
      failures.push({ key: job.key, error: entry.error, count: entry.count, setAside: asideNow });
      if (asideNow) {
        setAside[job.key] = { ...entry, at: startedAt.toISOString() };
        fresh.push(job.key);
      } else {
        failing[job.key] = entry;
      }
    }
  }
  const blocked = failures.filter((f) => !f.setAside);
  const cursorMoved = blocked.length === 0 && !stopped;
  // Stopped early: the cursor goes only as far as the slices it finished (never back).
  const stoppedCursor =
    reached !== undefined && (snapshot.cursor === undefined || reached > snapshot.cursor) ? reached : snapshot.cursor;
  const cursor = cursorMoved ? startedAt : stopped && blocked.length === 0 ? stoppedCursor : snapshot.cursor;
  if (stopped) {
    // Jobs it did not reach keep their count of failed sweeps.
    for (const [key, entry] of Object.entries(snapshot.failing)) if (!handled.has(key)) failing[key] = entry;
    count(deps.metrics, 'SweepStoppedAtDeadline');
    deps.logger.warn('sweep stopped before the Lambda timeout with jobs left; the next sweep goes on from its cursor', {
      seen,
      cursor: cursor?.toISOString(),
    });
  }
  count(deps.metrics, 'SweepJobsSeen', seen);
  count(deps.metrics, 'SweepJobsFailed', failures.length);
  count(deps.metrics, 'SweepJobsSetAside', fresh.length);
  if (!deps.dryRun) {
    const call = ledgerCall(deps);
    const saved = await deps.state.save(snapshot, { cursor, failing, setAside }, call);
    if (!saved) deps.logger.warn('sweep state not saved: another sweep saved first; its state stands');
    // This sweep's set-asides, and any whose alert an earlier sweep could not publish.
    const owed = Object.entries(setAside).filter(([key, job]) => job.alertedAt === undefined || fresh.includes(key));
    for (const [key, job] of saved ? owed : []) {
      try {
        await deps.state.tellSetAside(key, () => deps.tell(key, job), call);
      } catch (error) {
        // The flag was given back: the next sweep tells. The sweep itself did its work.
        deps.logger.error('set-aside alert not published; the next sweep tries again', { key, error });
      }
    }
  }
  const run = { seen, outcomes, failures, skippedSetAside, cursorMoved, ...(stopped ? { stoppedAt: { cursor } } : {}) };
  deps.logger.info('sweep finished', { ...run, since: snapshot.cursor?.toISOString() });
  if (blocked.length > 0) throw new SweepIncompleteError(blocked);
  return run;
}
