import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRestoreJobCommand,
  DescribeScanJobCommand,
  GetBackupPlanCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRestoreJobsCommand,
  ListScanJobsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
} from '@aws-sdk/client-backup';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { idempotencyToken } from '../../../shared/backup/index.js';
import { EventParseError } from '../../../shared/errors.js';
import { type aContext, aContextIn } from '../../fixtures/context.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { ENV, RESOURCE, ROLE } from './builders.js';

const backup = mockClient(BackupClient);
const scheduler = mockClient(SchedulerClient);
const sns = mockClient(SNSClient);
const load = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'events', name), 'utf8'));

let table: LedgerTable;
let handler: (event: unknown, context: ReturnType<typeof aContext>) => Promise<unknown>;

beforeAll(async () => {
  table = await startLedgerTable('retry-handler-test');
  // Set directly, not with vi.stubEnv: the config unstubs envs before each test, and the SDK reads
  // its endpoint at the first call, not when the client is built.
  Object.assign(process.env, { ...ENV, LEDGER_TABLE_NAME: table.tableName, AWS_ENDPOINT_URL_DYNAMODB: table.endpoint });
  ({ handler } = (await import('../../../functions/retry-failed-job/handler.js')) as unknown as {
    handler: typeof handler;
  });
});
afterAll(async () => {
  for (const key of [...Object.keys(ENV), 'LEDGER_TABLE_NAME', 'AWS_ENDPOINT_URL_DYNAMODB']) delete process.env[key];
  await table.stop();
});
beforeEach(() => {
  backup.reset();
  scheduler.reset();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
  backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
  backup.on(ListScanJobsCommand).resolves({ ScanJobs: [] });
  scheduler.on(CreateScheduleCommand).resolves({});
});

describe('retry-failed-job handler', () => {
  it("wires AWS's published FAILED event through to a decision", async () => {
    backup.on(DescribeBackupJobCommand).resolves({
      BackupJobId: '34176239-e96d-4e1d-9fad-529dbb3c3556',
      AccountId: '111122223333',
      State: 'FAILED',
      ResourceArn: RESOURCE,
      BackupVaultName: 'prod',
      IamRoleArn: ROLE,
      CreationDate: new Date(Date.now() - 3_600_000),
      CompletionDate: new Date(),
      StatusMessage: 'An internal error occurred.',
    });
    const result = await handler(load('backup-job.failed.json'), aContextIn());
    expect(result).toMatchObject({ result: 'scheduled', attempt: 1 });
    expect(backup).toHaveReceivedCommandWith(DescribeBackupJobCommand, {
      BackupJobId: '34176239-e96d-4e1d-9fad-529dbb3c3556',
    });
    // The schedule targets the invoked function itself.
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target?.Arn).toBe(
      aContextIn().invokedFunctionArn,
    );
  });

  it('skips a state RETRY_STATES does not name without any AWS call', async () => {
    await expect(handler(load('backup-job.aborted.json'), aContextIn())).resolves.toMatchObject({
      reason: 'state-not-configured',
    });
    expect(backup.calls()).toHaveLength(0);
  });

  it.each([
    ['a COMPLETED restore event', load('restore-job.completed.json'), 'detail.status'],
    ['a RUNNING scan event', load('scan-job.running.json'), 'detail.state'],
    ['an unknown action', { source: 'backup-autopilot', action: 'explode' }, 'action'],
    [
      'an attempt without a key',
      { source: 'backup-autopilot', action: 'retry-attempt', attempt: 1, kind: 'backup', jobId: 'j' },
      'logicalKey',
    ],
    ['an attempt number of 0', { ...(load('retry-failed-job.attempt.json') as object), attempt: 0 }, 'attempt'],
    ['null', null, '(event)'],
    ['a backup event without detail', { ...(load('backup-job.failed.json') as object), detail: undefined }, 'detail'],
  ])('rejects %s naming %s, making no AWS call', async (_name, event, field) => {
    const error = await handler(event, aContextIn()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventParseError);
    expect((error as EventParseError).field).toBe(field);
    expect(backup.calls()).toHaveLength(0);
  });

  it("wires AWS's published FAILED restore event to one alert, and starts nothing", async () => {
    const restoreJobId = '1B234A56-789B-01CD-2A34-4567A08901FD';
    backup.on(DescribeRestoreJobCommand, { RestoreJobId: restoreJobId }).resolves({
      RestoreJobId: restoreJobId,
      Status: 'FAILED',
      StatusMessage: 'Insufficient privileges to perform this action.',
      ResourceType: 'EC2',
    });
    await expect(handler(load('restore-job.failed.json'), aContextIn())).resolves.toMatchObject({
      result: 'restore-failed',
      jobId: restoreJobId,
      category: 'access-denied',
      alerted: true,
    });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toContain('restore FAILED (access-denied)');
    expect(backup).not.toHaveReceivedCommand(StartBackupJobCommand);
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });

  it.each([
    { file: 'scan-job.failed.json', result: 'scan-failed', subject: 'malware scan FAILED (' },
    { file: 'scan-job.completed.json', result: 'scan-threats-found', subject: 'malware scan THREATS_FOUND' },
  ])("wires AWS's published $file to one alert, and starts nothing", async ({ file, result, subject }) => {
    const event = load(file) as { detail: Record<string, unknown> };
    // A fresh id per case: the ledger keeps what the other case handled.
    const scanJobId = `${result}-4d5fc12e`;
    const raw = { ...event, detail: { ...event.detail, scanJobId } };
    backup.on(DescribeScanJobCommand, { ScanJobId: scanJobId }).resolves({
      ScanJobId: scanJobId,
      State: event.detail.state as 'FAILED',
      BackupVaultName: event.detail.backupVaultName as string,
      ...(result === 'scan-threats-found' ? { ScanResult: { ScanResultStatus: 'THREATS_FOUND' } } : {}),
    } as never);
    await expect(handler(raw, aContextIn())).resolves.toMatchObject({ result, jobId: scanJobId, alerted: true });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toContain(subject);
    expect(backup).not.toHaveReceivedCommand(StartBackupJobCommand);
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });

  it('runs the sweep from its schedule payload', async () => {
    await expect(handler(load('retry-failed-job.sweep.json'), aContextIn())).resolves.toMatchObject({ seen: 0 });
    expect(backup).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByState: 'FAILED' });
    expect(backup).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByState: 'EXPIRED' });
  });
});

