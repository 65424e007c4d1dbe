import type { BackupJob, CopyJob } from '../../shared/backup/index.js';
import { TopN } from './capped.js';
import type { CopyCoverage, UncopiedRecoveryPoint } from './report.js';

/** Oldest first (the longest without a copy), then by ARN for a stable order. */
function byAge(a: { time: number; arn: string }, b: { time: number; arn: string }): number {
  return a.time - b.time || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
}

/**
 * Copy coverage: the share of recovery points completed in the window that have a completed copy.
 *
 * Join: a completed copy job that names the backup job that made it (`CreatedByBackupJobId`, set
 * for a plan's scheduled copies and for the copies AWS makes on its own into a logically air-gapped
 * vault: API_CopyJob) goes into a Set of backup job ids; one without it (older records, on-demand
 * copies such as the copy function's) goes into a Set of its `SourceRecoveryPointArn`. A completed
 * backup job is copied when its BackupJobId or its RecoveryPointArn is in the matching Set. Each
 * copy adds one key, so memory stays that of the recovery-point join alone.
 *
 * The job-id join is what counts a logically air-gapped (LAG) vault as a plan's primary target:
 * for resources AWS Backup does not fully manage, AWS takes a temporary snapshot and copies it into
 * the LAG vault itself (lag-vault-primary-backup.html), so that copy's source recovery point is the
 * temporary snapshot, never the backup job's RecoveryPointArn, and only CreatedByBackupJobId ties it
 * to the backup job (whose VaultType is LOGICALLY_AIR_GAPPED_BACKUP_VAULT).
 *
 * A copy job lives in the source account and Region (recov-point-create-a-copy), so a Region's copy
 * jobs must all be added before its backup jobs. Only the capped list of uncopied recovery points
 * keeps details.
 *
 * Exact keys, not a 52-bit hash: a hash collision would silently count an uncopied recovery point
 * as copied, and the strings keep the growth well under the benchmark's limit. `npm run bench`
 * (bench/summary-aggregate), peak heap growth at 1,000 / 10,000 / 100,000 jobs, hash then ARN strings:
 * 0.29 / 1.90 / 3.50 MiB then 0.23 / 2.43 / 9.56 MiB; with `-- --distinct`, 0.16 / 1.98 / 7.43 MiB then
 * 0.34 / 2.34 / 11.85 MiB (limit 16 MiB). With the job-id join (2026-12-01, same bench): 1,000 / 10,000 /
 * 100,000 jobs 0.39 / 4.71 / 12.13 MiB when the copies carry no CreatedByBackupJobId, 0.44 / 4.30 /
 * 6.31 MiB when every copy does (the bench's job ids are shorter than AWS's 36-character UUIDs, which
 * are still about half an ARN), coverage 44,000 of 90,000 either way: no hash needed.
 */
export class CoverageTracker {
  readonly #copiedPoints = new Set<string>();
  readonly #copiedJobs = new Set<string>();
  readonly #uncopied: TopN<{ time: number; arn: string }, UncopiedRecoveryPoint>;
  readonly #counts: (accountId: string | undefined) => boolean;
  #recoveryPoints = 0;
  #withCopy = 0;

  /**
   * @param counts - which accounts' recovery points count: in organization scope the copy jobs are
   *   listed for this account only, so other accounts' recovery points would all look uncopied.
   */
  constructor(maxListed: number, counts: (accountId: string | undefined) => boolean = () => true) {
    this.#uncopied = new TopN(maxListed, byAge);
    this.#counts = counts;
  }

  addCopyJob(job: CopyJob): void {
    if (job.State !== 'COMPLETED') return;
    if (job.CreatedByBackupJobId) this.#copiedJobs.add(job.CreatedByBackupJobId);
    else if (job.SourceRecoveryPointArn) this.#copiedPoints.add(job.SourceRecoveryPointArn);
  }

  addBackupJob(job: BackupJob, region: string): void {
    const arn = job.RecoveryPointArn;
    if (job.State !== 'COMPLETED' || !arn || !this.#counts(job.AccountId)) return;
    this.#recoveryPoints += 1;
    if ((job.BackupJobId !== undefined && this.#copiedJobs.has(job.BackupJobId)) || this.#copiedPoints.has(arn)) {
      this.#withCopy += 1;
      return;
    }
    this.#uncopied.offer({ time: (job.CompletionDate ?? job.CreationDate)?.getTime() ?? 0, arn }, () => ({
      recoveryPointArn: arn,
      ...(job.ResourceArn ? { resourceArn: job.ResourceArn } : {}),
      ...(job.ResourceType ? { resourceType: job.ResourceType } : {}),
      ...(job.BackupVaultName ? { vault: job.BackupVaultName } : {}),
      accountId: job.AccountId ?? 'unknown',
      region,
    }));
  }

  result(): CopyCoverage {
    return {
      recoveryPoints: this.#recoveryPoints,
      copied: this.#withCopy,
      ratio: this.#recoveryPoints === 0 ? null : this.#withCopy / this.#recoveryPoints,
      uncopied: this.#uncopied.result(),
    };
  }
}
