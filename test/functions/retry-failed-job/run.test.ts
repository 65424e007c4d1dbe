import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BackupClient,
  DescribeBackupJobCommand,
  type DescribeBackupJobOutput,
  DescribeCopyJobCommand,
  GetBackupPlanCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRestoreJobsCommand,
  ListScanJobsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
} from '@aws-sdk/client-backup';
import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetryDeps } from '../../../functions/retry-failed-job/deps.js';
import type { FailedJob } from '../../../functions/retry-failed-job/facts.js';
import { JobInFlightError } from '../../../functions/retry-failed-job/facts.js';
import { logicalKeyOf } from '../../../functions/retry-failed-job/ledger.js';
import { classifyInput } from '../../../functions/retry-failed-job/parse.js';
import { handleFailedJob } from '../../../functions/retry-failed-job/run.js';
import { sweep } from '../../../functions/retry-failed-job/sweep.js';
import { DIAGNOSIS_TABLE } from '../../../shared/diagnosis/index.js';
import { SAMPLE_ACCOUNT } from '../../fixtures/context.js';
import { aBaseDeps, metricsInto, recordingLogger, TEST_ACCOUNT, TEST_REGION } from '../../support/base-deps.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aRetryDeps, RESOURCE, ROLE } from './builders.js';

const backup = mockClient(BackupClient);
const scheduler = mockClient(SchedulerClient);
const sns = mockClient(SNSClient);
const load = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'events', name), 'utf8'));

let table: LedgerTable;
let n = 0;
beforeAll(async () => {
  table = await startLedgerTable();
});
afterAll(async () => table.stop());

const NOW = new Date('2026-11-24T03:00:00Z');
/** A DescribeBackupJob answer for the published event's job, with what events lack. */
const described = (overrides: Partial<DescribeBackupJobOutput> = {}): DescribeBackupJobOutput => ({
  BackupJobId: 'job-1',
  AccountId: '111122223333',
  State: 'EXPIRED',
  ResourceArn: RESOURCE,
  ResourceType: 'EBS',
  BackupVaultName: 'prod-daily',
  IamRoleArn: ROLE,
  CreationDate: new Date('2026-11-24T01:00:00Z'),
  CompletionDate: new Date('2026-11-24T02:50:00Z'),
  StatusMessage: '"Backup job failed because there was a running job for the same resource."',
  MessageCategory: 'SUCCESS',
  ...overrides,
});

const deps = (env: Record<string, string> = {}, now = NOW): RetryDeps => {
  n += 1;
  return aRetryDeps(table, { env, at: now, account: SAMPLE_ACCOUNT, functionName: 'retry-failed-job' });
};

/** Each test uses its own job ids, so the shared ledger table never leaks state between tests. */
const fresh = (base: string) => `${base}-${n}-${Math.random().toString(36).slice(2, 8)}`;

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

describe("AWS's published EXPIRED event", () => {
  it('schedules attempt 1 after the backoff, and a duplicate delivery costs no Describe', async () => {
    const d = deps();
    const trigger = classifyInput(load('backup-job.expired.json'));
    expect(trigger.type).toBe('job');
    if (trigger.type !== 'job') return;
    const jobId = fresh(trigger.ref.jobId);
    backup.on(DescribeBackupJobCommand).resolves(described({ BackupJobId: jobId }));
    const outcome = await handleFailedJob(d, { ...trigger.ref, jobId });
    expect(outcome).toMatchObject({ result: 'scheduled', attempt: 1 });
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      GroupName: 'backup-autopilot',
      ScheduleExpression: 'at(2026-11-24T03:20:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: d.identity.functionArn, RoleArn: 'arn:aws:iam::111122223333:role/backup-autopilot-scheduler' },
    });
    expect(input?.Name).toMatch(/^retry-[0-9a-f]{40}-a1$/);
    expect(JSON.parse(input?.Target?.Input ?? '{}')).toMatchObject({
      action: 'retry-attempt',
      attempt: 1,
      jobId,
      kind: 'backup',
    });
    expect(backup).not.toHaveReceivedCommand(StartBackupJobCommand);

    const again = await handleFailedJob(d, { ...trigger.ref, jobId });
    expect(again).toEqual({ result: 'duplicate', jobId });
    expect(backup).toHaveReceivedCommandTimes(DescribeBackupJobCommand, 1);
  });

  it('treats a schedule that already exists as success', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    const jobId = fresh('job');
    backup.on(DescribeBackupJobCommand).resolves(described({ BackupJobId: jobId }));
    await expect(handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' })).resolves.toMatchObject({
      result: 'scheduled',
    });
  });
});

