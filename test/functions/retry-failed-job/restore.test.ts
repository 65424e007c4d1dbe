import { BackupClient, DescribeRestoreJobCommand, type DescribeRestoreJobOutput } from '@aws-sdk/client-backup';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobInFlightError } from '../../../functions/retry-failed-job/facts.js';
import { handleFailedRestore, type RestoreDeps } from '../../../functions/retry-failed-job/restore.js';
import { RestoreLedger } from '../../../functions/retry-failed-job/restore-ledger.js';
import { diagnoseJob } from '../../../shared/diagnosis/index.js';
import { parseRestoreJobEvent, type RestoreJobStateChange } from '../../../shared/events/index.js';
import { aBaseDeps, metricsInto, recordingLogger, TEST_ACCOUNT, TEST_REGION } from '../../support/base-deps.js';
import { sampleEvent } from '../../support/events.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aConfig, ENV, NOW } from './builders.js';

const backup = mockClient(BackupClient);
const sns = mockClient(SNSClient);
let table: LedgerTable;
beforeAll(async () => {
  table = await startLedgerTable('retry-restore');
});
afterAll(async () => table.stop());

const SOURCE = `arn:aws:ec2:${TEST_REGION}:${TEST_ACCOUNT}:instance/i-0abc1234def567890`;
const VAULT = `arn:aws:backup:${TEST_REGION}:${TEST_ACCOUNT}:backup-vault:prod-daily`;
const TESTING_PLAN = `arn:aws:backup:${TEST_REGION}:${TEST_ACCOUNT}:restore-testing-plan:weekly_ec2-1a2b3c`;
// The published FAILED sample's message (events/restore-job.failed.json).
const MESSAGE =
  'AWS Backup does not permit attaching a new instance profile to an EC2 instance. Please restore using the backed up instance profile.';
// What the table says of it today (the table's rows are tested on their own): the alert must carry it.
const DIAGNOSIS = diagnoseJob({ kind: 'restore', state: 'FAILED', statusMessage: MESSAGE, resourceType: 'EC2' });

let n = 0;
/** AWS's FAILED restore sample, in the test account, with a fresh job id. */
const anEvent = (overrides: Record<string, unknown> = {}): RestoreJobStateChange => {
  n += 1;
  const sample = sampleEvent('restore-job.failed.json');
  return parseRestoreJobEvent({
    ...sample,
    account: TEST_ACCOUNT,
    region: TEST_REGION,
    ...overrides,
    detail: { ...(sample.detail as object), restoreJobId: `R-${n}` },
  });
};

const described = (event: RestoreJobStateChange, extra: Partial<DescribeRestoreJobOutput> = {}) =>
  backup.on(DescribeRestoreJobCommand, { RestoreJobId: event.restoreJobId }).resolves({
    AccountId: TEST_ACCOUNT,
    RestoreJobId: event.restoreJobId,
    Status: 'FAILED',
    StatusMessage: MESSAGE,
    SourceResourceArn: SOURCE,
    BackupVaultArn: VAULT,
    RecoveryPointArn: `arn:aws:ec2:${TEST_REGION}::image/ami-12b3456dfb7f8cf90`,
    ResourceType: 'EC2',
    IamRoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/TestAWSBackupRole`,
    ...extra,
  });

const aRestoreDeps = (
  env: Record<string, string> = {},
  metrics: string[] = [],
  logged: unknown[] = [],
): RestoreDeps => ({
  ...aBaseDeps('backup-autopilot-retry-failed-job', { metrics: metricsInto(metrics), logger: recordingLogger(logged) }),
  config: aConfig({ LEDGER_TABLE_NAME: table.tableName, ...env }),
  restoreLedger: new RestoreLedger(table.documentClient, table.tableName, 90),
  now: () => NOW,
});

const item = async (event: RestoreJobStateChange) =>
  (
    await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: `restore#${event.restoreJobId}` } }),
    )
  ).Item;