describe('retry-failed-job handler: the exact Start inputs', () => {
  // Only Date is faked: the plan's next run is read against this clock; SDK and dynalite timers run.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-24T06:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('backup-job.failed.transient.json from a plan: StartBackupJob with the rule settings, provenance tags and token', async () => {
    // Prepare: DescribeBackupJob adds what the event lacks (MessageCategory, CreatedBy).
    const jobId = '5a1e6c0e-8c57-4a63-9f3e-0b7a4b1d2e01';
    backup.on(DescribeBackupJobCommand).resolves({
      BackupJobId: jobId,
      AccountId: '111122223333',
      State: 'FAILED',
      ResourceArn: RESOURCE,
      ResourceType: 'EBS',
      BackupVaultName: 'prod-daily',
      IamRoleArn: ROLE,
      CreationDate: new Date('2026-11-24T05:00:00Z'),
      CompletionDate: new Date('2026-11-24T05:20:00Z'),
      StatusMessage: '"An internal error occurred. Please try again later."',
      MessageCategory: 'SUCCESS',
      CreatedBy: { BackupPlanId: 'plan-9', BackupPlanVersion: 'v-2', BackupRuleId: 'rule-daily' },
      BackupOptions: { WindowsVSS: 'enabled' },
    });
    backup.on(GetBackupPlanCommand).resolves({
      BackupPlan: {
        BackupPlanName: 'daily',
        Rules: [
          {
            RuleName: 'daily',
            RuleId: 'rule-daily',
            TargetBackupVaultName: 'prod-daily',
            ScheduleExpression: 'cron(0 5 ? * * *)',
            ScheduleExpressionTimezone: 'UTC',
            StartWindowMinutes: 30,
            CompletionWindowMinutes: 480,
            Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 },
            RecoveryPointTags: { team: 'storage', env: 'prod' },
          },
        ],
      },
    });
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'started-1' });
    // Act
    const result = await handler(load('backup-job.failed.transient.json'), aContextIn());
    // Assess
    expect(result).toMatchObject({ result: 'started', attempt: 1, newJobId: 'started-1' });
    expect(backup).toHaveReceivedCommandWith(GetBackupPlanCommand, { BackupPlanId: 'plan-9', VersionId: 'v-2' });
    expect(backup.commandCalls(StartBackupJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        BackupVaultName: 'prod-daily',
        ResourceArn: RESOURCE,
        IamRoleArn: ROLE,
        IdempotencyToken: idempotencyToken(jobId, 'backup', 1),
        StartWindowMinutes: 60,
        CompleteWindowMinutes: 480,
        Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 },
        RecoveryPointTags: {
          team: 'storage',
          env: 'prod',
          'backup-autopilot:original-job-id': jobId,
          'backup-autopilot:attempt': '1',
        },
        BackupOptions: { WindowsVSS: 'enabled' },
      },
    ]);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('copy-job.failed.json with a transient cause: StartCopyJob from the same source to the same destination', async () => {
    const copyJobId = '47C8EF56-74D8-059D-1301-C5BE1D5C926E';
    const vault = 'arn:aws:backup:us-west-2:111122223333:backup-vault:prod-daily';
    const destination = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:dr';
    backup.on(DescribeCopyJobCommand).resolves({
      CopyJob: {
        CopyJobId: copyJobId,
        AccountId: '111122223333',
        State: 'FAILED',
        ResourceArn: 'arn:aws:ec2:us-west-2:111122223333:instance/i-0515aee7de03f58e1',
        ResourceType: 'EC2',
        SourceBackupVaultArn: vault,
        SourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5',
        DestinationBackupVaultArn: destination,
        DestinationRecoveryPointLifecycle: { DeleteAfterDays: 35 },
        IamRoleArn: ROLE,
        CreationDate: new Date('2026-11-24T04:00:00Z'),
        CompletionDate: new Date('2026-11-24T04:30:00Z'),
        StatusMessage: 'An internal error occurred. Please try again later.',
      },
    });
    backup.on(StartCopyJobCommand).resolves({ CopyJobId: 'copy-started-1' });
    const result = await handler(load('copy-job.failed.json'), aContextIn());
    expect(result).toMatchObject({ result: 'started', attempt: 1, newJobId: 'copy-started-1' });
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        RecoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5',
        SourceBackupVaultName: 'prod-daily',
        DestinationBackupVaultArn: destination,
        IamRoleArn: ROLE,
        IdempotencyToken: idempotencyToken(copyJobId, 'copy', 1),
        Lifecycle: { DeleteAfterDays: 35 },
      },
    ]);
    expect(backup).toHaveReceivedCommandWith(ListCopyJobsCommand, {
      BySourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5',
      ByDestinationVaultArn: destination,
    });
  });
});
