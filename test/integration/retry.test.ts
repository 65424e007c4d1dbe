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
  RETRYABLE_MESSAGE,
  START,
  sandboxPerFile,
  seedFailedBackup,
  seedResource,
  tokenUses,
} from './support.js';

const sandbox = sandboxPerFile();

/**
 * A plan (its one rule monthly on the 15th, so no plan-runs-soon skip, into `vault-<name>`, with
 * `rule`'s fields) whose job of a fresh volume fails retryably.
 */
const seedFailedPlanJob = (name: string, planName: string, rule: Record<string, unknown>) => {
  const s = sandbox();
  const vaultName = `vault-${name}`;
  const plan = s.backup.store.addPlan({
    account: s.account,
    region: s.region,
    name: planName,
    rules: [
      {
        RuleName: 'monthly',
        TargetBackupVaultName: vaultName,
        ScheduleExpression: 'cron(0 5 15 * ? *)',
        StartWindowMinutes: 60,
        ...rule,
      },
    ],
    creationDate: new Date(0),
  });
  const resource = seedResource(s, name, vaultName);
  s.backup.store.createBackupJob({
    account: resource.account,
    region: resource.region,
    resourceArn: resource.arn,
    plan: { planId: plan.planId },
    outcome: { state: 'FAILED', statusMessage: RETRYABLE_MESSAGE },
  });
  return resource;
};

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

  it("a plan's backup whose retries all fail: the one exhausted alert names the plan and rule that made it", async () => {
    // Prepare: a plan's monthly rule (next run December 15, so no plan-runs-soon skip);
    // its job fails retryably, and every retry of the resource fails the same way.
    const s = sandbox();
    const resource = seedFailedPlanJob('retry-0003', 'nightly-prod', {
      RuleName: 'monthly-15th',
      ScheduleExpressionTimezone: 'America/Los_Angeles',
    });
    s.backup.outcomes.forResource(resource.arn, { state: 'FAILED' });
    // Act
    await s.runUntil(s.clock.ms() + 8 * HOUR);
    // Assess: three retries (RETRY_MAX_ATTEMPTS), then one alert, which says which plan and rule
    // the logical backup belongs to, though the job that failed last is the toolkit's on-demand retry.
    expect(callsAbout(s, 'StartBackupJob', resource.arn)).toHaveLength(3);
    const alerts = publishedAbout(s, resource.arn);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toContain('retries exhausted');
    expect(alerts[0]?.message).toContain('Created by: plan nightly-prod, rule monthly-15th');
    expect(s.failed).toEqual([]);
  }, 30_000);

  it("a plan's backup of a type its rule indexes is retried with its index, as the plan would back it up", async () => {
    // API_BackupRule IndexActions (EBS, S3) indexes the plan's backups for search; a retry without
    // StartBackupJob's Index would leave the retried recovery point unindexed.
    const s = sandbox();
    const resource = seedFailedPlanJob('retry-0004', 'indexed-prod', {
      RuleName: 'monthly-indexed',
      IndexActions: [{ ResourceTypes: ['EBS'] }],
    });
    s.backup.outcomes.forResource(resource.arn, { state: 'COMPLETED' });
    await s.runUntil(s.clock.ms() + 3 * HOUR);

    const starts = callsAbout(s, 'StartBackupJob', resource.arn);
    expect(starts).toHaveLength(1);
    expect(starts[0]?.status).toBe(200);
    expect(inputOf(starts[0])).toMatchObject({ BackupVaultName: resource.vaultName, Index: 'ENABLED' });
    expect(s.failed).toEqual([]);
  }, 30_000);
});
