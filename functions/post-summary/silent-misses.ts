import type { BackupJob } from '../../shared/backup/index.js';
import { protectedResourceLink } from '../../shared/console-links.js';
import { TopN } from './capped.js';
import type { Capped, SilentMiss } from './report.js';

interface Candidate {
  resourceArn: string;
  resourceType?: string;
  accountId: string;
  region: string;
  vault?: string;
  lastBackupAt: number;
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
    const known = this.#missing.get(key);
    if (known) {
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
    });
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
