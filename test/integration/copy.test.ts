import { describe, expect, it } from 'vitest';
import {
  backupJob,
  COPY,
  callsAbout,
  copyJobsOf,
  HOUR,
  inputOf,
  sandboxPerFile,
  seedCompletedBackup,
} from './support.js';

const HOME = '111122223333';
const DR_ACCOUNT = '222233334444';
const WEST = `arn:aws:backup:us-west-2:${HOME}:backup-vault:local-dr`;
const STAGING = `arn:aws:backup:eu-west-1:${HOME}:backup-vault:staging`;
const DR = `arn:aws:backup:eu-west-1:${DR_ACCOUNT}:backup-vault:dr`;

// One rule per case, told apart by the source vault (README, "Copy rules").
const RULES = [
  { name: 'to-west', match: { sourceVault: 'prod-direct' }, destinations: [{ vaultArn: WEST }] },
  {
    name: 'dr-eu',
    match: { sourceVault: 'prod-hops', regions: ['us-east-1'] },
    destinations: [{ vaultArn: DR, via: [STAGING], lifecycle: { deleteAfterDays: 35 } }],
  },
];

const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(RULES) } }, (started) => {
  const { store } = started.backup;
  store.addVault({ account: HOME, region: 'us-west-2', name: 'local-dr' });
  store.addVault({ account: HOME, region: 'eu-west-1', name: 'staging' });
  store.addVault({ account: DR_ACCOUNT, region: 'eu-west-1', name: 'dr' });
});

describe('copies by rules, over real HTTP with the real bundle', () => {
  it('copies a completed backup once into the vault its rule names', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'copy-0001', 'prod-direct');
    await sandbox().runUntil(sandbox().clock.ms() + HOUR);

    const backup = backupJob(sandbox(), seeded.jobId);
    const point = backup.RecoveryPointArn ?? '';
    expect(backup.State).toBe('COMPLETED');
    const starts = callsAbout(sandbox(), 'StartCopyJob', point);
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({ caller: COPY, status: 200, region: 'us-east-1', account: HOME });
    expect(inputOf(starts[0])).toMatchObject({
      RecoveryPointArn: point,
      SourceBackupVaultName: 'prod-direct',
      DestinationBackupVaultArn: WEST,
      IamRoleArn: `arn:aws:iam::${HOME}:role/service-role/AWSBackupDefaultServiceRole`,
    });
    expect(inputOf(starts[0]).IdempotencyToken).toEqual(expect.any(String));

    const copies = copyJobsOf(sandbox(), seeded.arn);
    expect(copies).toHaveLength(1);
    expect(copies[0]?.job).toMatchObject({ State: 'COMPLETED', DestinationBackupVaultArn: WEST });
    // The copy's COMPLETED event ends the route: nothing more is started from us-west-2.
    expect(
      sandbox()
        .calls.list({ operation: 'StartCopyJob' })
        .filter((c) => c.region === 'us-west-2'),
    ).toEqual([]);
  }, 30_000);

  it('runs a two-hop route: hop 1 into another Region, hop 2 from there when hop 1 completes', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'copy-0002', 'prod-hops');
    await sandbox().runUntil(sandbox().clock.ms() + 3 * HOUR);

    const backup = backupJob(sandbox(), seeded.jobId);
    const point = backup.RecoveryPointArn ?? '';
    expect(backup.State).toBe('COMPLETED');
    const copies = copyJobsOf(sandbox(), seeded.arn);
    expect(copies.map((c) => [c.account, c.region, c.job.DestinationBackupVaultArn, c.job.State])).toEqual([
      [HOME, 'us-east-1', STAGING, 'COMPLETED'],
      [HOME, 'eu-west-1', DR, 'COMPLETED'],
    ]);
    const [hop1, hop2] = copies.map((c) => c.job);

    const first = callsAbout(sandbox(), 'StartCopyJob', point);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ caller: COPY, status: 200, region: 'us-east-1' });
    expect(inputOf(first[0])).toMatchObject({
      SourceBackupVaultName: 'prod-hops',
      DestinationBackupVaultArn: STAGING,
      Lifecycle: { DeleteAfterDays: 35 },
    });

    // Hop 2 copies hop 1's recovery point, signed for the Region it landed in.
    const second = callsAbout(sandbox(), 'StartCopyJob', hop1?.DestinationRecoveryPointArn ?? '');
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ caller: COPY, status: 200, region: 'eu-west-1', account: HOME });
    expect(inputOf(second[0])).toMatchObject({
      RecoveryPointArn: hop1?.DestinationRecoveryPointArn ?? '',
      SourceBackupVaultName: 'staging',
      DestinationBackupVaultArn: DR,
      Lifecycle: { DeleteAfterDays: 35 },
    });
    expect(inputOf(second[0]).IdempotencyToken).not.toBe(inputOf(first[0]).IdempotencyToken);

    // Hop 2 was started by hop 1's COMPLETED event, which AWS sends in hop 1's (source) Region.
    const trigger = sandbox().invocations.find(
      (i) =>
        i.function === COPY &&
        i.trigger === 'rule:CopyJobCompleted' &&
        JSON.stringify(i.event).includes(hop1?.CopyJobId ?? ''),
    );
    expect(trigger?.outcome.ok).toBe(true);
    // Hop 2's own events go to eu-west-1's bus, where this stack has no rule.
    expect(sandbox().elsewhere.some((e) => JSON.stringify(e).includes(hop2?.CopyJobId ?? ''))).toBe(true);
    // The final copy is a recovery point of the DR account, in its vault.
    const final = sandbox().backup.store.recoveryPoint(
      DR_ACCOUNT,
      'eu-west-1',
      hop2?.DestinationRecoveryPointArn ?? '',
    );
    expect(final?.point.BackupVaultName).toBe('dr');
  }, 30_000);
});
