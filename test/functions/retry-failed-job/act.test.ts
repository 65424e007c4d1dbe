import {
  BackupClient,
  DescribeBackupJobCommand,
  type DescribeBackupJobOutput,
  GetBackupPlanCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRestoreJobsCommand,
  ListScanJobsCommand,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RetryDeps } from '../../../functions/retry-failed-job/deps.js';
import { logicalKeyOf } from '../../../functions/retry-failed-job/ledger.js';
import { handleFailedJob } from '../../../functions/retry-failed-job/run.js';
import { sweep } from '../../../functions/retry-failed-job/sweep.js';
import type { StartBackupJobRequest } from '../../../shared/backup/index.js';
import { LEASE_MS } from '../../../shared/ledger/policy.js';
import { metricsInto } from '../../support/base-deps.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aFailedJob, aRetryDeps, RESOURCE, ROLE } from './builders.js';

const backup = mockClient(BackupClient);
const scheduler = mockClient(SchedulerClient);
const sns = mockClient(SNSClient);

const NOW = new Date('2026-11-24T03:00:00Z');
let table: LedgerTable;
let n = 0;
beforeAll(async () => {
  table = await startLedgerTable('retry-recovery-test');
});
afterAll(async () => table.stop());

const deps = (now = NOW, metrics: string[] = []): RetryDeps =>
  aRetryDeps(table, {
    env: { SCHEDULER_DEAD_LETTER_ARN: 'arn:aws:sqs:us-east-1:111122223333:backup-autopilot-events-dlq' },
    at: now,
    metrics: metricsInto(metrics, true),
  });

const fresh = (base: string) => {
  n += 1;
  return `${base}-${n}-${Math.random().toString(36).slice(2, 8)}`;
};

/** DescribeBackupJob's answer: what the events lack (MessageCategory, CreatedBy, ParentJobId). */
const described = (overrides: Partial<DescribeBackupJobOutput> = {}): DescribeBackupJobOutput => ({
  BackupJobId: 'job-1',
  AccountId: '111122223333',
  State: 'FAILED',
  ResourceArn: RESOURCE,
  ResourceType: 'EBS',
  BackupVaultName: 'prod-daily',
  IamRoleArn: ROLE,
  CreationDate: new Date('2026-11-23T19:00:00Z'),
  CompletionDate: new Date('2026-11-23T20:00:00Z'),
  StatusMessage: 'An internal error occurred. Please try again later.',
  MessageCategory: 'SUCCESS',
  ...overrides,
});

