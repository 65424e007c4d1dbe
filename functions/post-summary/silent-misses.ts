import { type BackupJob, jobOriginOf } from '../../shared/backup/index.js';
import { protectedResourceLink } from '../../shared/console-links.js';
import { type CronEngine, dueRuns } from '../../shared/schedule/index.js';
import { TopN } from './capped.js';
import type { Capped, SilentMiss } from './report.js';

/** The schedule of a rule that backed the resource up, as the job record names it (CreatedBy). */
interface RuleSchedule {
  readonly expression: string;
  readonly timezone?: string;
  /** When that job was created: a scheduled time of the rule, which anchors a `rate(...)`. */
  readonly anchor: number;
}

interface Candidate {
  resourceArn: string;
  resourceType?: string;
  accountId: string;
  region: string;
  vault?: string;
  lastBackupAt: number;
  /**
   * The rules of its completed backups in the previous window; undefined as soon as one of them is
   * unknown (an on-demand backup, a record without `BackupRuleCron`): nothing then says when it recurs.
   */
  schedules?: RuleSchedule[];
}

function scheduleOf(job: BackupJob, at: number): RuleSchedule | undefined {
  const origin = jobOriginOf(job.CreatedBy);
  if (!origin?.scheduleExpression) return undefined;
  return {
    expression: origin.scheduleExpression,
    ...(origin.timezone ? { timezone: origin.timezone } : {}),
    anchor: at,
  };
}

/**
 * Silent misses: resources that had a COMPLETED backup in the previous window (same length, just
 * before this one) and no job at all, in any state, in this one. No event reports a backup that
 * never ran; only comparing the two windows finds it.
 *
 * Feed every job of this window (`addCurrentJob`) before the previous window's (`addPreviousJob`).
 * Memory grows with resources, never with jobs: a Set of the ARNs of the resources seen now, and one
 * small record per resource missing now. Exact ARNs, not hashes: a hash collision would report a
 * resource that never ran as backed up, the one silent failure this list exists to catch. Measured
 * (`npm run bench -- --distinct`, 100,000 distinct resources): 34 MiB of peak heap growth against
 * 12 MiB with 52-bit hashes, inside the summary function's 512 MB.
 */
export class SilentMissTracker {
  readonly #seen = new Set<string>();
  readonly #missing = new Map<string, Candidate>();

  addCurrentJob(job: BackupJob): void {
    if (!job.ResourceArn) return;
    this.#seen.add(job.ResourceArn);
    // A job of the previous listing can count as this window's (build-report.ts, endedLateInProblem),
    // after that listing's completed jobs of the same resource were offered.
    this.#missing.delete(job.ResourceArn);
  }

  addPreviousJob(job: BackupJob, region: string): void {
    const arn = job.ResourceArn;
    if (job.State !== 'COMPLETED' || !arn) return;
    const key = arn;
    if (this.#seen.has(key)) return;
    const at = job.CreationDate?.getTime() ?? 0;
    const schedule = scheduleOf(job, at);
    const known = this.#missing.get(key);
    if (known) {
      if (known.schedules && schedule) {
        if (!known.schedules.some((s) => s.expression === schedule.expression && s.timezone === schedule.timezone)) {
          known.schedules.push(schedule);
        }
      } else delete known.schedules;
      if (at > known.lastBackupAt) {
        known.lastBackupAt = at;
        if (job.BackupVaultName) known.vault = job.BackupVaultName;
      }
      return;
    }
    this.#missing.set(key, {
      resourceArn: arn,
      ...(job.ResourceType ? { resourceType: job.ResourceType } : {}),
      accountId: job.AccountId ?? 'unknown',
      region,
      ...(job.BackupVaultName ? { vault: job.BackupVaultName } : {}),
      lastBackupAt: at,
      ...(schedule ? { schedules: [schedule] } : {}),
    });
  }

  /**
   * Drops the resources none of whose rules had a run scheduled in [since, until): a weekly rule's
   * resource, the day after its run, is not a backup that never ran (it was a false alarm every
   * week). Every rule must be known and not due: one due rule, one backup from an unknown or
   * unreadable schedule, and the resource stays missed. Call once, after every job was added.
   */
  async dropNotDue(window: { readonly since: Date; readonly until: Date }, engine: CronEngine): Promise<void> {
    // Thousands of missed resources share a few rules: each cron is evaluated once (a rate's runs
    // depend on its anchor too).
    const known = new Map<string, boolean>();
    const isDue = async (schedule: RuleSchedule): Promise<boolean> => {
      const key = `${schedule.expression}\n${schedule.timezone ?? ''}${/^rate/i.test(schedule.expression) ? `\n${schedule.anchor}` : ''}`;
      let due = known.get(key);
      if (due === undefined) {
        due = await evaluate(schedule);
        known.set(key, due);
      }
      return due;
    };
    const evaluate = async (schedule: RuleSchedule): Promise<boolean> => {
      try {
        const runs = await dueRuns(
          {
            scheduleExpression: schedule.expression,
            ...(schedule.timezone ? { timezone: schedule.timezone } : {}),
            // A job is created when its run is scheduled: the runs scheduled in the window.
            startWindowMinutes: 0,
            since: window.since,
            until: window.until,
            anchor: new Date(schedule.anchor),
          },
          engine,
        );
        return runs.runs.length + runs.unanchored > 0;
      } catch {
        return true;
      }
    };
    for (const [arn, candidate] of this.#missing) {
      if (!candidate.schedules) continue;
      let due = false;
      for (const schedule of candidate.schedules) {
        due = await isDue(schedule);
        if (due) break;
      }
      if (!due) this.#missing.delete(arn);
    }
  }

  /** How many resources each account missed (the organization summary's per-account lines). */
  countByAccount(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const c of this.#missing.values()) counts.set(c.accountId, (counts.get(c.accountId) ?? 0) + 1);
    return counts;
  }

  /** The missed resources, longest without a backup first, capped at `maxListed`. */
  result(maxListed: number): Capped<SilentMiss> {
    const top = new TopN<Candidate, SilentMiss>(
      maxListed,
      (a, b) =>
        a.lastBackupAt - b.lastBackupAt || (a.resourceArn < b.resourceArn ? -1 : a.resourceArn > b.resourceArn ? 1 : 0),
    );
    for (const c of this.#missing.values()) {
      top.offer(c, () => ({
        resourceArn: c.resourceArn,
        ...(c.resourceType ? { resourceType: c.resourceType } : {}),
        accountId: c.accountId,
        region: c.region,
        ...(c.vault ? { vault: c.vault } : {}),
        lastBackupAt: new Date(c.lastBackupAt).toISOString(),
        link: protectedResourceLink(c.region, c.resourceArn),
      }));
    }
    return top.result();
  }
}
