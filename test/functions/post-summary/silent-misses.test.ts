import { describe, expect, it } from 'vitest';
import { SilentMissTracker } from '../../../functions/post-summary/silent-misses.js';
import { ACCOUNT, aBackupJob, PREVIOUS_SINCE, REGION, volumeArn } from './builders.js';

const HOUR_MS = 3_600_000;
/** A backup of volume `n` in the previous window, `hours` after it began. */
const previousBackup = (n: number, hours: number, overrides: Parameters<typeof aBackupJob>[0] = {}) =>
  aBackupJob({
    BackupJobId: `prev-${n}-${hours}`,
    ResourceArn: volumeArn(n),
    CreationDate: new Date(PREVIOUS_SINCE.getTime() + hours * HOUR_MS),
    ...overrides,
  });
const link = (arn: string) =>
  `https://${REGION}.console.aws.amazon.com/backup/home?region=${REGION}#/resources/${encodeURIComponent(arn)}`;

describe('SilentMissTracker', () => {
  it('finds a resource backed up in the previous window and with no job at all in this one', () => {
    const tracker = new SilentMissTracker();
    tracker.addCurrentJob(aBackupJob({ ResourceArn: volumeArn(1) }));
    tracker.addPreviousJob(previousBackup(1, 2), REGION);
    tracker.addPreviousJob(previousBackup(2, 2), REGION);
    expect(tracker.result(10)).toEqual({
      items: [
        {
          resourceArn: volumeArn(2),
          resourceType: 'EBS',
          accountId: ACCOUNT,
          region: REGION,
          vault: 'Default',
          lastBackupAt: new Date(PREVIOUS_SINCE.getTime() + 2 * HOUR_MS).toISOString(),
          link: link(volumeArn(2)),
        },
      ],
      more: 0,
    });
  });

  it('does not count a resource whose job this window failed: it ran, and the failure is reported', () => {
    const tracker = new SilentMissTracker();
    tracker.addCurrentJob(aBackupJob({ ResourceArn: volumeArn(1), State: 'FAILED' }));
    tracker.addPreviousJob(previousBackup(1, 2), REGION);
    expect(tracker.result(10).items).toEqual([]);
  });

  it('needs a COMPLETED backup before: a resource that only failed then is not a miss now', () => {
    const tracker = new SilentMissTracker();
    tracker.addPreviousJob(previousBackup(1, 2, { State: 'FAILED' }), REGION);
    tracker.addPreviousJob(previousBackup(2, 2, { ResourceArn: undefined }), REGION);
    expect(tracker.result(10).items).toEqual([]);
  });

  it('lists a resource once, with its latest backup and that backup vault', () => {
    const tracker = new SilentMissTracker();
    tracker.addPreviousJob(previousBackup(1, 9, { BackupVaultName: 'weekly' }), REGION);
    tracker.addPreviousJob(previousBackup(1, 2, { BackupVaultName: 'daily' }), REGION);
    tracker.addPreviousJob(previousBackup(1, 5, { BackupVaultName: 'hourly' }), REGION);
    const { items } = tracker.result(10);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      vault: 'weekly',
      lastBackupAt: new Date(PREVIOUS_SINCE.getTime() + 9 * HOUR_MS).toISOString(),
    });
  });

  it('lists the longest without a backup first, then by ARN, capped with a count', () => {
    const tracker = new SilentMissTracker();
    tracker.addPreviousJob(previousBackup(3, 1), REGION);
    tracker.addPreviousJob(previousBackup(1, 8), REGION);
    tracker.addPreviousJob(previousBackup(2, 1), REGION);
    tracker.addPreviousJob(previousBackup(4, 5), REGION);
    const { items, more } = tracker.result(3);
    expect(items.map((i) => i.resourceArn)).toEqual([volumeArn(2), volumeArn(3), volumeArn(4)]);
    expect(more).toBe(1);
  });

  it('matches the exact ARN: a resource with a longer ARN is another resource', () => {
    const tracker = new SilentMissTracker();
    tracker.addCurrentJob(aBackupJob({ ResourceArn: `${volumeArn(1)}0` }));
    tracker.addPreviousJob(previousBackup(1, 2), REGION);
    expect(tracker.result(10).items.map((i) => i.resourceArn)).toEqual([volumeArn(1)]);
  });
});
