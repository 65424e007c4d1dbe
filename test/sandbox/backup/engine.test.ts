import { describe, expect, it } from 'vitest';
import { ACCOUNT, HOUR, MINUTE, REGION, START, sandbox, volume } from './helpers.js';

const states = (events: readonly { 'detail-type': string; detail: Record<string, unknown> }[], id: string) =>
  events
    .filter((e) => e.detail.backupJobId === id || e.detail.copyJobId === id)
    .map((e) => String(e.detail.state ?? e.detail.status));

describe('BackupEngine', () => {
  it('moves a backup job CREATED → PENDING → RUNNING → COMPLETED, one event per change, with progress', () => {
    const { store, engine, backup, call } = sandbox();
    const r = store.createBackupJob({
      account: ACCOUNT,
      region: REGION,
      resourceArn: volume(1),
      vaultName: 'main',
      outcome: { state: 'COMPLETED', pendingMinutes: 2, runMinutes: 60, sizeBytes: 1000 },
    });
    engine.advanceTo(START + 33 * MINUTE);
    expect(r.job.State).toBe('RUNNING');
    const mid = call<{ PercentDone: string; BytesTransferred: number }>('DescribeBackupJob', {
      BackupJobId: r.job.BackupJobId,
    });
    expect(mid.PercentDone).toBe('50.0');
    expect(mid.BytesTransferred).toBe(500);
    engine.advanceTo(START + 2 * HOUR);
    expect(states(backup.events(), r.job.BackupJobId)).toEqual(['CREATED', 'PENDING', 'RUNNING', 'COMPLETED']);
    expect(r.job.CompletionDate?.getTime()).toBe(START + 63 * MINUTE);
    expect(r.job.MessageCategory).toBe('SUCCESS');
    expect(store.recoveryPoint(ACCOUNT, REGION, r.job.RecoveryPointArn ?? '')?.point.Status).toBe('COMPLETED');
  });

  it('runs one job per resource: the next waits in CREATED and expires with AWS message when its window passes', () => {
    const { store, engine } = sandbox();
    const long = store.createBackupJob({
      account: ACCOUNT,
      region: REGION,
      resourceArn: volume(1),
      vaultName: 'main',
      outcome: { state: 'COMPLETED', runMinutes: 10 * 60 },
    });
    engine.advanceBy(5 * MINUTE);
    const queued = store.createBackupJob({
      account: ACCOUNT,
      region: REGION,
      resourceArn: volume(1),
      vaultName: 'main',
      startWindowMinutes: 60,
    });
    const other = store.createBackupJob({
      account: ACCOUNT,
      region: REGION,
      resourceArn: volume(2),
      vaultName: 'main',
      outcome: { state: 'COMPLETED', runMinutes: 60 },
    });
    engine.advanceBy(30 * MINUTE);
    expect(queued.job.State).toBe('CREATED');
    expect(other.job.State).toBe('RUNNING');
    engine.advanceBy(HOUR);
    expect(queued.job.State).toBe('EXPIRED');
    expect(queued.job.StatusMessage).toBe('Backup job failed because there was a running job for the same resource.');
    expect(queued.job.CompletionDate?.getTime()).toBe(START + 65 * MINUTE);
    expect(long.job.State).toBe('RUNNING');
  });

  it('starts a waiting job when the running one ends, inside its window', () => {
    const { store, engine } = sandbox();
    store.createBackupJob({
      account: ACCOUNT,
      region: REGION,
      resourceArn: volume(1),
      vaultName: 'main',
      outcome: { state: 'FAILED', runMinutes: 30 },
    });
    engine.advanceBy(MINUTE);
    const next = store.createBackupJob({ account: ACCOUNT, region: REGION, resourceArn: volume(1), vaultName: 'main' });
    engine.advanceBy(29 * MINUTE);
    expect(next.job.State).toBe('CREATED');
    engine.advanceBy(2 * MINUTE);
    expect(next.job.State).toBe('RUNNING');
    expect(next.job.ExpectedCompletionDate).toBeDefined();
  });

  it('gives recovery points the ARN form of their resource type', () => {
    const { store } = sandbox();
    const arnOf = (resourceArn: string) =>
      store.createBackupJob({ account: ACCOUNT, region: REGION, resourceArn, vaultName: 'main' }).job.RecoveryPointArn;
    expect(arnOf(volume(1))).toMatch(/^arn:aws:ec2:us-east-1::snapshot\/snap-[0-9a-f]{17}$/);
    expect(arnOf(`arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0abc`)).toMatch(/^arn:aws:ec2:us-east-1::image\/ami-/);
    expect(arnOf(`arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`)).toMatch(
      /^arn:aws:rds:us-east-1:111122223333:snapshot:awsbackup:job-[0-9a-f-]{36}$/,
    );
    expect(arnOf(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/t`)).toMatch(
      /^arn:aws:backup:us-east-1:111122223333:recovery-point:[0-9A-F-]{36}$/,
    );
  });

  it("copies a plan backup by its rule's CopyActions into the destination's account and Region", () => {
    const { store, engine, backup } = sandbox();
    const drArn = store.addVault({ account: '999988887777', region: 'eu-west-1', name: 'dr' }).arn;
    const plan = store.addPlan({
      account: ACCOUNT,
      region: REGION,
      name: 'daily',
      rules: [
        { RuleName: 'daily', TargetBackupVaultName: 'main', CopyActions: [{ DestinationBackupVaultArn: drArn }] },
      ],
    });
    const b = store.createBackupJob({
      account: ACCOUNT,
      region: REGION,
      resourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/t`,
      plan: { planId: plan.planId },
    });
    engine.advanceBy(3 * HOUR);
    const copy = store.jobs().find((j) => j.kind === 'copy');
    expect(copy?.kind).toBe('copy');
    if (copy?.kind !== 'copy') return;
    expect(copy.job.CreatedByBackupJobId).toBe(b.job.BackupJobId);
    expect(copy.job.CreatedBy?.BackupPlanName).toBe('daily');
    expect(copy.job.State).toBe('COMPLETED');
    const dest = copy.job.DestinationRecoveryPointArn ?? '';
    expect(dest).toMatch(/^arn:aws:backup:eu-west-1:999988887777:recovery-point:/);
    expect(store.recoveryPoint('999988887777', 'eu-west-1', dest)?.point.BackupVaultName).toBe('dr');
    expect(states(backup.events(), copy.job.CopyJobId)).toEqual(['RUNNING', 'COMPLETED']);
  });

  it('fails a copy into a vault scripted to refuse it, after creating the job', () => {
    const { store, engine, backup } = sandbox();
    const dest = store.addVault({ account: ACCOUNT, region: REGION, name: 'locked' }).arn;
    backup.outcomes.forCopiesInto(dest, {
      state: 'FAILED',
      statusMessage: 'Access denied exception while trying to list tags',
      messageCategory: 'ACCESS_DENIED',
    });
    const point = store.addRecoveryPoint({
      account: ACCOUNT,
      region: REGION,
      vaultName: 'main',
      resourceArn: volume(3),
    });
    const copy = store.createCopyJob({
      account: ACCOUNT,
      region: REGION,
      sourceRecoveryPointArn: point.point.RecoveryPointArn ?? '',
      destinationVaultArn: dest,
      outcome: backup.outcomes.nextCopy(dest),
    });
    engine.advanceBy(HOUR);
    expect(copy.job.State).toBe('FAILED');
    expect(copy.job.MessageCategory).toBe('ACCESS_DENIED');
    const failed = backup.events().find((e) => e.detail.state === 'FAILED');
    expect(failed?.detail.statusMessage).toBe('Access denied exception while trying to list tags');
    expect(failed?.detail.destinationRecoveryPointArn).toEqual({});
  });

  it('plays due changes in time order, then account and job id, whatever the seeding order', () => {
    const run = (order: number[]) => {
      const { store, engine, backup } = sandbox();
      store.addVault({ account: '000000000001', region: REGION, name: 'main' });
      for (const n of order) {
        store.createBackupJob({
          account: n % 2 ? ACCOUNT : '000000000001',
          region: REGION,
          resourceArn: volume(n),
          vaultName: 'main',
        });
      }
      engine.advanceBy(3 * HOUR);
      return backup
        .events()
        .filter((e) => e.detail.state !== 'CREATED')
        .map((e) => `${e.time} ${e.account} ${e.detail.backupJobId} ${e.detail.state}`);
    };
    const a = run([1, 2, 3, 4]);
    expect(a).toEqual(run([4, 3, 2, 1]));
    expect([...a].sort((x, y) => x.slice(0, 20).localeCompare(y.slice(0, 20)))).toEqual(a);
  });

  it('runs timers in time order with job changes, and refuses seeds in the future', () => {
    const { store, engine, shared } = sandbox();
    let seenAt = 0;
    engine.at(START + HOUR, () => {
      seenAt = shared.clock.ms();
      store.createBackupJob({ account: ACCOUNT, region: REGION, resourceArn: volume(9), vaultName: 'main' });
    });
    expect(() =>
      store.createBackupJob({
        account: ACCOUNT,
        region: REGION,
        resourceArn: volume(9),
        vaultName: 'main',
        creationDate: START + MINUTE,
      }),
    ).toThrow(RangeError);
    engine.advanceBy(2 * HOUR);
    expect(seenAt).toBe(START + HOUR);
    expect(store.jobs()[0]?.job.CreationDate.getTime()).toBe(START + HOUR);
  });

  it('moves a restore job through CREATED, PENDING, RUNNING and COMPLETED', () => {
    const { store, engine, backup } = sandbox();
    const point = store.addRecoveryPoint({
      account: ACCOUNT,
      region: REGION,
      vaultName: 'main',
      resourceArn: volume(4),
    });
    const r = store.createRestoreJob({
      account: ACCOUNT,
      region: REGION,
      recoveryPointArn: point.point.RecoveryPointArn ?? '',
      outcome: { state: 'COMPLETED', runMinutes: 10 },
    });
    expect(r.job.Status).toBe('PENDING');
    engine.advanceBy(HOUR);
    const restore = backup.events().filter((e) => e['detail-type'] === 'Restore Job State Change');
    expect(restore.map((e) => e.detail.state ?? e.detail.status)).toEqual([
      'CREATED',
      'PENDING',
      'RUNNING',
      'COMPLETED',
    ]);
    expect(r.job.CreatedResourceArn).toMatch(/^arn:aws:ec2:us-east-1:111122223333:volume\/vol-/);
  });
});