describe('exactly one Start per attempt', () => {
  const due = () => described({ CompletionDate: new Date('2026-11-23T20:00:00Z') });

  it('20 concurrent deliveries of one failure start one job', async () => {
    const jobId = fresh('job');
    backup.on(DescribeBackupJobCommand).resolves({ ...due(), BackupJobId: jobId });
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'retry-job-1' });
    const d = deps();
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, () => handleFailedJob(d, { kind: 'backup', jobId, trigger: 'event' })),
    );
    expect(backup).toHaveReceivedCommandTimes(StartBackupJobCommand, 1);
    const outcomes = settled.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(outcomes.filter((o) => o.result === 'started')).toHaveLength(1);
    // The other 19 found the job handled (a duplicate) or still held: raised (never counted as
    // handled), so Lambda delivers them again and they find it handled then.
    const held = settled.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    for (const reason of held) expect(reason).toBeInstanceOf(JobInFlightError);
    expect(outcomes.filter((o) => o.result === 'duplicate').length + held.length).toBe(19);
  });

  it('after a crash between the ledger write and the answer, re-sends the identical input and token', async () => {
    const jobId = fresh('job');
    backup.on(DescribeBackupJobCommand).resolves({ ...due(), BackupJobId: jobId });
    backup
      .on(StartBackupJobCommand)
      .rejectsOnce(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
      )
      .resolves({ BackupJobId: 'retry-job-2' });
    await expect(handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' })).rejects.toMatchObject({
      retryable: true,
    });
    // Lambda's async retry arrives after the claim lease.
    const later = deps({}, new Date(NOW.getTime() + 120_000));
    await expect(handleFailedJob(later, { kind: 'backup', jobId, trigger: 'event' })).resolves.toMatchObject({
      result: 'started',
      newJobId: 'retry-job-2',
    });
    const sent = backup.commandCalls(StartBackupJobCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[0]?.IdempotencyToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a retried job's own failure continues the same counter (attempt 2)", async () => {
    const jobId = fresh('job');
    backup.on(DescribeBackupJobCommand, { BackupJobId: jobId }).resolves({ ...due(), BackupJobId: jobId });
    backup
      .on(StartBackupJobCommand)
      .resolvesOnce({ BackupJobId: `${jobId}-r1` })
      .resolvesOnce({ BackupJobId: `${jobId}-r2` });
    await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    backup.on(DescribeBackupJobCommand, { BackupJobId: `${jobId}-r1` }).resolves({
      ...due(),
      BackupJobId: `${jobId}-r1`,
      CreationDate: new Date('2026-11-23T21:00:00Z'),
      CompletionDate: new Date('2026-11-23T22:00:00Z'),
    });
    const second = await handleFailedJob(deps(), { kind: 'backup', jobId: `${jobId}-r1`, trigger: 'event' });
    expect(second).toMatchObject({ result: 'started', attempt: 2 });
    const tokens = backup.commandCalls(StartBackupJobCommand).map((c) => c.args[0].input.RecoveryPointTags);
    expect(tokens).toEqual([
      expect.objectContaining({ 'backup-autopilot:original-job-id': jobId, 'backup-autopilot:attempt': '1' }),
      expect.objectContaining({ 'backup-autopilot:original-job-id': jobId, 'backup-autopilot:attempt': '2' }),
    ]);
  });

  it('an attempt schedule firing twice starts once', async () => {
    const jobId = fresh('job');
    backup.on(DescribeBackupJobCommand).resolves(described({ BackupJobId: jobId }));
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'retry-job-3' });
    await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    const payload = JSON.parse(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target?.Input ?? '{}');
    const fired = classifyInput(payload);
    if (fired.type !== 'job') throw new Error('expected a job trigger');
    const at = deps({}, new Date('2026-11-24T03:20:00Z'));
    await expect(handleFailedJob(at, fired.ref)).resolves.toMatchObject({ result: 'started', attempt: 1 });
    await expect(handleFailedJob(at, fired.ref)).resolves.toMatchObject({ result: 'duplicate' });
    expect(backup).toHaveReceivedCommandTimes(StartBackupJobCommand, 1);
  });
});

