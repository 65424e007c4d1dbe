import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeRestoreJobCommand,
  DescribeScanJobCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRestoreJobsCommand,
  ListScanJobsCommand,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RetryDeps } from '../../../functions/retry-failed-job/deps.js';
import { handleFailedJob } from '../../../functions/retry-failed-job/run.js';
import { sweep } from '../../../functions/retry-failed-job/sweep.js';
import { SweepIncompleteError } from '../../../shared/sweep/run.js';
import { metricsInto } from '../../support/base-deps.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aDescribedBackupJob, aListedScanJob, aRetryDeps, NOW, RESOURCE } from './builders.js';

const backup = mockClient(BackupClient);
const scheduler = mockClient(SchedulerClient);
const sns = mockClient(SNSClient);

// Each test has its own table: the sweep cursor is one item per table.
let table: LedgerTable;
beforeEach(async () => {
  table = await startLedgerTable('retry-sweep');
  backup.reset();
  scheduler.reset();
  sns.reset();
  backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
  backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
  backup.on(ListScanJobsCommand).resolves({ ScanJobs: [] });
  scheduler
    .on(CreateScheduleCommand)
    .resolves({ ScheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/g/n' });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterEach(async () => table.stop());

const HOUR_MS = 3_600_000;
/** Central mode's deployment, as the retry function reads it. */
const CENTRAL = { mode: 'central', memberRoleName: 'backup-autopilot-member', organizationId: 'o-a1b2c3d4e5' } as const;
const listedSince = () => backup.commandCalls(ListBackupJobsCommand).map((c) => c.args[0].input.ByCompleteAfter);

/**
 * Three hourly sweeps in which the part named `key` keeps failing (with `error` in its message): each
 * sweep still handles the home account's failed job `home-1`, the first counts the part once, and the
 * third sets it aside with exactly one alert, `alert`. Returns the third sweep's result.
 */
const setAsideOverThreeSweeps = async (
  sweepAt: (hours: number) => RetryDeps,
  key: string,
  error: string,
  alert: { Subject: string; Message: unknown },
) => {
  const first = await sweep(sweepAt(0)).catch((e: unknown) => e);
  expect(first).toBeInstanceOf(SweepIncompleteError);
  expect((first as SweepIncompleteError).failures).toEqual([
    { key, error: expect.stringContaining(error), count: 1, setAside: false },
  ]);
  // The home account was swept all the same: its failed job was described and judged.
  expect(backup.commandCalls(DescribeBackupJobCommand).map((c) => c.args[0].input.BackupJobId)).toEqual(['home-1']);
  await expect(sweep(sweepAt(1))).rejects.toBeInstanceOf(SweepIncompleteError);
  const third = await sweep(sweepAt(2));
  expect(third.failures).toEqual([expect.objectContaining({ key, count: 3, setAside: true })]);
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toMatchObject(alert);
  return third;
};

describe('sweep, central mode', () => {
  it("a central sweep lists each included member with that member's client", async () => {
    const asked: (string | undefined)[] = [];
    const base = aRetryDeps(table, { deployment: CENTRAL, env: { RETRY_INCLUDE_ACCOUNTS: '444455556666' } });
    const deps = {
      ...base,
      backupClientFor: (region: string, account?: string) => {
        asked.push(account);
        return base.backupClientFor(region, account);
      },
    };
    await sweep(deps);
    expect(new Set(asked)).toEqual(new Set(['111122223333', '444455556666']));
    expect(backup).toHaveReceivedCommandTimes(ListBackupJobsCommand, 4);
  });

  it('a member whose lists fail is one failing job: the others are swept, and after 3 sweeps it is set aside, told once', async () => {
    // The member role was deleted (or the member left): every call with its credentials fails.
    const denied = Object.assign(
      new Error(
        'User: arn:aws:sts::111122223333:assumed-role/x/backup-autopilot-retry-failed-job is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/backup-autopilot-member',
      ),
      { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } },
    );
    const sweepAt = (hours: number) => {
      const base = aRetryDeps(table, {
        deployment: CENTRAL,
        env: { RETRY_INCLUDE_ACCOUNTS: '444455556666' },
        at: new Date(NOW.getTime() + hours * HOUR_MS),
      });
      return {
        ...base,
        backupClientFor: (region: string, account?: string) => {
          const client = base.backupClientFor(region, account);
          if (account !== '444455556666') return client;
          const member = new BackupClient({ region });
          member.send = (() => Promise.reject(denied)) as BackupClient['send'];
          return member;
        },
      };
    };
    backup.on(DescribeBackupJobCommand).resolves(aDescribedBackupJob({ BackupJobId: 'home-1' }));
    backup.on(ListBackupJobsCommand, { ByState: 'FAILED' }).resolves({ BackupJobs: [{ BackupJobId: 'home-1' }] });
    const third = await setAsideOverThreeSweeps(sweepAt, 'place#444455556666#us-east-1', 'AccessDenied: User:', {
      Subject: '[backup-autopilot] retry sweep cannot list account 444455556666 (us-east-1) after 3 sweeps',
      Message: expect.stringContaining('check that the account still has the member role (org/member.yaml)'),
    });
    expect(third.cursorMoved).toBe(true);
    const fourth = await sweep(sweepAt(3));
    expect(fourth).toMatchObject({ failures: [], skippedSetAside: 1, cursorMoved: true });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });
});

describe('sweep, central mode with RETRY_SWEEP_ORGANIZATION', () => {
  const ORG_ENV = { DEPLOYMENT_MODE: 'central', ORGANIZATION_ID: 'o-a1b2c3d4e5', RETRY_SWEEP_ORGANIZATION: 'true' };
  const SILENT = '222233334444';

  it("sweeps a member found only in the organization's list of failed backup jobs, with that member's client", async () => {
    const asked: (string | undefined)[] = [];
    const base = aRetryDeps(table, { deployment: CENTRAL, env: ORG_ENV });
    const deps = {
      ...base,
      backupClientFor: (region: string, account?: string) => {
        asked.push(account);
        return base.backupClientFor(region, account);
      },
    };
    backup
      .on(ListBackupJobsCommand, { ByAccountId: '*', ByState: 'FAILED' })
      .resolves({ BackupJobs: [{ BackupJobId: 'silent-1', AccountId: SILENT }] });
    await sweep(deps);
    // Two organization lists (FAILED, EXPIRED) from the central account, then the member's own lists.
    const orgLists = backup.commandCalls(ListBackupJobsCommand).filter((c) => c.args[0].input.ByAccountId === '*');
    expect(orgLists.map((c) => c.args[0].input.ByState)).toEqual(['FAILED', 'EXPIRED']);
    expect(new Set(asked)).toEqual(new Set(['111122223333', SILENT]));
  });

  it('a refused organization list is one failing job: the other places are swept, and it is set aside after 3 sweeps, told once', async () => {
    const refused = Object.assign(new Error('Unable to list jobs across accounts: cross-account monitoring is off'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
    // The central account's own failed job is retried meanwhile (one StartBackupJob, no alert).
    backup.on(DescribeBackupJobCommand).resolves(aDescribedBackupJob({ BackupJobId: 'home-1' }));
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'retry-1' });
    backup.on(ListBackupJobsCommand, { ByState: 'FAILED' }).callsFake((input: { ByAccountId?: string }) => {
      if (input.ByAccountId === '*') throw refused;
      return { BackupJobs: [{ BackupJobId: 'home-1' }] };
    });
    const sweepAt = (hours: number) =>
      aRetryDeps(table, { deployment: CENTRAL, env: ORG_ENV, at: new Date(NOW.getTime() + hours * HOUR_MS) });
    await setAsideOverThreeSweeps(sweepAt, 'organization#us-east-1', 'AccessDeniedException', {
      Subject: '[backup-autopilot] retry sweep cannot list the organization (us-east-1) after 3 sweeps',
      Message: expect.stringContaining('delegated administrator account for AWS Backup'),
    });
  });
});

describe('sweep', () => {
  it('lists every retried state and failed copies since the last sweep, then moves the cursor to now', async () => {
    const first = await sweep(aRetryDeps(table));
    expect(first).toEqual({
      since: '2026-11-23T03:00:00.000Z',
      seen: 0,
      withoutEvent: 0,
      resumed: 0,
      failures: [],
      skippedSetAside: 0,
      cursorMoved: true,
      outcomes: {},
    });
    expect(backup.commandCalls(ListBackupJobsCommand).map((c) => c.args[0].input.ByState)).toEqual([
      'FAILED',
      'EXPIRED',
    ]);
    expect(backup).toHaveReceivedCommandWith(ListCopyJobsCommand, {
      ByState: 'FAILED',
      ByCompleteAfter: new Date('2026-11-23T03:00:00Z'),
    });
    backup.resetHistory();
    // An hour later the next sweep starts at the cursor less the overlap.
    await sweep(aRetryDeps(table, { at: new Date(NOW.getTime() + HOUR_MS) }));
    expect(listedSince()).toEqual([new Date('2026-11-24T02:45:00Z'), new Date('2026-11-24T02:45:00Z')]);
  });

  it('lists only what the settings retry: ABORTED when named, no copies when RETRY_COPY_JOBS is false', async () => {
    await sweep(aRetryDeps(table, { env: { RETRY_STATES: 'ABORTED', RETRY_COPY_JOBS: 'false' } }));
    expect(backup.commandCalls(ListBackupJobsCommand).map((c) => c.args[0].input.ByState)).toEqual(['ABORTED']);
    expect(backup).not.toHaveReceivedCommand(ListCopyJobsCommand);
  });

  it('handles a job whose event was lost, counts it by outcome, and skips one handled without a Describe', async () => {
    const vaultGone = aDescribedBackupJob({
      BackupJobId: 'lost',
      State: 'FAILED',
      ResourceArn: `${RESOURCE}-b`,
      StatusMessage:
        'Backup job failed because backup vault arn:aws:backup:us-east-1:111122223333:backup-vault:x does not exist.',
    });
    backup
      .on(DescribeBackupJobCommand, { BackupJobId: 'handled' })
      .resolves(aDescribedBackupJob({ BackupJobId: 'handled' }));
    backup.on(DescribeBackupJobCommand, { BackupJobId: 'lost' }).resolves(vaultGone);
    await handleFailedJob(aRetryDeps(table), { kind: 'backup', jobId: 'handled', trigger: 'event' });
    backup.resetHistory();
    backup
      .on(ListBackupJobsCommand, { ByState: 'FAILED' })
      .resolves({ BackupJobs: [{ BackupJobId: 'lost' }, { BackupJobId: 'handled' }] });
    const metrics: string[] = [];
    const result = await sweep(aRetryDeps(table, { metrics: metricsInto(metrics, true) }));
    expect(result).toMatchObject({ seen: 2, withoutEvent: 1, failures: [] });
    expect(result.outcomes).toEqual({ 'skipped:not-retryable': 1, duplicate: 1 });
    expect(backup.commandCalls(DescribeBackupJobCommand).map((c) => c.args[0].input.BackupJobId)).toEqual(['lost']);
    expect(metrics).toEqual(expect.arrayContaining(['SweepJobsSeen=2', 'SweepJobsWithoutEvent=1']));
  });

  it('lists FAILED restores since the cursor and alerts a lost one once; the next sweep costs no Describe', async () => {
    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [{ RestoreJobId: 'restore-lost', Status: 'FAILED' }] });
    backup.on(DescribeRestoreJobCommand).resolves({
      RestoreJobId: 'restore-lost',
      AccountId: '111122223333',
      Status: 'FAILED',
      ResourceType: 'EBS',
      StatusMessage: 'Insufficient privileges to perform this action.',
    });
    const first = await sweep(aRetryDeps(table));
    expect(backup).toHaveReceivedCommandWith(ListRestoreJobsCommand, {
      ByStatus: 'FAILED',
      ByCompleteAfter: new Date('2026-11-23T03:00:00Z'),
    });
    expect(first).toMatchObject({ seen: 1, withoutEvent: 1, failures: [], outcomes: { 'restore-failed': 1 } });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);

    const second = await sweep(aRetryDeps(table, { at: new Date(NOW.getTime() + HOUR_MS) }));
    expect(second).toMatchObject({ seen: 1, withoutEvent: 0, outcomes: { duplicate: 1 } });
    expect(backup.commandCalls(DescribeRestoreJobCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('lists FAILED scans and scans with threats since the cursor, and alerts each lost one once', async () => {
    backup.on(ListScanJobsCommand, { ByState: 'FAILED' }).resolves({
      ScanJobs: [aListedScanJob({ ScanJobId: 'scan-failed', State: 'FAILED' })],
    });
    backup.on(ListScanJobsCommand, { ByScanResultStatus: 'THREATS_FOUND' }).resolves({
      ScanJobs: [aListedScanJob({ ScanJobId: 'scan-threats', ScanResult: { ScanResultStatus: 'THREATS_FOUND' } })],
    });
    backup.on(DescribeScanJobCommand, { ScanJobId: 'scan-failed' }).resolves({
      ScanJobId: 'scan-failed',
      AccountId: '111122223333',
      State: 'FAILED',
      BackupVaultName: 'prod',
      ResourceType: 'EBS',
      StatusMessage: 'Insufficient privileges to perform this action.',
    });
    backup.on(DescribeScanJobCommand, { ScanJobId: 'scan-threats' }).resolves({
      ScanJobId: 'scan-threats',
      AccountId: '111122223333',
      State: 'COMPLETED',
      BackupVaultName: 'prod',
      ResourceType: 'EBS',
      ScanResult: { ScanResultStatus: 'THREATS_FOUND' },
    });
    const first = await sweep(aRetryDeps(table));
    expect(backup.commandCalls(ListScanJobsCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ ByState: 'FAILED', ByCompleteAfter: new Date('2026-11-23T03:00:00Z') }),
      expect.objectContaining({
        ByScanResultStatus: 'THREATS_FOUND',
        ByCompleteAfter: new Date('2026-11-23T03:00:00Z'),
      }),
    ]);
    expect(first).toMatchObject({
      withoutEvent: 2,
      failures: [],
      outcomes: { 'scan-failed': 1, 'scan-threats-found': 1 },
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);

    const second = await sweep(aRetryDeps(table, { at: new Date(NOW.getTime() + HOUR_MS) }));
    expect(second).toMatchObject({ withoutEvent: 0, outcomes: { duplicate: 2 } });
    expect(backup.commandCalls(DescribeScanJobCommand)).toHaveLength(2);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('one job it cannot handle does not stop the others, and the cursor stays put for the next sweep', async () => {
    const at = new Date('2026-11-24T06:00:00Z');
    backup
      .on(DescribeBackupJobCommand, { BackupJobId: 'broken' })
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
      );
    backup.on(DescribeBackupJobCommand, { BackupJobId: 'lost' }).resolves(
      aDescribedBackupJob({
        BackupJobId: 'lost',
        ResourceArn: `${RESOURCE}-lost`,
        CompletionDate: new Date('2026-11-24T05:58:00Z'),
      }),
    );
    backup
      .on(ListBackupJobsCommand, { ByState: 'FAILED' })
      .resolves({ BackupJobs: [{ BackupJobId: 'broken' }, { BackupJobId: 'lost' }] });
    const error = await sweep(aRetryDeps(table, { at })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SweepIncompleteError);
    expect((error as SweepIncompleteError).failures).toEqual([
      { key: 'backup#broken', error: expect.stringContaining('Rate exceeded'), count: 1, setAside: false },
    ]);
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
    expect((await aRetryDeps(table).sweepState.read()).cursor).toBeUndefined();
    // The next sweep handles the one that failed; the other costs no Describe call.
    backup
      .on(DescribeBackupJobCommand, { BackupJobId: 'broken' })
      .resolves(aDescribedBackupJob({ BackupJobId: 'broken', CompletionDate: new Date('2026-11-24T05:58:00Z') }));
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'broken-r1' });
    backup.resetHistory();
    const next = await sweep(aRetryDeps(table, { at: new Date(at.getTime() + HOUR_MS) }));
    expect(next.outcomes).toEqual({ duplicate: 1, started: 1 });
    expect(backup.commandCalls(DescribeBackupJobCommand).map((c) => c.args[0].input.BackupJobId)).toEqual(['broken']);
    expect((await aRetryDeps(table).sweepState.read()).cursor).toEqual(new Date(at.getTime() + HOUR_MS));
  });

  it('in a dry run lists, describes and decides, but starts, schedules, publishes and writes nothing', async () => {
    backup.on(DescribeBackupJobCommand).resolves(aDescribedBackupJob({ BackupJobId: 'dry' }));
    backup.on(ListBackupJobsCommand, { ByState: 'FAILED' }).resolves({ BackupJobs: [{ BackupJobId: 'dry' }] });
    const dry = aRetryDeps(table, { at: new Date('2026-11-25T12:00:00Z'), env: { DRY_RUN: 'true' } });
    const result = await sweep(dry);
    expect(result.outcomes).toEqual({ started: 1 });
    expect(backup).toHaveReceivedCommandTimes(DescribeBackupJobCommand, 1);
    expect(backup).not.toHaveReceivedCommand(StartBackupJobCommand);
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    const items = (await table.documentClient.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];
    expect(items).toEqual([]);
  });
});
