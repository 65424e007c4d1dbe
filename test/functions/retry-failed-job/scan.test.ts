import { BackupClient, DescribeScanJobCommand, type DescribeScanJobOutput } from '@aws-sdk/client-backup';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobInFlightError } from '../../../functions/retry-failed-job/facts.js';
import { handleScanAlert, type ScanDeps } from '../../../functions/retry-failed-job/scan.js';
import { ScanLedger } from '../../../functions/retry-failed-job/scan-ledger.js';
import { diagnoseJob } from '../../../shared/diagnosis/index.js';
import { parseScanJobEvent, type ScanJobStateChange } from '../../../shared/events/index.js';
import { aBaseDeps, metricsInto, recordingLogger, TEST_ACCOUNT, TEST_REGION } from '../../support/base-deps.js';
import { sampleEvent } from '../../support/events.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aConfig, ENV, NOW } from './builders.js';

const backup = mockClient(BackupClient);
const sns = mockClient(SNSClient);
let table: LedgerTable;
beforeAll(async () => {
  table = await startLedgerTable('retry-scan');
});
afterAll(async () => table.stop());

const INSTANCE = `arn:aws:ec2:${TEST_REGION}:${TEST_ACCOUNT}:instance/i-0515aee7de03f58e1`;
const VAULT = 'prod-daily';
const VAULT_ARN = `arn:aws:backup:${TEST_REGION}:${TEST_ACCOUNT}:backup-vault:${VAULT}`;
const POINT = `arn:aws:backup:${TEST_REGION}:${TEST_ACCOUNT}:recovery-point:abcd1234-5678-abcd-9012-abcdef123456`;
// A real AWS Backup message for a role that may not act (the diagnosis corpus quotes it); what the
// alert must say of it is whatever the table says, which shared/diagnosis tests on its own.
const MESSAGE = 'Insufficient privileges to perform this action.';
const DIAGNOSIS = diagnoseJob({ kind: 'scan', state: 'FAILED', statusMessage: MESSAGE, resourceType: 'EC2' });

let n = 0;
/** AWS's sample of `file`, in the test account and Region and vault, with a fresh scan job id. */
const anEvent = (
  file: 'scan-job.failed.json' | 'scan-job.completed.json' | 'scan-job.completed-with-issues.json',
  overrides: Record<string, unknown> = {},
  detail: Record<string, unknown> = {},
): ScanJobStateChange => {
  n += 1;
  const sample = sampleEvent(file);
  return parseScanJobEvent({
    ...sample,
    account: TEST_ACCOUNT,
    region: TEST_REGION,
    resources: [POINT],
    ...overrides,
    detail: {
      ...(sample.detail as object),
      accountId: TEST_ACCOUNT,
      scanJobId: `scan-${n}`,
      backupVaultName: VAULT,
      backupVaultArn: VAULT_ARN,
      recoveryPointArn: POINT,
      resourceArn: INSTANCE,
      iamRoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/BackupRole`,
      scannerRoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/ScannerRole`,
      scanBaseRecoveryPointArn: POINT,
      ...detail,
    },
  });
};

/** DescribeScanJob's answer for the event's job (the model's required members), `extra` over it. */
const described = (event: ScanJobStateChange, extra: Partial<DescribeScanJobOutput> = {}) =>
  backup.on(DescribeScanJobCommand, { ScanJobId: event.scanJobId }).resolves({
    AccountId: TEST_ACCOUNT,
    BackupVaultArn: VAULT_ARN,
    BackupVaultName: VAULT,
    CreatedBy: {
      BackupPlanArn: `arn:aws:backup:${TEST_REGION}:${TEST_ACCOUNT}:backup-plan:plan-1`,
      BackupPlanId: 'plan-1',
      BackupPlanVersion: 'v1',
      BackupRuleId: 'rule-1',
    },
    CreationDate: NOW,
    IamRoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/BackupRole`,
    MalwareScanner: 'GUARDDUTY',
    RecoveryPointArn: POINT,
    ResourceArn: INSTANCE,
    ResourceName: 'web-1',
    ResourceType: 'EC2',
    ScanJobId: event.scanJobId,
    ScanId: 'gd-scan-1',
    ScanMode: 'INCREMENTAL_SCAN',
    ScannerRoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/ScannerRole`,
    State: event.state,
    ...(event.scanResultStatus ? { ScanResult: { ScanResultStatus: event.scanResultStatus } } : {}),
    ...(event.state === 'FAILED' ? { StatusMessage: MESSAGE } : {}),
    ...extra,
  });