describe('alerts a person can act on', () => {
  const vaultGone = (jobId: string) =>
    described({
      BackupJobId: jobId,
      State: 'FAILED',
      StatusMessage:
        '"Backup job failed because backup vault arn:aws:backup:us-east-1:111122223333:backup-vault:prod-daily does not exist."',
    });

  it('one alert per logical backup, with cause, remedy, links; never one per duplicate', async () => {
    const jobId = fresh('job');
    backup.on(DescribeBackupJobCommand).resolves(vaultGone(jobId));
    const outcome = await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    expect(outcome).toMatchObject({ result: 'skipped', reason: 'not-retryable', alerted: true });
    await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(message?.Subject).toBe(
      '[backup-autopilot] 111122223333 vol-0b5ae24f2ee72d926: backup FAILED, not retried (vault-not-found)',
    );
    expect(message?.Message).toContain('Cause: The backup vault does not exist');
    expect(message?.Message).toContain('What to do: Create the vault');
    expect(message?.Message).toContain('Vault: prod-daily');
    expect(message?.Message).toContain(`#/jobs/backup/details/${jobId}`);
    expect(message?.Message).toContain('#/resources/arn%3Aaws%3Aec2');
  });

  it('muted alerts are not published but are counted', async () => {
    const jobId = fresh('job');
    backup.on(DescribeBackupJobCommand).resolves(vaultGone(jobId));
    const metrics: string[] = [];
    const d = {
      ...deps({ ALERT_MUTE: JSON.stringify([{ categories: ['vault-not-found'], vault: 'prod-*' }]) }),
      metrics: metricsInto(metrics),
    };
    await expect(handleFailedJob(d, { kind: 'backup', jobId, trigger: 'event' })).resolves.toMatchObject({
      alerted: false,
    });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(metrics).toContain('AlertsMuted');
  });

  it('a non-retryable Start error is alerted once and does not loop', async () => {
    const jobId = fresh('job');
    backup
      .on(DescribeBackupJobCommand)
      .resolves(described({ BackupJobId: jobId, CompletionDate: new Date('2026-11-23T20:00:00Z') }));
    backup
      .on(StartBackupJobCommand)
      .rejects(
        Object.assign(new Error('not allowed'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }),
      );
    await expect(handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' })).resolves.toMatchObject({
      result: 'start-failed',
      category: 'access-denied',
      alerted: true,
    });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });
});

describe('only what is ours acts', () => {
  it('an event of another account is skipped with no AWS call and no ledger write', async () => {
    const event = structuredClone(load('backup-job.failed.json')) as Record<string, unknown>;
    event.account = '999988887777';
    (event.detail as Record<string, unknown>).backupJobId = fresh('foreign');
    const trigger = classifyInput(event);
    if (trigger.type !== 'job') throw new Error('expected a job');
    await expect(handleFailedJob(deps(), trigger.ref)).resolves.toMatchObject({
      result: 'skipped',
      reason: 'foreign-account',
      alerted: false,
    });
    expect(backup.calls()).toHaveLength(0);
    const items = await table.documentClient.send(new ScanCommand({ TableName: table.tableName }));
    expect(JSON.stringify(items.Items)).not.toContain(trigger.ref.jobId);
  });
});

