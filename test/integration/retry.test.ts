import { describe, expect, it } from 'vitest';
import {
  backupJob,
  backupJobsOf,
  callsAbout,
  HOUR,
  inputOf,
  MINUTE,
  publishedAbout,
  RETRY,
  START,
  sandboxPerFile,
  seedFailedBackup,
  tokenUses,
} from './support.js';

const sandbox = sandboxPerFile();

describe('a failed backup, over real HTTP with the real bundle', () => {
  it('is retried once at its backoff time, and the retry completes without an alert', async () => {
    const seeded = seedFailedBackup(sandbox(), 'retry-0001');
    await sandbox().runUntil(START + 3 * HOUR);

    const failed = backupJob(sandbox(), seeded.jobId);
    expect(failed.State).toBe('FAILED');
    // RETRY_BACKOFF_MINUTES defaults to 30: attempt 1 no earlier than 30 minutes after the failure.
    const due = new Date((failed.CompletionDate?.getTime() ?? 0) + 30 * MINUTE);

    const schedules = callsAbout(sandbox(), 'CreateSchedule', seeded.jobId);
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ caller: RETRY, status: 200 });
    expect(inputOf(schedules[0]).ScheduleExpression).toBe(`at(${due.toISOString().slice(0, 19)})`);
    expect(inputOf(schedules[0]).ScheduleExpressionTimezone).toBe('UTC');

    const starts = callsAbout(sandbox(), 'StartBackupJob', seeded.arn);
    expect(starts).toHaveLength(1);
    const start = starts[0];
    expect(start).toMatchObject({ caller: RETRY, status: 200, region: sandbox().region, account: sandbox().account });
    expect(start?.at).toBeGreaterThanOrEqual(due.getTime());
    const input = inputOf(start);
    expect(input).toMatchObject({ ResourceArn: seeded.arn, BackupVaultName: seeded.vaultName });
    expect(typeof input.IdempotencyToken).toBe('string');
    expect(input.IdempotencyToken).not.toBe('');

    const uses = tokenUses(sandbox(), input.IdempotencyToken);
    expect(uses).toHaveLength(1);
    expect(uses[0]?.replay).toBe(false);

    const jobs = backupJobsOf(sandbox(), seeded.arn);
    expect(jobs.map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);
    expect(jobs[1]?.BackupJobId).toBe(uses[0]?.jobId);

    // The scheduled invocation says what it did, and nothing was published about the resource.
    const started = sandbox().invocations.find(
      (i) =>
        i.function === RETRY && i.trigger.startsWith('scheduler:') && JSON.stringify(i.event).includes(seeded.jobId),
    );
    expect(started?.outcome).toMatchObject({ ok: true, result: { result: 'started', newJobId: jobs[1]?.BackupJobId } });
    expect(publishedAbout(sandbox(), seeded.arn)).toEqual([]);
    expect(sandbox().failed).toEqual([]);
  }, 30_000);

  it('is not retried when the message says a retry cannot help, and one alert names the resource', async () => {
    const seeded = seedFailedBackup(sandbox(), 'retry-0002', {
      message: 'Insufficient privileges to perform this action.',
    });
    await sandbox().runUntil(sandbox().clock.ms() + 2 * HOUR);

    expect(callsAbout(sandbox(), 'CreateSchedule', seeded.jobId)).toEqual([]);
    expect(callsAbout(sandbox(), 'StartBackupJob', seeded.arn)).toEqual([]);
    const alerts = publishedAbout(sandbox(), seeded.arn);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.caller).toBe(RETRY);
  }, 30_000);
});
