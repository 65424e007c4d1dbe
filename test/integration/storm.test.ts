import { describe, expect, it } from 'vitest';
import {
  backupJob,
  backupJobsOf,
  COPY,
  callsAbout,
  detailOf,
  eventOf,
  HOUR,
  invocationsAbout,
  MINUTE,
  RETRY,
  sandboxPerFile,
  seedCompletedBackup,
  seedFailedBackup,
} from './support.js';

const STORM = 20;
const WEST = 'arn:aws:backup:us-west-2:111122223333:backup-vault:storm-dr';
const RULES = [{ name: 'storm-dr', match: { sourceVault: 'storm-prod' }, destinations: [{ vaultArn: WEST }] }];

// Five execution environments race at once; the other deliveries queue for them (as under a reserved
// concurrency of 5). Each cold start costs a Node process, so more would only slow the test down.
const sandbox = sandboxPerFile(
  { maxContainers: 5, parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(RULES) } },
  (started) => started.backup.store.addVault({ account: started.account, region: 'us-west-2', name: 'storm-dr' }),
);

/**
 * Keeps AWS Backup's own delivery of a job's events off the bus until `release()`, so the test
 * decides how many identical deliveries there are (EventBridge can deliver one event more than once).
 */
const holdEventsOf = (jobId: string) => {
  let held = true;
  sandbox().bus.lose((event) => held && detailOf(event).backupJobId === jobId);
  return () => {
    held = false;
  };
};

describe(`${STORM} concurrent deliveries of one event`, () => {
  it('of a FAILED backup give one CreateSchedule and, when it fires, one StartBackupJob', async () => {
    const seeded = seedFailedBackup(sandbox(), 'storm-0001');
    const release = holdEventsOf(seeded.jobId);
    await sandbox().runUntil(sandbox().clock.ms() + 2 * MINUTE);
    const event = eventOf(sandbox(), seeded.jobId, 'FAILED');
    release();

    const records = Array.from({ length: STORM }, () => sandbox().putEvent({ ...event }));
    expect(records.every((r) => r.matched.includes(`${RETRY}.BackupJobFailed`))).toBe(true);
    await sandbox().settle();

    const deliveriesOf = (attempt: number) =>
      invocationsAbout(sandbox(), seeded.jobId).filter(
        (i) => i.trigger === 'rule:BackupJobFailed' && i.attempt === attempt,
      );
    const deliveries = deliveriesOf(0);
    expect(deliveries).toHaveLength(STORM);
    expect(new Set(deliveries.map((d) => d.outcome.container)).size).toBeGreaterThan(1);
    const results = deliveries.map((d) => (d.outcome.ok ? (d.outcome.result as { result: string }).result : 'error'));
    expect(results.filter((r) => r === 'scheduled')).toHaveLength(1);
    // The others found the job handled (a duplicate), or claimed and not handled yet: those fail
    // (the holder might have died) and Lambda's retry of each finds it handled.
    const held = deliveries.filter((d) => !d.outcome.ok);
    for (const d of held) expect(JSON.stringify(d.outcome)).toContain('JobInFlightError');
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(STORM - 1 - held.length);
    expect(callsAbout(sandbox(), 'CreateSchedule', seeded.jobId)).toHaveLength(1);
    expect(callsAbout(sandbox(), 'StartBackupJob', seeded.arn)).toEqual([]);

    await sandbox().runUntil(sandbox().clock.ms() + HOUR);
    const retried = deliveriesOf(1);
    expect(retried).toHaveLength(held.length);
    expect(retried.map((d) => d.outcome.ok && (d.outcome.result as { result: string }).result)).toEqual(
      held.map(() => 'duplicate'),
    );
    expect(callsAbout(sandbox(), 'CreateSchedule', seeded.jobId)).toHaveLength(1);
    const starts = callsAbout(sandbox(), 'StartBackupJob', seeded.arn);
    expect(starts).toHaveLength(1);
    expect(starts[0]?.status).toBe(200);
    expect(backupJobsOf(sandbox(), seeded.arn).map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);
  }, 30_000);

  it('of a COMPLETED backup give one StartCopyJob', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'storm-0002', 'storm-prod');
    const release = holdEventsOf(seeded.jobId);
    await sandbox().runUntil(sandbox().clock.ms() + 30 * MINUTE);
    const event = eventOf(sandbox(), seeded.jobId, 'COMPLETED');
    release();

    const records = Array.from({ length: STORM }, () => sandbox().putEvent({ ...event }));
    expect(records.every((r) => r.matched.includes(`${COPY}.BackupJobCompleted`))).toBe(true);
    await sandbox().settle();

    const deliveries = invocationsAbout(sandbox(), seeded.jobId).filter((i) => i.function === COPY);
    expect(deliveries).toHaveLength(STORM);
    expect(new Set(deliveries.map((d) => d.outcome.container)).size).toBeGreaterThan(1);
    expect(deliveries.every((d) => d.outcome.ok)).toBe(true);
    const outcomes = deliveries.flatMap((d) =>
      d.outcome.ok ? (d.outcome.result as { results: { outcome: string }[] }).results.map((r) => r.outcome) : [],
    );
    expect(outcomes.filter((o) => o === 'started')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(STORM - 1);

    const point = backupJob(sandbox(), seeded.jobId).RecoveryPointArn ?? '';
    expect(point).not.toBe('');
    const starts = callsAbout(sandbox(), 'StartCopyJob', point);
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({ status: 200, caller: COPY });
  }, 30_000);
});
