import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { type CopyTrigger, copyToken, legacyCopyToken } from '../../../functions/start-copy-job/decide.js';
import { backupTrigger, copyTrigger, describeSource, withStartedAs } from '../../../functions/start-copy-job/gather.js';
import { type BackupJobStateChange, type CopyJobStateChange, parseBackupEvent } from '../../../shared/events/index.js';
import type { ExactlyOnce } from '../../../shared/ledger/exactly-once.js';
import { sampleEvent } from '../../support/events.js';
import { aCopyDeps, DR_EU, PROD, RP, RP_STAGING, SRC, STAGING, sharingRules, vault } from './builders.js';

const backup = mockClient(BackupClient);
beforeEach(() => backup.reset());

/** The Region of the client each call of `command` went through. */
const regionsOf = (command: Parameters<typeof backup.commandCalls>[0]) =>
  Promise.all(backup.commandCalls(command).map((call) => (call.thisValue as BackupClient).config.region()));

/** A sample event, edited by `edit` (its own copy), parsed as the handler parses it. */
const parsed = <T>(
  file: string,
  edit: (event: Record<string, unknown>, detail: Record<string, unknown>) => void = () => {},
) => {
  const event = sampleEvent(file);
  edit(event, event.detail as Record<string, unknown>);
  return parseBackupEvent(event) as T;
};
const backupEvent = (file: string, edit?: Parameters<typeof parsed>[1]) => parsed<BackupJobStateChange>(file, edit);
const copyEvent = (file: string, edit?: Parameters<typeof parsed>[1]) => parsed<CopyJobStateChange>(file, edit);

const PROD_EU = vault('eu-west-1', SRC, 'prod-daily');

describe('backupTrigger', () => {
  it('takes a completed backup from its event, without an AWS call', async () => {
    await expect(backupTrigger(aCopyDeps(), backupEvent('backup-job.completed.prod-ebs.json'))).resolves.toEqual({
      kind: 'backup',
      completed: true,
      source: { vaultName: 'prod-daily', vaultArn: PROD, resourceType: 'EBS', accountId: SRC, region: 'us-east-1' },
      recoveryPointArn: RP,
    });
    expect(backup.calls()).toHaveLength(0);
  });

  it("takes the recovery point of AWS's published sample from resources[0]", async () => {
    const trigger = await backupTrigger(aCopyDeps(), backupEvent('backup-job.completed.json'));
    expect(trigger.recoveryPointArn).toBe(
      'arn:aws:backup:us-west-2:1112233445566:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56',
    );
    expect(backup.calls()).toHaveLength(0);
  });

  it('describes the job, in its Region, when the event names no recovery point', async () => {
    backup.on(DescribeBackupJobCommand).resolves({
      BackupVaultName: 'prod-daily',
      BackupVaultArn: PROD_EU,
      RecoveryPointArn: RP,
      ResourceType: 'EBS',
    });
    const event = backupEvent('backup-job.completed.prod-ebs.json', (e, detail) => {
      e.region = 'eu-west-1';
      e.resources = [];
      delete detail.backupVaultArn;
      delete detail.resourceType;
    });
    await expect(backupTrigger(aCopyDeps(), event)).resolves.toMatchObject({
      completed: true,
      source: { vaultName: 'prod-daily', vaultArn: PROD_EU, resourceType: 'EBS', region: 'eu-west-1' },
      recoveryPointArn: RP,
    });
    expect(backup).toHaveReceivedCommandWith(DescribeBackupJobCommand, {
      BackupJobId: '7b0c3d2e-5f6a-4b8c-9d0e-1f2a3b4c5d6e',
    });
    expect(await regionsOf(DescribeBackupJobCommand)).toEqual(['eu-west-1']);
  });

  it('names the plan rule from a DescribeBackupJob read anyway (no call just for names)', async () => {
    // Prepare
    backup.on(DescribeBackupJobCommand).resolves({
      BackupVaultName: 'prod-daily',
      RecoveryPointArn: RP,
      CreatedBy: {
        BackupPlanId: 'plan-1',
        BackupRuleId: 'rule-1',
        BackupPlanName: 'daily-prod',
        BackupRuleName: 'nightly',
      },
    });
    const event = backupEvent('backup-job.completed.prod-ebs.json', (e) => {
      e.resources = [];
    });
    // Act
    const trigger = await backupTrigger(aCopyDeps(), event);
    // Assess
    expect(trigger.origin).toMatchObject({ planId: 'plan-1', planName: 'daily-prod', ruleName: 'nightly' });
  });

  it("builds the vault's ARN from the event's Region and account when the event names the vault only", async () => {
    const event = backupEvent('backup-job.completed.prod-ebs.json', (_e, detail) => {
      delete detail.backupVaultArn;
    });
    expect((await backupTrigger(aCopyDeps(), event)).source.vaultArn).toBe(PROD);
    expect(backup.calls()).toHaveLength(0);
  });

  it("builds it in the function's partition (aws-cn), not aws's", async () => {
    const event = backupEvent('backup-job.completed.prod-ebs.json', (e, detail) => {
      delete detail.backupVaultArn;
      e.region = 'cn-north-1';
    });
    const deps = aCopyDeps();
    const inChina = { ...deps, identity: { ...deps.identity, partition: 'aws-cn', region: 'cn-north-1' } };
    expect((await backupTrigger(inChina, event)).source.vaultArn).toMatch(/^arn:aws-cn:backup:cn-north-1:/);
  });

  it('makes no call for a backup that did not complete', async () => {
    const trigger = await backupTrigger(aCopyDeps(), backupEvent('backup-job.running.json'));
    expect(trigger.completed).toBe(false);
    expect(backup.calls()).toHaveLength(0);
  });
});