describe("central mode: a member's job is handled in the member", () => {
  const MEMBER = '444455556666';
  const CENTRAL = '999900001111';
  /** Central deps whose Backup clients are one per (account, Region), each remembered with where it is for. */
  const centralDeps = (now = NOW) => {
    const made: { region: string; account: string | undefined; client: BackupClient }[] = [];
    const base = deps({}, now);
    const d: RetryDeps = {
      ...base,
      ...aBaseDeps('retry-failed-job', {}, CENTRAL),
      deployment: { mode: 'central', memberRoleName: 'backup-autopilot-member', organizationId: 'o-a1b2c3d4e5' },
      backupClientFor: (region, account) => {
        const found = made.find((m) => m.region === region && m.account === account);
        if (found) return found.client;
        const client = new BackupClient({ region });
        made.push({ region, account, client });
        return client;
      },
      now: () => now,
    };
    const whereWas = (call: { thisValue: unknown }) => {
      const m = made.find((x) => x.client === call.thisValue);
      return m && { region: m.region, account: m.account };
    };
    return { d, whereWas };
  };

  it("describes and retries a member's failed job with the member's client, and its schedule carries the place", async () => {
    // AWS's published EXPIRED event, as member MEMBER would send it (its account in the envelope and every ARN).
    const event = JSON.parse(JSON.stringify(load('backup-job.expired.json')).replaceAll('1112233445566', MEMBER));
    const trigger = classifyInput(event);
    if (trigger.type !== 'job') throw new Error('expected a job');
    const jobId = fresh(trigger.ref.jobId);
    backup.on(DescribeBackupJobCommand).resolves(described({ BackupJobId: jobId, AccountId: MEMBER }));
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'retry-in-member' });
    const first = centralDeps();
    await expect(handleFailedJob(first.d, { ...trigger.ref, jobId })).resolves.toMatchObject({ result: 'scheduled' });
    const described1 = backup.commandCalls(DescribeBackupJobCommand)[0];
    expect(described1 && first.whereWas(described1)).toEqual({ region: 'us-west-2', account: MEMBER });
    const payload = JSON.parse(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target?.Input ?? '{}');
    expect(payload).toMatchObject({ account: MEMBER, region: 'us-west-2', jobId });

    const fired = classifyInput(payload);
    if (fired.type !== 'job') throw new Error('expected a job trigger');
    const later = centralDeps(new Date('2026-11-24T03:40:00Z'));
    await expect(handleFailedJob(later.d, fired.ref)).resolves.toMatchObject({ result: 'started', attempt: 1 });
    const start = backup.commandCalls(StartBackupJobCommand)[0];
    expect(start && later.whereWas(start)).toEqual({ region: 'us-west-2', account: MEMBER });
  });

  it('the logical key (and so the ledger and the token) differs per account for the same resource and vault', () => {
    const job: FailedJob = {
      kind: 'backup',
      jobId: 'j',
      state: 'FAILED',
      accountId: MEMBER,
      region: 'us-west-2',
      resourceArn: RESOURCE,
      vaultName: 'Default',
      iamRoleArn: ROLE,
      createdAt: NOW,
    };
    expect(logicalKeyOf(job)).not.toBe(logicalKeyOf({ ...job, accountId: CENTRAL }));
    expect(logicalKeyOf(job)).not.toBe(logicalKeyOf({ ...job, region: 'eu-west-1' }));
  });
});

describe('copy jobs', () => {
  it("retries a FAILED copy to the same destination from AWS's published event", async () => {
    const trigger = classifyInput(load('copy-job.failed.json'));
    if (trigger.type !== 'job') throw new Error('expected a job trigger');
    const jobId = fresh(trigger.ref.jobId);
    backup.on(DescribeCopyJobCommand).resolves({
      CopyJob: {
        CopyJobId: jobId,
        AccountId: '111122223333',
        State: 'FAILED',
        ResourceArn: 'arn:aws:ec2:us-west-2:111122223333:instance/i-0515aee7de03f58e1',
        ResourceType: 'EC2',
        SourceBackupVaultArn: 'arn:aws:backup:us-west-2:111122223333:backup-vault:prod',
        SourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5',
        DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr',
        DestinationRecoveryPointLifecycle: { DeleteAfterDays: 365 },
        IamRoleArn: ROLE,
        CreationDate: new Date('2026-11-23T10:00:00Z'),
        CompletionDate: new Date('2026-11-23T12:00:00Z'),
        StatusMessage: 'Too many copy jobs are in progress for this resource',
      },
    });
    backup.on(StartCopyJobCommand).resolves({ CopyJobId: 'copy-retry-1' });
    await expect(handleFailedJob(deps(), { ...trigger.ref, jobId })).resolves.toMatchObject({ result: 'started' });
    expect(backup.commandCalls(StartCopyJobCommand)[0]?.args[0].input).toMatchObject({
      RecoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5',
      SourceBackupVaultName: 'prod',
      DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr',
      Lifecycle: { DeleteAfterDays: 365 },
    });
  });
});

