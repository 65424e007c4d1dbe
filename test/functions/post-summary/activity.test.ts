import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityCollector, utcDays } from '../../../functions/post-summary/activity.js';
import { buildSummaryReport } from '../../../functions/post-summary/build-report.js';
import { type CopyActivity, dayStamp, type RetryActivity } from '../../../shared/ledger/activity.js';
import { expiresAt } from '../../../shared/ledger/policy.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { ACCOUNT, aBackupJob, fromArray, isWindow, REGION, SINCE, serve, UNTIL, volumeArn } from './builders.js';
import { aRequest, regionClients, someDeps } from './harness.js';

const HOUR_MS = 3_600_000;
const at = (hours: number) => new Date(SINCE.getTime() + hours * HOUR_MS);

const retry = (id: string, when: Date, status: RetryActivity['status'], startedJobIds: string[]): RetryActivity => ({
  ...dayStamp('retry', when),
  expiresAt: expiresAt(when, 30),
  status,
  accountId: ACCOUNT,
  region: REGION,
  resourceArn: volumeArn(id),
  backupVaultName: 'Default',
  attempts: startedJobIds.length,
  originalJobId: `orig-${id}`,
  startedJobIds,
});

const copy = (
  id: string,
  when: Date,
  status: CopyActivity['status'],
  copyJobId: string | undefined = status === 'started' ? `copy-job-${id}` : undefined,
): CopyActivity => ({
  ...dayStamp('copy', when),
  expiresAt: expiresAt(when, 30),
  status,
  ...(copyJobId ? { copyJobId } : {}),
  accountId: ACCOUNT,
  region: REGION,
  sourceRecoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:${id}`,
  destinationVaultArn: `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:dr`,
  ruleName: 'to-dr',
  hop: 1,
  hops: 1,
});

let table: LedgerTable;

beforeAll(async () => {
  table = await startLedgerTable();
  const items: Record<string, unknown>[] = [
    // In the window (which spans two UTC days: 08:00 to 08:00).
    { pk: 'retry#1', ...retry('1', at(1), 'started', ['job-1a', 'job-1b']) }, // latest job completed
    { pk: 'retry#2', ...retry('2', at(17), 'started', ['job-2a']) }, // latest job failed
    { pk: 'retry#3', ...retry('3', at(2), 'scheduled', []) },
    { pk: 'retry#4', ...retry('4', at(3), 'exhausted', ['job-4a', 'job-4b']) }, // latest job expired
    { pk: 'retry#5', ...retry('5', at(4), 'alerted', []) },
    { pk: 'retry#6', ...retry('6', at(20), 'started', ['job-6a']) }, // still running
    { pk: 'copy#1', ...copy('1', at(5), 'started') },
    { pk: 'copy#2', ...copy('2', at(18), 'started') },
    { pk: 'copy#3', ...copy('3', at(6), 'failed-to-start') },
    // A claim whose Start was never answered (its holder died), and one written as 'started' before
    // StartCopyJob by an earlier version: neither is a copy AWS accepted, so neither counts.
    { pk: 'copy#5', ...copy('5', at(7), 'claimed') },
    { pk: 'copy#6', ...copy('6', at(8), 'started', '') },
    // Outside the window, on days the query reads: not counted.
    { pk: 'retry#7', ...retry('7', at(-1), 'scheduled', []) },
    { pk: 'copy#4', ...copy('4', at(24), 'started') },
  ];
  for (const item of items) await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));
});

afterAll(async () => {
  await table.stop();
});

const listedJobs = [
  aBackupJob({ BackupJobId: 'job-1a', State: 'FAILED' }),
  aBackupJob({ BackupJobId: 'job-1b', State: 'COMPLETED' }),
  aBackupJob({ BackupJobId: 'job-2a', State: 'FAILED' }),
  aBackupJob({ BackupJobId: 'job-4b', State: 'EXPIRED' }),
  aBackupJob({ BackupJobId: 'job-6a', State: 'RUNNING' }),
  aBackupJob({ BackupJobId: 'unrelated', State: 'COMPLETED' }),
];

describe('utcDays', () => {
  it.each([
    { since: '2026-11-23T08:00:00Z', until: '2026-11-24T08:00:00Z', days: ['2026-11-23', '2026-11-24'] },
    { since: '2026-11-23T00:00:00Z', until: '2026-11-24T00:00:00Z', days: ['2026-11-23'] },
    { since: '2026-11-23T23:00:00Z', until: '2026-11-23T23:30:00Z', days: ['2026-11-23'] },
  ])('$since to $until', ({ since, until, days }) => {
    expect(utcDays(new Date(since), new Date(until))).toEqual(days);
  });
});

describe('toolkit activity from the ledger', () => {
  it('counts retries and copies by status and matches retried jobs against the listing', async () => {
    const collector = new ActivityCollector();
    await collector.load(table, SINCE, UNTIL);
    for (const job of listedJobs) collector.observeBackupJob(job);

    expect(collector.result()).toEqual({
      retries: { scheduled: 1, started: 4, succeeded: 1, failed: 2, exhausted: 1, alerted: 1 },
      copies: { started: 2, failedToStart: 1 },
    });
  });

  it('appears in the report when a ledger is configured', async () => {
    const regions = regionClients([REGION]);
    serve(regions.get(REGION).mock, { backup: (input) => fromArray(isWindow(input, SINCE) ? listedJobs : []) });

    const report = await buildSummaryReport(
      someDeps(regions.backupClientFor, {
        ledger: { documentClient: table.documentClient, tableName: table.tableName },
      }),
      aRequest(),
    );

    expect(report.toolkit).toEqual({
      retries: { scheduled: 1, started: 4, succeeded: 1, failed: 2, exhausted: 1, alerted: 1 },
      copies: { started: 2, failedToStart: 1 },
    });
  });

  it('names the ledger when it cannot be read', async () => {
    const regions = regionClients([REGION]);
    serve(regions.get(REGION).mock, {});

    const report = await buildSummaryReport(
      someDeps(regions.backupClientFor, {
        ledger: { documentClient: table.documentClient, tableName: 'no-such-table' },
      }),
      aRequest(),
    );

    expect(report.toolkit).toBeUndefined();
    expect(report.missing).toContainEqual(
      expect.objectContaining({ what: 'toolkit activity (ledger)', region: 'us-east-1' }),
    );
  });
});