beforeEach(() => {
  backup.reset();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('a FAILED restore', () => {
  it('gets one alert with cause and remedy for three deliveries, and one Describe call', async () => {
    const event = anEvent();
    described(event);
    const metrics: string[] = [];
    const deps = aRestoreDeps({}, metrics);
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) outcomes.push(await handleFailedRestore(deps, event));
    expect(outcomes.map((o) => o.result)).toEqual(['restore-failed', 'duplicate', 'duplicate']);
    expect(outcomes[0]).toMatchObject({ alerted: true, restoreTest: false });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(backup).toHaveReceivedCommandTimes(DescribeRestoreJobCommand, 1);
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(message?.TopicArn).toBe(ENV.NOTIFY_TOPIC_ARN);
    expect(message?.Subject).toBe(
      `[backup-autopilot] ${TEST_ACCOUNT} i-0abc1234def567890: restore FAILED (${DIAGNOSIS.category})`,
    );
    expect(message?.Message).toMatch(
      /^Restore of arn:aws:ec2:\S+:instance\/i-0abc1234def567890 failed: backup-autopilot does not retry restores/,
    );
    expect(message?.Message).toContain(`\nCause: ${DIAGNOSIS.cause}\n`);
    expect(message?.Message).toContain(`\nWhat to do: ${DIAGNOSIS.remedy}\n`);
    expect(message?.Message).toContain(`AWS said: ${MESSAGE}`);
    expect(message?.Message).toContain('Vault: prod-daily');
    expect(message?.Message).toContain(`#/jobs/restore/details/${event.restoreJobId}`);
    expect(message?.Message).not.toContain('Restore testing plan');
    expect(message?.MessageAttributes?.jobKind).toEqual({ DataType: 'String', StringValue: 'restore' });
    expect(metrics).toEqual(['AlertsPublished']);
    expect(await item(event)).toMatchObject({ settled: 'completed', status: 'alerted', alertedAt: NOW.toISOString() });
  });

  it('gets one alert when three deliveries arrive at once', async () => {
    const event = anEvent();
    described(event);
    const deps = aRestoreDeps();
    const settled = await Promise.allSettled([1, 2, 3].map(() => handleFailedRestore(deps, event)));
    const outcomes = settled.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(outcomes.filter((o) => o.result === 'restore-failed')).toHaveLength(1);
    // The others found it handled (a duplicate) or still held: raised, so Lambda delivers them again.
    for (const o of settled) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(JobInFlightError);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('is named a restore test, with its plan, when a restore testing plan ran it', async () => {
    const event = anEvent();
    described(event, { CreatedBy: { RestoreTestingPlanArn: TESTING_PLAN } });
    await expect(handleFailedRestore(aRestoreDeps(), event)).resolves.toMatchObject({ restoreTest: true });
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(message?.Subject).toContain(': restore test FAILED (');
    expect(message?.Message).toMatch(/^Restore test of /);
    expect(message?.Message).toContain(`Restore testing plan: ${TESTING_PLAN}`);
    expect(message?.MessageAttributes?.jobKind).toEqual({ DataType: 'String', StringValue: 'restore-test' });
  });

  it('is diagnosed as a restore: the status message chooses the category', async () => {
    const event = anEvent();
    described(event, { StatusMessage: 'Insufficient privileges to perform this action.' });
    await expect(handleFailedRestore(aRestoreDeps(), event)).resolves.toMatchObject({ category: 'access-denied' });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toContain('(access-denied)');
  });

  it('is not published when ALERT_MUTE mutes it: counted, logged with its rule, and settled', async () => {
    const event = anEvent();
    described(event);
    const metrics: string[] = [];
    const logged: unknown[] = [];
    const rule = { vault: 'prod-*', categories: [DIAGNOSIS.category] };
    const deps = aRestoreDeps({ ALERT_MUTE: JSON.stringify([rule]) }, metrics, logged);
    await expect(handleFailedRestore(deps, event)).resolves.toMatchObject({ alerted: false });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(metrics).toEqual(['AlertsMuted']);
    expect(logged).toContainEqual(['alert muted', expect.objectContaining({ rule })]);
    expect(await item(event)).toMatchObject({ settled: 'completed', status: 'muted' });
    expect((await item(event))?.alertedAt).toBeUndefined();
  });

  it('is published when the mute rule names another vault', async () => {
    const event = anEvent();
    described(event);
    const deps = aRestoreDeps({ ALERT_MUTE: JSON.stringify([{ vault: 'staging-*' }]) });
    await expect(handleFailedRestore(deps, event)).resolves.toMatchObject({ alerted: true });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('in a dry run, is logged as the alert it would be, with no publish and no ledger write', async () => {
    const event = anEvent();
    described(event);
    const logged: unknown[] = [];
    const deps = aRestoreDeps({ DRY_RUN: 'true' }, [], logged);
    await expect(handleFailedRestore(deps, event)).resolves.toMatchObject({ result: 'restore-failed', alerted: false });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(logged).toContainEqual([
      'dry run: would publish alert',
      { notification: expect.objectContaining({ subject: expect.stringContaining('restore FAILED') }) },
    ]);
    expect(await item(event)).toBeUndefined();
  });

  it('without NOTIFY_TOPIC_ARN, is logged only', async () => {
    const event = anEvent();
    described(event);
    const logged: unknown[] = [];
    const base = aRestoreDeps({}, [], logged);
    const deps: RestoreDeps = { ...base, config: { ...base.config, notifyTopicArn: undefined } };
    await expect(handleFailedRestore(deps, event)).resolves.toMatchObject({ alerted: false });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(logged).toContainEqual(['no NOTIFY_TOPIC_ARN: alert logged only', expect.anything()]);
  });

  it('a failed publish is raised, and the next delivery publishes', async () => {
    const event = anEvent();
    described(event);
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('KMS throttled'), { name: 'KMSThrottlingException' }))
      .resolves({ MessageId: 'm-2' });
    const deps = aRestoreDeps();
    await expect(handleFailedRestore(deps, event)).rejects.toThrow('KMS throttled');
    expect((await item(event))?.alertedAt).toBeUndefined();
    await expect(handleFailedRestore(deps, event)).resolves.toMatchObject({ alerted: true });
    await expect(handleFailedRestore(deps, event)).resolves.toMatchObject({ result: 'duplicate' });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('after a holder died having published, a later delivery takes over and does not publish again', async () => {
    const event = anEvent();
    described(event);
    const deps = aRestoreDeps();
    // An invocation an hour ago claimed the restore and published, then died before settling it.
    const earlier = { now: new Date(NOW.getTime() - 3_600_000) };
    await deps.restoreLedger.claim(event.restoreJobId, {}, earlier);
    await deps.restoreLedger.tellOnce(event.restoreJobId, async () => undefined, earlier);
    await expect(handleFailedRestore(deps, event)).resolves.toMatchObject({ result: 'restore-failed', alerted: false });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(await item(event)).toMatchObject({ settled: 'completed', status: 'alerted' });
  });

  it('a failed DescribeRestoreJob is raised, and the next delivery handles it', async () => {
    const event = anEvent();
    backup
      .on(DescribeRestoreJobCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const deps = aRestoreDeps();
    await expect(handleFailedRestore(deps, event)).rejects.toMatchObject({ operation: 'DescribeRestoreJob' });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    described(event);
    await expect(handleFailedRestore(deps, event)).resolves.toMatchObject({ alerted: true });
  });

  it("of a member, in central mode, is described in the member's account and Region and alerted with its account", async () => {
    const member = '444455556666';
    const event = anEvent({ account: member, region: 'eu-west-1' });
    described(event, { AccountId: member });
    const asked: [string, string | undefined][] = [];
    const base = aRestoreDeps();
    const deps: RestoreDeps = {
      ...base,
      deployment: { mode: 'central', memberRoleName: 'backup-autopilot-member', organizationId: 'o-a1b2c3d4e5' },
      backupClientFor: (region, account) => {
        asked.push([region, account]);
        return base.backupClientFor(region, account);
      },
    };
    await expect(handleFailedRestore(deps, event)).resolves.toMatchObject({ result: 'restore-failed', alerted: true });
    expect(asked).toEqual([['eu-west-1', member]]);
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.Subject).toContain(member);
  });

  it('of another account is out of scope: no call, no write, no alert', async () => {
    const event = anEvent({ account: '999988887777' });
    described(event);
    await expect(handleFailedRestore(aRestoreDeps(), event)).resolves.toMatchObject({
      result: 'skipped',
      reason: 'foreign-account',
    });
    expect(backup).not.toHaveReceivedCommand(DescribeRestoreJobCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(await item(event)).toBeUndefined();
  });
});