describe('reconciliation sweep', () => {
  it('handles a job whose event was lost and skips one already handled without a Describe call', async () => {
    const handled = fresh('handled');
    const lost = fresh('lost');
    backup.on(DescribeBackupJobCommand, { BackupJobId: handled }).resolves(described({ BackupJobId: handled }));
    backup
      .on(DescribeBackupJobCommand, { BackupJobId: lost })
      .resolves(described({ BackupJobId: lost, ResourceArn: `${RESOURCE}-b` }));
    await handleFailedJob(deps(), { kind: 'backup', jobId: handled, trigger: 'event' });
    backup
      .on(ListBackupJobsCommand, { ByState: 'EXPIRED' })
      .resolves({ BackupJobs: [{ BackupJobId: handled }, { BackupJobId: lost }] });
    const result = await sweep(deps());
    expect(result.seen).toBe(2);
    expect(result.outcomes).toMatchObject({ duplicate: 1, scheduled: 1 });
    const described_ = backup.commandCalls(DescribeBackupJobCommand).map((c) => c.args[0].input.BackupJobId);
    expect(described_.filter((id) => id === handled)).toHaveLength(1);
    expect(backup).toHaveReceivedCommandWith(ListCopyJobsCommand, { ByState: 'FAILED' });
  });
});

describe('DRY_RUN', () => {
  it('decides and logs, but starts, schedules, publishes and writes nothing', async () => {
    const jobId = fresh('dry');
    backup
      .on(DescribeBackupJobCommand)
      .resolves(described({ BackupJobId: jobId, CompletionDate: new Date('2026-11-23T20:00:00Z') }));
    const logged: unknown[] = [];
    const d = {
      ...deps({ DRY_RUN: 'true' }),
      logger: recordingLogger(logged),
    };
    await expect(handleFailedJob(d, { kind: 'backup', jobId, trigger: 'event' })).resolves.toMatchObject({
      result: 'started',
    });
    expect(backup).not.toHaveReceivedCommand(StartBackupJobCommand);
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    const items = await table.documentClient.send(new ScanCommand({ TableName: table.tableName }));
    expect(JSON.stringify(items.Items)).not.toContain(jobId);
    expect(JSON.stringify(logged)).toContain('dry run: would start retry');
  });
});

describe('plan jobs', () => {
  it('reads the rule of the plan version that created the job', async () => {
    const jobId = fresh('plan');
    backup.on(DescribeBackupJobCommand).resolves(
      described({
        BackupJobId: jobId,
        CompletionDate: new Date('2026-11-23T20:00:00Z'),
        CreatedBy: { BackupPlanId: 'plan-1', BackupPlanVersion: 'v7', BackupRuleId: 'rule-1' },
      }),
    );
    backup.on(GetBackupPlanCommand).resolves({
      BackupPlan: {
        BackupPlanName: 'p',
        Rules: [
          {
            RuleName: 'daily',
            RuleId: 'rule-1',
            TargetBackupVaultName: 'prod-daily',
            ScheduleExpression: 'cron(0 1 * * ? *)',
            StartWindowMinutes: 90,
          },
        ],
      },
    });
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'r' });
    await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    expect(backup).toHaveReceivedCommandWith(GetBackupPlanCommand, { BackupPlanId: 'plan-1', VersionId: 'v7' });
    expect(backup.commandCalls(StartBackupJobCommand)[0]?.args[0].input).toMatchObject({ StartWindowMinutes: 90 });
  });
});

