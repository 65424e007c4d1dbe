/**
 * The fields AWS added to job records (aws-facts.md "Since 2025"), end to end over the sandbox:
 * the retry function's next-run check reads the rule's cron and time zone from the failed job's
 * CreatedBy (no GetBackupPlan), falling back to GetBackupPlan for a record without them; the
 * summary's copy coverage joins a copy to its backup by CreatedByBackupJobId, which is the only
 * tie between a backup into a logically air-gapped (LAG) vault and the copy AWS makes on its own
 * from a temporary snapshot (lag-vault-primary-backup.html).
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { callsAbout, HOUR, RETRY, RETRYABLE_MESSAGE, START, sandboxPerFile, seedResource } from './support.js';

const SUMMARY = 'PostSummaryFunction';
const sandbox = sandboxPerFile();

/** A plan whose one rule runs every 4 hours (UTC), targeting `vaultName`. */
const seedPlan = (s: Sandbox, name: string, vaultName: string) =>
  s.backup.store.addPlan({
    account: s.account,
    region: s.region,
    name,
    rules: [
      {
        RuleName: 'every-4h',
        TargetBackupVaultName: vaultName,
        ScheduleExpression: 'cron(0 0/4 ? * * *)',
        ScheduleExpressionTimezone: 'Etc/UTC',
        StartWindowMinutes: 60,
      },
    ],
    creationDate: new Date(0),
  });

/** A backup of a fresh resource by `planId`'s rule that FAILS with a retryable message a minute after now. */
const seedPlannedFailure = (s: Sandbox, name: string, planId: string, vaultName: string) => {
  const resource = seedResource(s, name, vaultName);
  const record = s.backup.store.createBackupJob({
    account: resource.account,
    region: resource.region,
    resourceArn: resource.arn,
    plan: { planId },
    outcome: { state: 'FAILED', statusMessage: RETRYABLE_MESSAGE },
  });
  return { ...resource, record, jobId: record.job.BackupJobId };
};

const retryOutcomeOf = (s: Sandbox, jobId: string) =>
  s.invocations.find((i) => i.function === RETRY && JSON.stringify(i.event).includes(jobId))?.outcome;

describe("the retry's next-run check", () => {
  it("reads the rule's cron from the failed job's CreatedBy: the decision costs no GetBackupPlan", async () => {
    // Prepare: the job fails at about 01:01; the rule runs next at 04:00, within 6 h
    const vaultName = 'vault-fields-cron';
    const plan = seedPlan(sandbox(), 'fields-cron', vaultName);
    const seeded = seedPlannedFailure(sandbox(), 'fields-cron-0001', plan.planId, vaultName);
    expect(seeded.record.job.CreatedBy).toMatchObject({
      BackupPlanName: 'fields-cron',
      BackupRuleName: 'every-4h',
      BackupRuleCron: 'cron(0 0/4 ? * * *)',
      BackupRuleTimezone: 'Etc/UTC',
    });
    // Act
    await sandbox().runUntil(START + HOUR);
    // Assess
    expect(retryOutcomeOf(sandbox(), seeded.jobId)).toMatchObject({
      ok: true,
      result: { result: 'skipped', reason: 'plan-runs-soon' },
    });
    expect(callsAbout(sandbox(), 'DescribeBackupJob', seeded.jobId)).toHaveLength(1);
    expect(callsAbout(sandbox(), 'GetBackupPlan', plan.planId)).toEqual([]);
    expect(callsAbout(sandbox(), 'StartBackupJob', seeded.arn)).toEqual([]);
  }, 30_000);

  it('falls back to GetBackupPlan, once, for a record without the cron (an older job)', async () => {
    // Prepare: the same kind of failure, its record stripped of the 2025 fields
    const vaultName = 'vault-fields-old';
    const plan = seedPlan(sandbox(), 'fields-old', vaultName);
    const seeded = seedPlannedFailure(sandbox(), 'fields-old-0001', plan.planId, vaultName);
    const createdBy = seeded.record.job.CreatedBy as Record<string, unknown>;
    delete createdBy.BackupRuleCron;
    delete createdBy.BackupRuleTimezone;
    // Act
    await sandbox().runUntil(sandbox().clock.ms() + HOUR);
    // Assess: the same decision, from the rule GetBackupPlan returned
    expect(retryOutcomeOf(sandbox(), seeded.jobId)).toMatchObject({
      ok: true,
      result: { result: 'skipped', reason: 'plan-runs-soon' },
    });
    const reads = callsAbout(sandbox(), 'GetBackupPlan', plan.planId);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ caller: RETRY, status: 200 });
  }, 30_000);
});

describe("the summary's copy coverage", () => {
  it('counts the copy AWS makes on its own into a LAG primary vault, joined by CreatedByBackupJobId', async () => {
    // Prepare: a backup into a LAG vault, and AWS's copy of a temporary snapshot into it (its
    // source recovery point is not the backup's); a second backup into a standard vault, uncopied.
    const s = sandbox();
    const { store } = s.backup;
    const lag = store.addVault({
      account: s.account,
      region: s.region,
      name: 'lag-primary',
      vaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
      lockState: 'LOCKED',
    });
    const resource = seedResource(s, 'fields-lag-0001', 'lag-primary');
    const backup = store.createBackupJob({
      account: s.account,
      region: s.region,
      resourceArn: resource.arn,
      vaultName: 'lag-primary',
      outcome: { state: 'COMPLETED', runMinutes: 5 },
    });
    expect(backup.job).toMatchObject({ VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT', VaultLockState: 'LOCKED' });
    store.addVault({ account: s.account, region: s.region, name: 'lag-staging' });
    const temporary = store.addRecoveryPoint({
      account: s.account,
      region: s.region,
      vaultName: 'lag-staging',
      resourceArn: resource.arn,
      resourceType: 'EBS',
    });
    const temporaryArn = temporary.point.RecoveryPointArn ?? '';
    const copy = store.createCopyJob({
      account: s.account,
      region: s.region,
      sourceRecoveryPointArn: temporaryArn,
      destinationVaultArn: lag.arn,
      createdByBackupJobId: backup.job.BackupJobId,
      outcome: { state: 'COMPLETED', runMinutes: 5 },
    });
    expect(copy.job.SourceRecoveryPointArn).not.toBe(backup.job.RecoveryPointArn);
    expect(copy.job).toMatchObject({
      CreatedByBackupJobId: backup.job.BackupJobId,
      DestinationVaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
    });
    const uncopied = seedResource(s, 'fields-lag-0002', 'vault-fields-standard');
    store.createBackupJob({
      account: s.account,
      region: s.region,
      resourceArn: uncopied.arn,
      vaultName: uncopied.vaultName,
      outcome: { state: 'COMPLETED', runMinutes: 5 },
    });
    await s.runUntil(s.clock.ms() + HOUR);
    // Act
    const { outcome } = await s.invoke(SUMMARY, {});
    // Assess: the LAG backup counts as copied; only the standard vault's recovery point is uncopied
    if (!outcome.ok) throw new Error(`the summary failed: ${outcome.error.errorMessage}`);
    expect(outcome.result).toMatchObject({ counts: { uncopied: 1 } });
    const summary = s.sns.published().find((m) => JSON.stringify(m).includes('Copy coverage'));
    const text = JSON.stringify(summary);
    expect(text).toContain('vol-fields-lag-0002');
    expect(text).not.toContain('vol-fields-lag-0001');
  }, 60_000);
});
