import { describe, expect, it } from 'vitest';
import { SilentMissTracker } from '../../../functions/post-summary/silent-misses.js';
import { cronInstants } from '../../../shared/schedule/cron-engine.js';
import { ACCOUNT, aBackupJob, PREVIOUS_SINCE, REGION, SINCE, UNTIL, volumeArn } from './builders.js';

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

describe('SilentMissTracker.dropNotDue', () => {
  // The window: Monday 2026-11-23 08:00 UTC to Tuesday 08:00; the previous backups are Sunday's.
  const byRule = (n: number, hours: number, cron: string | undefined, timezone = 'UTC') =>
    previousBackup(n, hours, {
      CreatedBy: {
        BackupPlanId: 'plan-1',
        BackupRuleId: `rule-${cron}`,
        ...(cron ? { BackupRuleCron: cron } : {}),
        BackupRuleTimezone: timezone,
      },
    });
  const missedAfterDrop = async (jobs: ReturnType<typeof byRule>[]) => {
    const tracker = new SilentMissTracker();
    for (const job of jobs) tracker.addPreviousJob(job, REGION);
    await tracker.dropNotDue({ since: SINCE, until: UNTIL }, cronInstants);
    return tracker.result(10).items.map((m) => m.resourceArn);
  };

  it.each([
    { rule: 'a weekly cron, the day after its run', cron: 'cron(0 10 ? * SUN *)', missed: false },
    { rule: 'a daily cron', cron: 'cron(0 10 * * ? *)', missed: true },
    { rule: 'a bare six-field cron, as BackupRuleCron may give it', cron: '0 10 * * ? *', missed: true },
    { rule: 'a weekly rate anchored on the last backup', cron: 'rate(7 days)', missed: false },
    { rule: 'a 12-hour rate', cron: 'rate(12 hours)', missed: true },
    { rule: 'an unreadable schedule', cron: 'cron(not a schedule)', missed: true },
    { rule: 'no schedule on the record', cron: undefined, missed: true },
  ])('$rule: missed $missed', async ({ cron, missed }) => {
    expect(await missedAfterDrop([byRule(1, 2, cron)])).toEqual(missed ? [volumeArn(1)] : []);
  });

  it('reads the rule on its time zone: Monday 10:00 in Tokyo is 01:00 UTC, before the window', async () => {
    expect(await missedAfterDrop([byRule(1, 8, 'cron(0 10 ? * MON *)', 'Asia/Tokyo')])).toEqual([]);
    expect(await missedAfterDrop([byRule(1, 8, 'cron(0 10 ? * MON *)', 'UTC')])).toEqual([volumeArn(1)]);
  });

  it('keeps a resource when any of its rules was due, or any of its backups had no known rule', async () => {
    const weekly = 'cron(0 10 ? * SUN *)';
    expect(await missedAfterDrop([byRule(1, 2, weekly), byRule(1, 3, 'cron(0 11 * * ? *)')])).toEqual([volumeArn(1)]);
    expect(await missedAfterDrop([byRule(1, 2, weekly), previousBackup(1, 3, { CreatedBy: undefined })])).toEqual([
      volumeArn(1),
    ]);
  });
});