const aScanDeps = (env: Record<string, string> = {}, metrics: string[] = [], logged: unknown[] = []): ScanDeps => ({
  ...aBaseDeps('backup-autopilot-retry-failed-job', { metrics: metricsInto(metrics), logger: recordingLogger(logged) }),
  config: aConfig({ LEDGER_TABLE_NAME: table.tableName, ...env }),
  scanLedger: new ScanLedger(table.documentClient, table.tableName, 90),
  now: () => NOW,
});

const item = async (event: ScanJobStateChange) =>
  (
    await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: `scan#${event.scanJobId}` } }),
    )
  ).Item;

const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

beforeEach(() => {
  backup.reset();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('a FAILED malware scan', () => {
  it('gets one alert with cause and remedy for three deliveries, and one Describe call', async () => {
    const event = anEvent('scan-job.failed.json');
    described(event);
    const metrics: string[] = [];
    const deps = aScanDeps({}, metrics);
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) outcomes.push(await handleScanAlert(deps, event));
    expect(outcomes.map((o) => o.result)).toEqual(['scan-failed', 'duplicate', 'duplicate']);
    expect(outcomes[0]).toMatchObject({ alerted: true, category: DIAGNOSIS.category });
    expect(backup).toHaveReceivedCommandTimes(DescribeScanJobCommand, 1);
    const [message, ...more] = published();
    expect(more).toEqual([]);
    expect(message?.TopicArn).toBe(ENV.NOTIFY_TOPIC_ARN);
    expect(message?.Subject).toBe(
      `[backup-autopilot] ${TEST_ACCOUNT} i-0515aee7de03f58e1: malware scan FAILED (${DIAGNOSIS.category})`,
    );
    expect(message?.Message).toMatch(
      /^Malware scan of arn:aws:ec2:\S+:instance\/i-0515aee7de03f58e1 failed: the recovery point was not checked/,
    );
    expect(message?.Message).toContain(`\nCause: ${DIAGNOSIS.cause}\n`);
    expect(message?.Message).toContain(`\nWhat to do: ${DIAGNOSIS.remedy}\n`);
    expect(message?.Message).toContain(`AWS said: ${MESSAGE}`);
    expect(message?.Message).toContain(`Vault: ${VAULT}`);
    expect(message?.Message).toContain(`Recovery point: ${POINT}`);
    expect(message?.Message).toContain('Scanner: GUARDDUTY (INCREMENTAL_SCAN)');
    expect(message?.Message).toContain('GuardDuty scan id: gd-scan-1');
    expect(message?.Message).toContain('Backup plan: plan-1');
    expect(message?.MessageAttributes?.jobKind).toEqual({ DataType: 'String', StringValue: 'scan' });
    expect(message?.MessageAttributes?.category).toEqual({ DataType: 'String', StringValue: DIAGNOSIS.category });
    expect(metrics).toEqual(['AlertsPublished']);
    expect(await item(event)).toMatchObject({ settled: 'completed', status: 'alerted', alertedAt: NOW.toISOString() });
  });

  it("keeps AWS's published placeholder message when DescribeScanJob has none", async () => {
    const event = anEvent('scan-job.failed.json');
    described(event, { StatusMessage: undefined });
    await handleScanAlert(aScanDeps(), event);
    expect(published()[0]?.Message).toContain('AWS said: <failure reason>');
  });

  it('gets one alert when three deliveries arrive at once', async () => {
    const event = anEvent('scan-job.failed.json');
    described(event);
    const deps = aScanDeps();
    const settled = await Promise.allSettled([1, 2, 3].map(() => handleScanAlert(deps, event)));
    const outcomes = settled.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(outcomes.filter((o) => o.result === 'scan-failed')).toHaveLength(1);
    // The others found it handled (a duplicate) or still held: raised, so Lambda delivers them again.
    for (const o of settled) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(JobInFlightError);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('is muted by a rule naming its category and vault: counted, settled, not published', async () => {
    const event = anEvent('scan-job.failed.json');
    described(event);
    const metrics: string[] = [];
    const deps = aScanDeps(
      { ALERT_MUTE: JSON.stringify([{ vault: 'prod-*', categories: [DIAGNOSIS.category] }]) },
      metrics,
    );
    await expect(handleScanAlert(deps, event)).resolves.toMatchObject({ alerted: false });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(metrics).toEqual(['AlertsMuted']);
    expect(await item(event)).toMatchObject({ settled: 'completed', status: 'muted' });
  });

  it('a failed publish is raised, and the next delivery publishes', async () => {
    const event = anEvent('scan-job.failed.json');
    described(event);
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('KMS throttled'), { name: 'KMSThrottlingException' }))
      .resolves({ MessageId: 'm-2' });
    const deps = aScanDeps();
    await expect(handleScanAlert(deps, event)).rejects.toThrow('KMS throttled');
    expect((await item(event))?.alertedAt).toBeUndefined();
    await expect(handleScanAlert(deps, event)).resolves.toMatchObject({ alerted: true });
    await expect(handleScanAlert(deps, event)).resolves.toMatchObject({ result: 'duplicate' });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('a failed DescribeScanJob is raised, and the next delivery handles it', async () => {
    const event = anEvent('scan-job.failed.json');
    backup
      .on(DescribeScanJobCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const deps = aScanDeps();
    await expect(handleScanAlert(deps, event)).rejects.toMatchObject({ operation: 'DescribeScanJob' });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    described(event);
    await expect(handleScanAlert(deps, event)).resolves.toMatchObject({ alerted: true });
  });

  it('in a dry run, is logged as the alert it would be, with no publish and no ledger write', async () => {
    const event = anEvent('scan-job.failed.json');
    described(event);
    const logged: unknown[] = [];
    await expect(handleScanAlert(aScanDeps({ DRY_RUN: 'true' }, [], logged), event)).resolves.toMatchObject({
      result: 'scan-failed',
      alerted: false,
    });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(logged).toContainEqual([
      'dry run: would publish alert',
      { notification: expect.objectContaining({ subject: expect.stringContaining('malware scan FAILED') }) },
    ]);
    expect(await item(event)).toBeUndefined();
  });

  it('of another account is out of scope: no call, no write, no alert', async () => {
    const event = anEvent('scan-job.failed.json', { account: '999988887777' });
    described(event);
    await expect(handleScanAlert(aScanDeps(), event)).resolves.toMatchObject({
      result: 'skipped',
      reason: 'foreign-account',
    });
    expect(backup).not.toHaveReceivedCommand(DescribeScanJobCommand);
    expect(await item(event)).toBeUndefined();
  });
});

describe('a malware scan that found threats', () => {
  it.each([
    { file: 'scan-job.completed.json' as const, state: 'COMPLETED' },
    { file: 'scan-job.completed-with-issues.json' as const, state: 'COMPLETED_WITH_ISSUES' },
  ])('$state with THREATS_FOUND gets one alert saying where the findings are', async ({ file, state }) => {
    const event = anEvent(file, {}, { scanResult: { scanResultStatus: 'THREATS_FOUND' } });
    described(event);
    const deps = aScanDeps();
    const first = await handleScanAlert(deps, event);
    const again = await handleScanAlert(deps, event);
    expect(first).toEqual({
      result: 'scan-threats-found',
      jobId: event.scanJobId,
      category: 'threats-found',
      alerted: true,
    });
    expect(again.result).toBe('duplicate');
    const [message, ...more] = published();
    expect(more).toEqual([]);
    expect(message?.Subject).toBe(`[backup-autopilot] ${TEST_ACCOUNT} i-0515aee7de03f58e1: malware scan THREATS_FOUND`);
    expect(message?.Message).toContain(`(scan ${state})`);
    expect(message?.Message).toMatch(/^Malware scan of \S+ found threats: GuardDuty detected malware/);
    expect(message?.Message).toContain('at scan gd-scan-1');
    expect(message?.Message).toContain('do not restore this recovery point');
    expect(message?.Message).not.toContain('Cause:');
    expect(message?.MessageAttributes?.category).toEqual({ DataType: 'String', StringValue: 'threats-found' });
    expect(await item(event)).toMatchObject({ status: 'alerted', category: 'threats-found' });
  });

  it('is not muted by a rule that names failure categories, and is muted by one for its vault', async () => {
    const byCategory = anEvent('scan-job.completed.json');
    described(byCategory);
    const categoryRule = JSON.stringify([{ categories: ['access-denied'], vault: 'prod-*' }]);
    await expect(handleScanAlert(aScanDeps({ ALERT_MUTE: categoryRule }), byCategory)).resolves.toMatchObject({
      alerted: true,
    });
    const byVault = anEvent('scan-job.completed.json');
    described(byVault);
    await expect(
      handleScanAlert(aScanDeps({ ALERT_MUTE: JSON.stringify([{ vault: 'prod-*' }]) }), byVault),
    ).resolves.toMatchObject({ alerted: false });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('is not alerted when DescribeScanJob says the scan found nothing: settled as skipped', async () => {
    const event = anEvent('scan-job.completed.json');
    described(event, { ScanResult: { ScanResultStatus: 'NO_THREATS_FOUND' } });
    await expect(handleScanAlert(aScanDeps(), event)).resolves.toMatchObject({
      result: 'skipped',
      reason: 'nothing-to-alert',
    });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(await item(event)).toMatchObject({ settled: 'completed', status: 'skipped' });
  });
});