beforeEach(() => {
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

/** Leaves the ledger as a container that died right after storing attempt 1's input would. */
const crashAfterLedgerWrite = async (jobId: string, at: Date) => {
  const job = aFailedJob({ jobId, state: 'FAILED', createdAt: new Date('2026-11-23T19:00:00Z') });
  const key = logicalKeyOf(job);
  const input: StartBackupJobRequest = {
    BackupVaultName: 'prod-daily',
    ResourceArn: RESOURCE,
    IamRoleArn: ROLE,
    IdempotencyToken: '5d1c7a52-8d0b-5f0e-9a3e-2b7c4d6e8f10',
    StartWindowMinutes: 60,
    CompleteWindowMinutes: 10_080,
    RecoveryPointTags: { 'backup-autopilot:original-job-id': jobId, 'backup-autopilot:attempt': '1' },
  };
  const ledger = deps().ledger;
  await ledger.open(key, job, 'internal-error', { now: at });
  expect(await ledger.claimAttempt(key, 1, 'backup', input, { now: at })).toEqual({ kind: 'claimed', request: input });
  return { key, input };
};

describe('a container that dies between the ledger write and recording the answer', () => {
  it('redelivery after the lease re-sends the stored input and token, even with the started job now RUNNING', async () => {
    // Prepare: the dead container's Start went through: AWS now lists that job as RUNNING.
    const jobId = fresh('job');
    const { key, input } = await crashAfterLedgerWrite(jobId, NOW);
    backup.on(DescribeBackupJobCommand).resolves(described({ BackupJobId: jobId }));
    backup
      .on(ListBackupJobsCommand)
      .resolves({ BackupJobs: [{ BackupJobId: 'started-before-crash', State: 'RUNNING', ResourceArn: RESOURCE }] });
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'started-before-crash' });
    // Act: a delivery inside the lease waits; one after it takes over.
    const early = await handleFailedJob(deps(new Date(NOW.getTime() + 60_000)), {
      kind: 'backup',
      jobId,
      trigger: 'event',
    });
    expect(early).toEqual({ result: 'in-flight', jobId, attempt: 1 });
    expect(backup).not.toHaveReceivedCommand(StartBackupJobCommand);
    const later = await handleFailedJob(deps(new Date(NOW.getTime() + LEASE_MS + 1_000)), {
      kind: 'backup',
      jobId,
      trigger: 'event',
    });
    // Assess
    expect(later).toMatchObject({ result: 'started', attempt: 1, newJobId: 'started-before-crash' });
    expect(backup).toHaveReceivedCommandTimes(StartBackupJobCommand, 1);
    expect(backup.commandCalls(StartBackupJobCommand)[0]?.args[0].input).toEqual(input);
    const record = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: `retry#${key}` } }),
    );
    expect(record.Item).toMatchObject({ attempts: 1, startedJobIds: ['started-before-crash'], status: 'started' });
    const attempt = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: `attempt#${key}#1` } }),
    );
    expect(attempt.Item).toMatchObject({ settled: 'completed', jobId: 'started-before-crash', request: input });
    expect(attempt.Item?.leaseUntil).toBeUndefined();
    const pointer = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: 'job#started-before-crash' } }),
    );
    expect(pointer.Item).toMatchObject({ status: 'started', logicalKey: key });
  });

  it('the sweep finds the interrupted attempt through the byDay index and re-sends it once', async () => {
    const jobId = fresh('job');
    const crashedAt = new Date(NOW.getTime() - 2 * 3_600_000);
    const { input } = await crashAfterLedgerWrite(jobId, crashedAt);
    backup.on(DescribeBackupJobCommand).resolves(described({ BackupJobId: jobId }));
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: `${jobId}-r1` });
    const first = await sweep(deps());
    const second = await sweep(deps(new Date(NOW.getTime() + 3_600_000)));
    expect(first.resumed).toBe(1);
    expect(second.resumed).toBe(0);
    expect(backup).toHaveReceivedCommandTimes(StartBackupJobCommand, 1);
    expect(backup.commandCalls(StartBackupJobCommand)[0]?.args[0].input).toEqual(input);
  });
});

describe('later attempts of a plan job', () => {
  it("attempt 2 (an on-demand job's failure) keeps the original plan rule's windows, tags and next-run check", async () => {
    const jobId = fresh('plan-job');
    backup.on(DescribeBackupJobCommand, { BackupJobId: jobId }).resolves(
      described({
        BackupJobId: jobId,
        CreatedBy: { BackupPlanId: 'plan-1', BackupPlanVersion: 'v3', BackupRuleId: 'rule-1' },
      }),
    );
    backup.on(GetBackupPlanCommand).resolves({
      BackupPlan: {
        BackupPlanName: 'daily',
        Rules: [
          {
            RuleName: 'daily',
            RuleId: 'rule-1',
            TargetBackupVaultName: 'prod-daily',
            ScheduleExpression: 'cron(0 19 * * ? *)',
            StartWindowMinutes: 240,
            CompletionWindowMinutes: 1_440,
            Lifecycle: { DeleteAfterDays: 35 },
            RecoveryPointTags: { team: 'storage' },
          },
        ],
      },
    });
    backup
      .on(StartBackupJobCommand)
      .resolvesOnce({ BackupJobId: `${jobId}-r1` })
      .resolvesOnce({ BackupJobId: `${jobId}-r2` });
    await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    // The retried job is on-demand: DescribeBackupJob shows no CreatedBy.
    backup.on(DescribeBackupJobCommand, { BackupJobId: `${jobId}-r1` }).resolves(
      described({
        BackupJobId: `${jobId}-r1`,
        CreationDate: new Date('2026-11-24T03:00:00Z'),
        CompletionDate: new Date('2026-11-24T03:10:00Z'),
      }),
    );
    const second = await handleFailedJob(deps(new Date('2026-11-24T05:00:00Z')), {
      kind: 'backup',
      jobId: `${jobId}-r1`,
      trigger: 'event',
    });
    expect(second).toMatchObject({ result: 'started', attempt: 2 });
    const inputs = backup.commandCalls(StartBackupJobCommand).map((c) => c.args[0].input);
    expect(inputs[1]).toMatchObject({
      StartWindowMinutes: 240,
      CompleteWindowMinutes: 1_440,
      Lifecycle: { DeleteAfterDays: 35 },
      RecoveryPointTags: {
        team: 'storage',
        'backup-autopilot:original-job-id': jobId,
        'backup-autopilot:attempt': '2',
      },
    });
    expect(inputs[1]?.IdempotencyToken).not.toBe(inputs[0]?.IdempotencyToken);
    expect(backup).toHaveReceivedCommandWith(GetBackupPlanCommand, { BackupPlanId: 'plan-1', VersionId: 'v3' });
  });
});