describe('copyTrigger', () => {
  it('takes a completed hop from its event: the vault it came from and the recovery point it made', async () => {
    await expect(copyTrigger(aCopyDeps(), copyEvent('copy-job.completed.hop-1-to-staging.json'))).resolves.toEqual({
      kind: 'copy',
      completed: true,
      copyJobId: '8F3E2D1C-4B5A-6978-8A9B-0C1D2E3F4A5B',
      // The event's resources[0]: the recovery point the copy was made from, which its hop's token names.
      sourceRecoveryPointArn:
        'arn:aws:backup:us-east-1:111122223333:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45',
      source: { vaultArn: PROD, vaultName: 'prod-daily', resourceType: 'EBS', accountId: SRC, region: 'us-east-1' },
      destinationVaultArn: STAGING,
      recoveryPointArn: RP_STAGING,
    });
    expect(backup.calls()).toHaveLength(0);
  });

  it('describes the copy job when a completed event lacks its source vault', async () => {
    backup.on(DescribeCopyJobCommand).resolves({
      CopyJob: {
        SourceBackupVaultArn: PROD,
        DestinationBackupVaultArn: STAGING,
        DestinationRecoveryPointArn: RP_STAGING,
        ResourceType: 'EBS',
      },
    });
    const event = copyEvent('copy-job.completed.hop-1-to-staging.json', (_e, detail) => {
      delete detail.sourceBackupVaultArn;
    });
    await expect(copyTrigger(aCopyDeps(), event)).resolves.toMatchObject({
      completed: true,
      source: { vaultArn: PROD, region: 'us-east-1' },
      destinationVaultArn: STAGING,
      recoveryPointArn: RP_STAGING,
    });
    expect(backup).toHaveReceivedCommandWith(DescribeCopyJobCommand, {
      CopyJobId: '8F3E2D1C-4B5A-6978-8A9B-0C1D2E3F4A5B',
    });
  });

  it("takes AWS's CREATED sample (no copy job id) as not completed, without a call", async () => {
    const trigger = await copyTrigger(aCopyDeps(), copyEvent('copy-job.created.json'));
    expect(trigger).toMatchObject({ kind: 'copy', completed: false });
    expect(backup.calls()).toHaveLength(0);
  });

  it('is undefined when neither the event nor AWS names the vaults', async () => {
    const event = copyEvent('copy-job.created.json', (_e, detail) => {
      delete detail.sourceBackupVaultArn;
      delete detail.destinationBackupVaultArn;
    });
    await expect(copyTrigger(aCopyDeps(), event)).resolves.toBeUndefined();
  });
});

describe('describeSource', () => {
  const completedBackup: CopyTrigger = {
    kind: 'backup',
    completed: true,
    source: { vaultName: 'prod-daily', vaultArn: PROD, resourceType: 'EBS', accountId: SRC, region: 'us-east-1' },
    recoveryPointArn: RP,
  };

  it('describes the recovery point in the vault, and Region, that holds it', async () => {
    backup.on(DescribeRecoveryPointCommand).resolves({
      Status: 'COMPLETED',
      StorageClass: 'WARM',
      ResourceType: 'EBS',
      ResourceArn: 'arn:aws:ec2:eu-west-1:111122223333:volume/vol-0123456789abcdef0',
      ParentRecoveryPointArn: 'arn:aws:backup:eu-west-1:111122223333:recovery-point:parent',
    });
    const hop2 = { ...completedBackup, recoveryPointArn: RP_STAGING };
    await expect(describeSource(aCopyDeps(), hop2, STAGING)).resolves.toEqual({
      status: 'COMPLETED',
      storageClass: 'WARM',
      resourceType: 'EBS',
      resourceArn: 'arn:aws:ec2:eu-west-1:111122223333:volume/vol-0123456789abcdef0',
      parentRecoveryPointArn: 'arn:aws:backup:eu-west-1:111122223333:recovery-point:parent',
    });
    expect(backup).toHaveReceivedCommandWith(DescribeRecoveryPointCommand, {
      BackupVaultName: 'staging',
      RecoveryPointArn: RP_STAGING,
    });
    expect(await regionsOf(DescribeRecoveryPointCommand)).toEqual(['eu-west-1']);
  });

  it.each([
    ['a trigger that did not complete', { completed: false }],
    ['no recovery point', { recoveryPointArn: undefined }],
    [
      'a continuous backup (StartCopyJob cannot copy it)',
      { recoveryPointArn: `arn:aws:backup:us-east-1:${SRC}:recovery-point:continuous:db-orders-1a2b3c4d` },
    ],
  ])('describes nothing for %s', async (_case, overrides) => {
    await expect(describeSource(aCopyDeps(), { ...completedBackup, ...overrides }, PROD)).resolves.toBeUndefined();
    expect(backup.calls()).toHaveLength(0);
  });
});