describe('plan jobs whose record carries the rule cron (CreatedBy.BackupRuleCron)', () => {
  const planRule = {
    BackupPlan: {
      BackupPlanName: 'daily-prod',
      Rules: [
        {
          RuleName: 'nightly',
          RuleId: 'rule-1',
          TargetBackupVaultName: 'prod-daily',
          ScheduleExpression: 'cron(0 5 * * ? *)',
          StartWindowMinutes: 90,
        },
      ],
    },
  };
  const withCron = (jobId: string, cron: string, timezone?: string) =>
    described({
      BackupJobId: jobId,
      CompletionDate: new Date('2026-11-23T20:00:00Z'),
      CreatedBy: {
        BackupPlanId: 'plan-1',
        BackupPlanVersion: 'v7',
        BackupRuleId: 'rule-1',
        BackupPlanName: 'daily-prod',
        BackupRuleName: 'nightly',
        BackupRuleCron: cron,
        ...(timezone ? { BackupRuleTimezone: timezone } : {}),
      },
    });

  it('decides "plan runs soon" from the record alone: no GetBackupPlan', async () => {
    // Prepare: NOW is 03:00 UTC; the rule runs at 05:00 UTC, within RETRY_SKIP_IF_NEXT_RUN_WITHIN_HOURS (6)
    const jobId = fresh('cron-soon');
    backup.on(DescribeBackupJobCommand).resolves(withCron(jobId, 'cron(0 5 * * ? *)'));
    backup.on(GetBackupPlanCommand).resolves(planRule);
    // Act
    const outcome = await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    // Assess
    expect(outcome).toMatchObject({ result: 'skipped', reason: 'plan-runs-soon' });
    expect(backup).toHaveReceivedCommandTimes(GetBackupPlanCommand, 0);
  });

  it("reads the record's time zone: 05:00 in New York is 10:00 UTC, 7 h away, so it retries", async () => {
    // Prepare
    const jobId = fresh('cron-tz');
    backup.on(DescribeBackupJobCommand).resolves(withCron(jobId, 'cron(0 5 * * ? *)', 'America/New_York'));
    backup.on(GetBackupPlanCommand).resolves(planRule);
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'r' });
    // Act
    const outcome = await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    // Assess: the retry still reads the rule once, for its Start input (windows are not on the record)
    expect(outcome).toMatchObject({ result: 'started' });
    expect(backup).toHaveReceivedCommandTimes(GetBackupPlanCommand, 1);
    expect(backup.commandCalls(StartBackupJobCommand)[0]?.args[0].input).toMatchObject({ StartWindowMinutes: 90 });
  });

  it('a record without the cron falls back to GetBackupPlan for the next-run check', async () => {
    // Prepare
    const jobId = fresh('no-cron');
    backup.on(DescribeBackupJobCommand).resolves(
      described({
        BackupJobId: jobId,
        CompletionDate: new Date('2026-11-23T20:00:00Z'),
        CreatedBy: { BackupPlanId: 'plan-1', BackupPlanVersion: 'v7', BackupRuleId: 'rule-1' },
      }),
    );
    backup.on(GetBackupPlanCommand).resolves(planRule);
    // Act
    const outcome = await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    // Assess: the rule's own cron (05:00 UTC) says it runs soon
    expect(outcome).toMatchObject({ result: 'skipped', reason: 'plan-runs-soon' });
    expect(backup).toHaveReceivedCommandTimes(GetBackupPlanCommand, 1);
  });

  it('a decision that skips for another reason reads no plan at all', async () => {
    // Prepare: a newer completed backup supersedes the failure
    const jobId = fresh('cron-superseded');
    backup.on(DescribeBackupJobCommand).resolves(withCron(jobId, 'cron(0 1 * * ? *)'));
    backup.on(ListBackupJobsCommand).resolves({
      BackupJobs: [
        {
          BackupJobId: 'newer',
          State: 'COMPLETED',
          BackupVaultName: 'prod-daily',
          ResourceArn: RESOURCE,
          CreationDate: new Date('2026-11-24T02:00:00Z'),
        },
      ],
    });
    // Act
    const outcome = await handleFailedJob(deps(), { kind: 'backup', jobId, trigger: 'event' });
    // Assess
    expect(outcome).toMatchObject({ result: 'skipped', reason: 'superseded' });
    expect(backup).toHaveReceivedCommandTimes(GetBackupPlanCommand, 0);
  });
});

