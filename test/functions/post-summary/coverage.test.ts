import { describe, expect, it } from 'vitest';
import { CoverageTracker } from '../../../functions/post-summary/coverage.js';
import {
  ACCOUNT,
  aBackupJob,
  aCopyJob,
  backupJobs,
  OTHER_ACCOUNT,
  REGION,
  recoveryPointArn,
  SINCE,
  volumeArn,
} from './builders.js';

const HOUR_MS = 3_600_000;
const at = (hours: number) => new Date(SINCE.getTime() + hours * HOUR_MS);
/** A completed copy of backup `id`'s recovery point. */
const copyOf = (id: string, overrides: Parameters<typeof aCopyJob>[0] = {}) =>
  aCopyJob({ CopyJobId: `copy-of-${id}`, SourceRecoveryPointArn: recoveryPointArn(id), ...overrides });

describe('CoverageTracker', () => {
  it('has no ratio when no recovery point completed', () => {
    const tracker = new CoverageTracker(10);
    tracker.addBackupJob(aBackupJob({ State: 'FAILED' }), REGION);
    tracker.addBackupJob(aBackupJob({ RecoveryPointArn: undefined }), REGION);
    expect(tracker.result()).toEqual({ recoveryPoints: 0, copied: 0, ratio: null, uncopied: { items: [], more: 0 } });
  });

  it('counts a recovery point as copied only when a completed copy names it as its source', () => {
    const tracker = new CoverageTracker(10);
    tracker.addCopyJob(copyOf('b-0'));
    tracker.addCopyJob(copyOf('b-1', { State: 'FAILED' }));
    tracker.addCopyJob(copyOf('b-2', { State: 'RUNNING' }));
    tracker.addCopyJob(aCopyJob({ SourceRecoveryPointArn: undefined }));
    for (const job of backupJobs(4)) tracker.addBackupJob(job, REGION);
    const result = tracker.result();
    expect(result).toMatchObject({ recoveryPoints: 4, copied: 1, ratio: 0.25 });
    expect(result.uncopied.items.map((i) => i.recoveryPointArn)).toEqual(
      ['b-1', 'b-2', 'b-3'].map((id) => recoveryPointArn(id)),
    );
  });

  it('joins a copy to its backup by CreatedByBackupJobId, the recovery point join as the fallback', () => {
    // Prepare: b-0's copy names its backup job; b-1's copy (an older record) only its source recovery point
    const tracker = new CoverageTracker(10);
    tracker.addCopyJob(aCopyJob({ CopyJobId: 'c-0', CreatedByBackupJobId: 'b-0', SourceRecoveryPointArn: undefined }));
    tracker.addCopyJob(copyOf('b-1'));
    tracker.addCopyJob(aCopyJob({ CopyJobId: 'c-2', CreatedByBackupJobId: 'b-2', State: 'FAILED' }));
    // Act
    for (const job of backupJobs(3)) tracker.addBackupJob(job, REGION);
    // Assess
    const result = tracker.result();
    expect(result).toMatchObject({ recoveryPoints: 3, copied: 2 });
    expect(result.uncopied.items.map((i) => i.recoveryPointArn)).toEqual([recoveryPointArn('b-2')]);
  });

  it("counts the copy AWS makes on its own into a LAG vault that is the plan's primary target", () => {
    // Prepare: AWS copies a temporary snapshot (not the backup's recovery point) into the LAG vault
    // (lag-vault-primary-backup.html); only CreatedByBackupJobId names the backup job.
    const lag = 'arn:aws:backup:us-east-1:111122223333:backup-vault:lag-primary';
    const tracker = new CoverageTracker(10);
    tracker.addCopyJob(
      aCopyJob({
        CopyJobId: 'auto-1',
        CreatedByBackupJobId: 'lag-job',
        SourceRecoveryPointArn: 'arn:aws:ec2:us-east-1::snapshot/snap-0temporary',
        DestinationBackupVaultArn: lag,
        DestinationVaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
      }),
    );
    // Act
    tracker.addBackupJob(
      aBackupJob({
        BackupJobId: 'lag-job',
        BackupVaultName: 'lag-primary',
        VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
      }),
      REGION,
    );
    // Assess
    expect(tracker.result()).toMatchObject({ recoveryPoints: 1, copied: 1, ratio: 1 });
  });

  it('joins on the exact ARN: a near-identical one is not a copy', () => {
    const tracker = new CoverageTracker(10);
    tracker.addCopyJob(aCopyJob({ SourceRecoveryPointArn: `${recoveryPointArn('b-0')}x` }));
    tracker.addBackupJob(aBackupJob({ BackupJobId: 'b-0' }), REGION);
    expect(tracker.result().copied).toBe(0);
  });

  it('lists the uncopied oldest first (by completion, else creation), then by ARN, capped with a count', () => {
    const tracker = new CoverageTracker(2);
    tracker.addBackupJob(aBackupJob({ BackupJobId: 'late', CompletionDate: at(9) }), REGION);
    tracker.addBackupJob(aBackupJob({ BackupJobId: 'b', CompletionDate: at(2) }), REGION);
    tracker.addBackupJob(aBackupJob({ BackupJobId: 'a', CompletionDate: at(2) }), REGION);
    tracker.addBackupJob(aBackupJob({ BackupJobId: 'early', CompletionDate: undefined, CreationDate: at(1) }), REGION);
    const { uncopied } = tracker.result();
    expect(uncopied.items.map((i) => i.recoveryPointArn)).toEqual([recoveryPointArn('early'), recoveryPointArn('a')]);
    expect(uncopied.more).toBe(2);
  });

  it('names what an uncopied recovery point protects and where it is', () => {
    const tracker = new CoverageTracker(10);
    tracker.addBackupJob(aBackupJob(), 'eu-central-1');
    tracker.addBackupJob(
      aBackupJob({
        BackupJobId: 'bare',
        CompletionDate: at(3),
        ResourceArn: undefined,
        ResourceType: undefined,
        BackupVaultName: undefined,
        AccountId: undefined,
      }),
      REGION,
    );
    expect(tracker.result().uncopied.items).toEqual([
      {
        recoveryPointArn: recoveryPointArn('b-0001'),
        resourceArn: volumeArn(1),
        resourceType: 'EBS',
        vault: 'Default',
        accountId: ACCOUNT,
        region: 'eu-central-1',
      },
      { recoveryPointArn: recoveryPointArn('bare'), accountId: 'unknown', region: REGION },
    ]);
  });

  it("leaves out the accounts it is told not to count (organization scope lists only this account's copies)", () => {
    const tracker = new CoverageTracker(10, (account) => account === ACCOUNT);
    tracker.addBackupJob(aBackupJob({ BackupJobId: 'mine' }), REGION);
    tracker.addBackupJob(aBackupJob({ BackupJobId: 'theirs', AccountId: OTHER_ACCOUNT }), REGION);
    expect(tracker.result()).toMatchObject({ recoveryPoints: 1, copied: 0, ratio: 0 });
  });
});