describe('withStartedAs', () => {
  // [STAGING] and [DR_EU via STAGING]: now one copy into STAGING serves both routes.
  const sharing = sharingRules();
  const intoStaging = (copyJobId: string): CopyTrigger => ({
    kind: 'copy',
    completed: true,
    source: { vaultName: 'prod-daily', vaultArn: PROD, resourceType: 'EBS', accountId: SRC, region: 'us-east-1' },
    destinationVaultArn: STAGING,
    recoveryPointArn: RP_STAGING,
    copyJobId,
    sourceRecoveryPointArn: RP,
  });
  /** A ledger holding these claim items by key; it records every key read. */
  const ledgerOf = (items: Record<string, Record<string, unknown>>) => {
    const read: string[] = [];
    const ledger = {
      get: async (key: string) => {
        read.push(key);
        return items[key];
      },
    } as unknown as ExactlyOnce;
    return { ledger, read };
  };
  const current = copyToken(RP, STAGING, 1);
  const oldStaging = legacyCopyToken(RP, STAGING, STAGING, 1);
  const oldDr = legacyCopyToken(RP, STAGING, DR_EU, 1);

  it('a hop claimed under its own token reads no older token', async () => {
    const { ledger, read } = ledgerOf({ [`copy#${current}`]: { copyJobId: 'job-1', settled: 'completed' } });
    const trigger = await withStartedAs(aCopyDeps({ ledger }), sharing, intoStaging('job-1'));
    expect(trigger.kind === 'copy' && [...(trigger.startedAs ?? [])]).toEqual([current]);
    expect(read).toEqual([`copy#${current}`]);
  });

  it("an earlier release's two copies into STAGING, one per route: each continues its own route", async () => {
    // That release named the final vault in the token: two claims, two copy jobs.
    const items = {
      [`copy#${oldStaging}`]: {
        copyJobId: 'job-old-staging',
        settled: 'completed',
        region: 'us-east-1',
        accountId: SRC,
      },
      [`copy#${oldDr}`]: { copyJobId: 'job-old-dr', settled: 'completed', region: 'us-east-1', accountId: SRC },
    };
    // Each copy completed: the other route's copy job is not this one made again.
    backup.on(DescribeCopyJobCommand).resolves({ CopyJob: { State: 'COMPLETED' } });
    const asDr = await withStartedAs(aCopyDeps({ ledger: ledgerOf(items).ledger }), sharing, intoStaging('job-old-dr'));
    expect(asDr.kind === 'copy' && [...(asDr.startedAs ?? [])]).toEqual([oldDr]);
    const asStaging = await withStartedAs(
      aCopyDeps({ ledger: ledgerOf(items).ledger }),
      sharing,
      intoStaging('job-old-staging'),
    );
    expect(asStaging.kind === 'copy' && [...(asStaging.startedAs ?? [])]).toEqual([oldStaging]);
  });

  it('a claim under an older token still being answered is raised as in flight', async () => {
    const { ledger } = ledgerOf({ [`copy#${oldDr}`]: { ruleName: 'shared', hop: 1, leaseUntil: 0 } });
    await expect(withStartedAs(aCopyDeps({ ledger }), sharing, intoStaging('job-x'))).rejects.toMatchObject({
      name: 'CopyInFlightError',
    });
  });
  describe('a hop made again after its copy job FAILED (the retry function, or a person)', () => {
    const claimed = { copyJobId: 'job-failed', region: 'us-east-1', accountId: SRC, settled: 'completed' };
    it.each([
      { state: 'FAILED', continues: true },
      { state: 'RUNNING', continues: false },
      { state: 'COMPLETED', continues: false },
    ] as const)(
      'the claimed copy job $state: the completed copy continues the route: $continues',
      async ({ state, continues }) => {
        backup.on(DescribeCopyJobCommand).resolves({ CopyJob: { CopyJobId: 'job-failed', State: state } });
        const { ledger } = ledgerOf({ [`copy#${current}`]: claimed });
        const trigger = await withStartedAs(aCopyDeps({ ledger }), sharing, intoStaging('job-retried'));
        expect(trigger.kind === 'copy' && [...(trigger.startedAs ?? [])]).toEqual(continues ? [current] : []);
        // Asked in the Region and account where the claimed copy job ran.
        expect(backup).toHaveReceivedCommandWith(DescribeCopyJobCommand, { CopyJobId: 'job-failed' });
        expect(await regionsOf(DescribeCopyJobCommand)).toEqual(['us-east-1']);
      },
    );

    it('the claimed copy job itself: no call', async () => {
      const { ledger } = ledgerOf({ [`copy#${current}`]: claimed });
      await withStartedAs(aCopyDeps({ ledger }), sharing, intoStaging('job-failed'));
      expect(backup).not.toHaveReceivedCommand(DescribeCopyJobCommand);
    });
  });
});