describe("the issue's acceptance cases", () => {
  const fromEvent = (file: string) => {
    const trigger = classifyInput(load(file));
    if (trigger.type !== 'job') throw new Error('expected a job trigger');
    return trigger.ref;
  };

  it('10 concurrent deliveries of the published EXPIRED event create one schedule', async () => {
    const ref = fromEvent('backup-job.expired.json');
    const jobId = fresh(ref.jobId);
    backup.on(DescribeBackupJobCommand).resolves(described({ BackupJobId: jobId }));
    const d = deps();
    await Promise.allSettled(Array.from({ length: 10 }, () => handleFailedJob(d, { ...ref, jobId })));
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
  });

  it('10 concurrent deliveries of a non-retryable failure publish one alert', async () => {
    const ref = fromEvent('backup-job.failed.json');
    const jobId = fresh(ref.jobId);
    backup.on(DescribeBackupJobCommand).resolves(
      described({
        BackupJobId: jobId,
        State: 'FAILED',
        StatusMessage:
          '"Backup job failed because backup vault arn:aws:backup:us-west-2:111122223333:backup-vault:v does not exist."',
      }),
    );
    const d = deps();
    await Promise.allSettled(Array.from({ length: 10 }, () => handleFailedJob(d, { ...ref, jobId })));
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(backup).not.toHaveReceivedCommand(StartBackupJobCommand);
  });

  it.each([
    [2, 'at(2026-11-24T03:50:00)'],
    [3, 'at(2026-11-24T04:50:00)'],
  ])('schedules attempt %i at %s (30 min x 2^(k-1) after the failure)', async (attempt, expression) => {
    const jobId = fresh('job');
    const failure = described({ BackupJobId: jobId, CompletionDate: new Date('2026-11-24T02:50:00Z') });
    backup.on(DescribeBackupJobCommand).resolves(failure);
    // Earlier attempts already started: seed the ledger as the first attempts left it.
    const d = deps();
    const original: FailedJob = {
      kind: 'backup',
      jobId,
      state: 'EXPIRED',
      accountId: '111122223333',
      region: 'us-east-1',
      resourceArn: RESOURCE,
      vaultName: 'prod-daily',
      iamRoleArn: ROLE,
      createdAt: new Date('2026-11-24T01:00:00Z'),
    };
    const key = logicalKeyOf(original);
    await d.ledger.open(key, original, 'job-already-running', { now: NOW });
    for (let k = 1; k < attempt; k += 1) {
      const input = {
        BackupVaultName: 'prod-daily',
        ResourceArn: RESOURCE,
        IamRoleArn: ROLE,
        IdempotencyToken: '00000000-0000-5000-8000-000000000000',
      };
      await d.ledger.claimAttempt(key, k, 'backup', input, { now: NOW });
      await d.ledger.started({ key, attempt: k, kind: 'backup', input, newJobId: `${jobId}-r${k}` }, { now: NOW });
    }
    await expect(handleFailedJob(d, { kind: 'backup', jobId, trigger: 'event' })).resolves.toMatchObject({
      result: 'scheduled',
      attempt,
    });
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input?.ScheduleExpression).toBe(expression);
    expect(input?.Name).toBe(`retry-${key}-a${attempt}`);
    expect(JSON.parse(input?.Target?.Input ?? '{}')).toEqual({
      source: 'backup-autopilot',
      action: 'retry-attempt',
      logicalKey: key,
      attempt,
      kind: 'backup',
      jobId,
      // Where the job is re-described and retried when the schedule fires (the job's account and Region).
      account: TEST_ACCOUNT,
      region: TEST_REGION,
    });
  });

  it('published FAILED copy event (access denied listing tags): no retry, one alert with cause and remedy', async () => {
    const ref = fromEvent('copy-job.failed.json');
    const jobId = fresh(ref.jobId);
    backup.on(DescribeCopyJobCommand).resolves({
      CopyJob: {
        CopyJobId: jobId,
        AccountId: '111122223333',
        State: 'FAILED',
        ResourceArn: 'arn:aws:ec2:us-west-2:111122223333:instance/i-0515aee7de03f58e1',
        ResourceType: 'EC2',
        SourceBackupVaultArn: 'arn:aws:backup:us-west-2:111122223333:backup-vault:55aa945e-c46a-421b-aa27-f94b074e31b7',
        SourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5',
        DestinationBackupVaultArn:
          'arn:aws:backup:us-west-2:111122223333:backup-vault:55aa945e-c46a-421b-aa27-f94b074e31b7',
        IamRoleArn: 'arn:aws:iam::111122223333:role/RoleForEc2BackupWithNoDescribeTagsPermissions',
        CreationDate: new Date('2026-11-24T01:00:00Z'),
        CompletionDate: new Date('2026-11-24T01:30:00Z'),
        StatusMessage: 'Access denied exception while trying to list tags',
      },
    });
    await expect(handleFailedJob(deps(), { ...ref, jobId })).resolves.toMatchObject({
      result: 'skipped',
      reason: 'not-retryable',
      alerted: true,
    });
    expect(backup).not.toHaveReceivedCommand(StartCopyJobCommand);
    const body = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(body).toContain('Cause: The backup role is not allowed to read the resource or its tags');
    expect(body).toContain('What to do: Give the role the permissions of AWSBackupServiceRolePolicyForBackup');
    expect(body).toContain('AWS said: Access denied exception while trying to list tags');
  });

  it("diagnoses with the copy's destination vault type: a LAG destination refused over a key says so", async () => {
    // Prepare: the kms-key-not-shared row's example, DescribeCopyJob naming a LAG destination
    const ref = fromEvent('copy-job.failed.json');
    const jobId = fresh(ref.jobId);
    const message = DIAGNOSIS_TABLE.find((r) => r.category === 'kms-key-not-shared')?.examples[0];
    backup.on(DescribeCopyJobCommand).resolves({
      CopyJob: {
        CopyJobId: jobId,
        AccountId: '111122223333',
        State: 'FAILED',
        ResourceArn: 'arn:aws:ec2:us-west-2:111122223333:instance/i-0515aee7de03f58e1',
        ResourceType: 'EC2',
        SourceBackupVaultArn: 'arn:aws:backup:us-west-2:111122223333:backup-vault:prod',
        SourceRecoveryPointArn: 'arn:aws:ec2:us-west-2::image/ami-00179b33a7a88cac5',
        DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:111122223333:backup-vault:lag-vault',
        DestinationVaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
        DestinationVaultLockState: 'LOCKED',
        IamRoleArn: ROLE,
        CreationDate: new Date('2026-11-24T01:00:00Z'),
        CompletionDate: new Date('2026-11-24T01:30:00Z'),
        StatusMessage: message,
      },
    });
    // Act
    const outcome = await handleFailedJob(deps(), { ...ref, jobId });
    // Assess
    expect(outcome).toMatchObject({ result: 'skipped', reason: 'not-retryable', alerted: true });
    const body = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(body).toContain('The destination is a logically air-gapped vault');
    expect(body).toContain('Diagnosis: kms-key-not-shared (not retryable)');
  });

  it.each([
    [
      'backup-job.failed.transient.json',
      { StatusMessage: 'An internal error occurred. Please try again later.' },
      'started',
    ],
    ['backup-job.failed.child-job.json', { ParentJobId: 'parent-job-1' }, 'skipped'],
  ])('%s -> %s', async (file, overrides, result) => {
    const ref = fromEvent(file);
    const jobId = fresh(ref.jobId);
    backup.on(DescribeBackupJobCommand).resolves(
      described({
        BackupJobId: jobId,
        State: 'FAILED',
        CompletionDate: new Date('2026-11-23T20:00:00Z'),
        ...overrides,
      }),
    );
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'r' });
    const outcome = await handleFailedJob(deps(), { ...ref, jobId });
    expect(outcome.result).toBe(result);
    if (outcome.result === 'skipped') expect(outcome.reason).toBe('child-job');
  });

  it('backup-job.failed.throttled-start.json: a throttled Start is raised for Lambda to retry, then re-sent identically', async () => {
    const ref = fromEvent('backup-job.failed.throttled-start.json');
    const jobId = fresh(ref.jobId);
    backup.on(DescribeBackupJobCommand).resolves(
      described({
        BackupJobId: jobId,
        State: 'FAILED',
        StatusMessage: 'Rate exceeded',
        CompletionDate: new Date('2026-11-23T20:00:00Z'),
      }),
    );
    backup
      .on(StartBackupJobCommand)
      .rejectsOnce(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
      )
      .resolves({ BackupJobId: 'r' });
    await expect(handleFailedJob(deps(), { ...ref, jobId })).rejects.toMatchObject({
      errorName: 'ThrottlingException',
    });
    await expect(
      handleFailedJob(deps({}, new Date(NOW.getTime() + 120_000)), { ...ref, jobId }),
    ).resolves.toMatchObject({ result: 'started' });
    const [first, second] = backup.commandCalls(StartBackupJobCommand).map((c) => c.args[0].input);
    expect(second).toEqual(first);
  });
});