describe('ledger items', () => {
  it('the retry record carries the activity stamp; the claim of a failed job is stamped for the sweep only, the pointer of a started job not at all', async () => {
    const jobId = fresh('stamp');
    backup.on(DescribeBackupJobCommand).resolves(described({ BackupJobId: jobId }));
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: `${jobId}-r1` });
    await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    const items = (await table.documentClient.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];
    const mine = items.filter((i) => JSON.stringify(i).includes(jobId));
    const record = mine.find((i) => String(i.pk).startsWith('retry#'));
    expect(record).toMatchObject({
      kind: 'retry',
      activityDay: '2026-11-24',
      activityAt: NOW.toISOString(),
      status: 'started',
      accountId: '111122223333',
      region: 'us-east-1',
      resourceArn: RESOURCE,
      backupVaultName: 'prod-daily',
      attempts: 1,
      originalJobId: jobId,
      startedJobIds: [`${jobId}-r1`],
    });
    expect(Object.keys(record?.inputs ?? {})).toEqual(['1']);
    const pointers = mine.filter((i) => String(i.pk).startsWith('job#'));
    expect(pointers.map((p) => p.pk).sort()).toEqual([`job#${jobId}`, `job#${jobId}-r1`]);
    // The failed job's claim: `kind: claim` (the summary counts only retry and copy items), what the
    // sweep needs to handle it again should its holder die. The started job's pointer: no stamp.
    const claim = pointers.find((p) => p.pk === `job#${jobId}`);
    expect(claim).toMatchObject({ kind: 'claim', activityDay: '2026-11-24', jobKind: 'backup', jobId });
    expect(pointers.find((p) => p.pk === `job#${jobId}-r1`)?.activityDay).toBeUndefined();
  });
});

describe('a ledger failure right after AWS accepted the Start', () => {
  it('is raised, never alerted as AWS refusing; the redelivery after the lease re-sends the stored input', async () => {
    // Prepare: StartBackupJob succeeds, then DynamoDB fails to record it (after the SDK's retries).
    const jobId = fresh('bookkeeping');
    backup.on(DescribeBackupJobCommand).resolves(described({ BackupJobId: jobId }));
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: `${jobId}-r1` });
    const failing = deps();
    const dynamoDown = Object.assign(new Error('Internal server error'), {
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    vi.spyOn(failing.ledger, 'started').mockRejectedValueOnce(dynamoDown);
    // Act
    await expect(handleFailedJob(failing, { kind: 'backup', jobId, trigger: 'event' })).rejects.toBe(dynamoDown);
    // Assess: no "could not start" alert, no refusal recorded.
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(backup).toHaveReceivedCommandTimes(StartBackupJobCommand, 1);
    const sent = backup.commandCalls(StartBackupJobCommand)[0]?.args[0].input;
    // Lambda's async retry a minute later re-sends the identical request (same token: same job);
    // the failed invocation gave its lease back, so the retry does not wait for it.
    const later = await handleFailedJob(deps(new Date(NOW.getTime() + 60_000)), {
      kind: 'backup',
      jobId,
      trigger: 'event',
    });
    expect(later).toMatchObject({ result: 'started', attempt: 1, newJobId: `${jobId}-r1` });
    expect(backup.commandCalls(StartBackupJobCommand)[1]?.args[0].input).toEqual(sent);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});

describe('attempt schedules', () => {
  it('carry a retry policy and the dead-letter queue, so an undeliverable attempt is not lost', async () => {
    const jobId = fresh('sched');
    backup
      .on(DescribeBackupJobCommand)
      .resolves(described({ BackupJobId: jobId, CompletionDate: new Date('2026-11-24T02:55:00Z') }));
    await expect(handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' })).resolves.toMatchObject({
      result: 'scheduled',
      attempt: 1,
    });
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21_600 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:111122223333:backup-autopilot-events-dlq' },
    });
  });
});
