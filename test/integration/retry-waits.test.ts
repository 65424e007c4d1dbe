import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import {
  backupJob,
  backupJobsOf,
  callsAbout,
  HOUR,
  inputOf,
  publishedAbout,
  RETRY,
  RETRYABLE_MESSAGE,
  sandboxPerFile,
  seedResource,
} from './support.js';

const sandbox = sandboxPerFile();

/** A volume whose backup into its own vault fails retryably while a long backup into another vault waits behind it. */
const seedBehindLongJob = (name: string, runMinutes: number, s: Sandbox = sandbox()) => {
  const resource = seedResource(s, name, `vault-${name}`);
  const { store, outcomes } = s.backup;
  if (!store.vault(resource.account, resource.region, 'long-term')) {
    store.addVault({ account: resource.account, region: resource.region, name: 'long-term' });
  }
  const failed = store.createBackupJob({
    account: resource.account,
    region: resource.region,
    resourceArn: resource.arn,
    vaultName: resource.vaultName,
    outcome: { state: 'FAILED', statusMessage: RETRYABLE_MESSAGE },
  });
  // Another plan's (or a person's) backup of the same volume into another vault, queued behind it
  // (AWS runs one job per resource): it runs, for hours, from the moment the first one fails.
  const long = store.createBackupJob({
    account: resource.account,
    region: resource.region,
    resourceArn: resource.arn,
    vaultName: 'long-term',
    outcome: { state: 'COMPLETED', runMinutes },
  });
  outcomes.forResource(resource.arn, { state: 'COMPLETED' });
  return { ...resource, longJobId: long.job.BackupJobId, jobId: failed.job.BackupJobId };
};

describe('a failed backup while another job runs for the resource, over real HTTP with the real bundle', () => {
  it('waits, an hour at a time, and is retried into its own vault once the other job is done', async () => {
    const seeded = seedBehindLongJob('behind-long', 5 * 60);
    await sandbox().runUntil(sandbox().clock.ms() + 10 * HOUR);

    const long = backupJob(sandbox(), seeded.longJobId);
    expect(long.State).toBe('COMPLETED');
    // Each look again is its own schedule, an hour after the last; none is a retry attempt of its own.
    const schedules = callsAbout(sandbox(), 'CreateSchedule', seeded.jobId);
    const names = schedules.map((call) => String(inputOf(call).Name));
    expect(names.length).toBeGreaterThanOrEqual(4);
    expect(names.every((name) => /-a1-w\d+$/.test(name))).toBe(true);
    expect(new Set(names).size).toBe(names.length);

    // Then exactly one start, into the failed job's own vault, after the other job completed.
    const starts = callsAbout(sandbox(), 'StartBackupJob', seeded.arn);
    expect(starts).toHaveLength(1);
    expect(inputOf(starts[0])).toMatchObject({ ResourceArn: seeded.arn, BackupVaultName: seeded.vaultName });
    expect(starts[0]?.at).toBeGreaterThanOrEqual(long.CompletionDate?.getTime() ?? Number.POSITIVE_INFINITY);
    const mine = backupJobsOf(sandbox(), seeded.arn).filter((job) => job.BackupVaultName === seeded.vaultName);
    expect(mine.map((job) => job.State)).toEqual(['FAILED', 'COMPLETED']);
    expect(publishedAbout(sandbox(), seeded.arn)).toEqual([]);
    expect(sandbox().failed).toEqual([]);
  }, 60_000);

  it('a look again delivered twice schedules the next look once and starts the retry once', async () => {
    const seeded = seedBehindLongJob('behind-twice', 3 * 60);
    await sandbox().runUntil(sandbox().clock.ms() + 90 * 60_000);
    // The first look again has fired; Scheduler delivers at least once: deliver its input again.
    const first = callsAbout(sandbox(), 'CreateSchedule', seeded.jobId).find((call) =>
      /-w1$/.test(String(inputOf(call).Name)),
    );
    const target = inputOf(first).Target as { Input: string };
    const again = await sandbox().invoke(RETRY, JSON.parse(target.Input), 'direct');
    expect(again.outcome).toMatchObject({ ok: true, result: { result: 'waiting', attempt: 1 } });
    await sandbox().runUntil(sandbox().clock.ms() + 6 * HOUR);

    const created = callsAbout(sandbox(), 'CreateSchedule', seeded.jobId).filter((call) => call.status === 200);
    const names = created.map((call) => String(inputOf(call).Name));
    expect(names.filter((name) => /-w2$/.test(name))).toHaveLength(1);
    expect(new Set(names).size).toBe(names.length);
    const starts = callsAbout(sandbox(), 'StartBackupJob', seeded.arn).filter((call) => call.status === 200);
    expect(new Set(starts.map((call) => inputOf(call).IdempotencyToken)).size).toBe(1);
    expect(
      backupJobsOf(sandbox(), seeded.arn)
        .filter((job) => job.BackupVaultName === seeded.vaultName)
        .map((j) => j.State),
    ).toEqual(['FAILED', 'COMPLETED']);
    expect(sandbox().failed).toEqual([]);
  }, 60_000);
});

describe('a look again that finds the resource free before the attempt is due', () => {
  // A backoff of 4 hours: attempt 1 is due 4 hours after the failure, the other job ends after 1.
  const slow = sandboxPerFile({ parameterOverrides: { RetryBackoffMinutes: '240' } });

  it('schedules the attempt for its backoff time instead of starting it early', async () => {
    const seeded = seedBehindLongJob('free-early', 60, slow());
    await slow().runUntil(slow().clock.ms() + 8 * HOUR);

    const failed = backupJob(slow(), seeded.jobId);
    const due = (failed.CompletionDate?.getTime() ?? 0) + 240 * 60_000;
    const names = callsAbout(slow(), 'CreateSchedule', seeded.jobId).map((call) => String(inputOf(call).Name));
    expect(names.some((name) => /-a1-w1$/.test(name))).toBe(true);
    expect(names.some((name) => /-a1$/.test(name))).toBe(true);
    const starts = callsAbout(slow(), 'StartBackupJob', seeded.arn);
    expect(starts).toHaveLength(1);
    expect(starts[0]?.at).toBeGreaterThanOrEqual(due);
    expect(slow().failed).toEqual([]);
  }, 60_000);
});
