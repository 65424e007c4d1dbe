import {
  BackupClient,
  DescribeScanJobCommand,
  ListScanJobSummariesCommand,
  ListScanJobsCommand,
  type ListScanJobsCommandInput,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BackupApiError,
  describeScanJob,
  listScanJobSummaries,
  listScanJobs,
  type ScanJobFilter,
} from '../../../shared/backup/index.js';
import { ValidationError } from '../../../shared/errors.js';
import { collect } from '../../fixtures/collect.js';

const backup = mockClient(BackupClient);
const client = new BackupClient({ region: 'us-east-1' });
const now = new Date('2026-11-24T08:00:00Z');
const after = new Date('2026-11-23T08:00:00Z');
const before = new Date('2026-11-24T08:00:00Z');
const rpArn = 'arn:aws:backup:us-east-1:111122223333:recovery-point:abcd1234-5678-abcd-9012-abcdef123456';

beforeEach(() => {
  backup.reset();
  backup.on(ListScanJobsCommand).resolves({ ScanJobs: [] });
  backup.on(ListScanJobSummariesCommand).resolves({ ScanJobSummaries: [] });
});

describe('listScanJobs', () => {
  it.each<[keyof ScanJobFilter, ScanJobFilter[keyof ScanJobFilter], keyof ListScanJobsCommandInput]>([
    ['state', 'FAILED', 'ByState'],
    ['scanResultStatus', 'THREATS_FOUND', 'ByScanResultStatus'],
    ['malwareScanner', 'GUARDDUTY', 'ByMalwareScanner'],
    ['resourceArn', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', 'ByResourceArn'],
    ['resourceType', 'EC2', 'ByResourceType'],
    ['recoveryPointArn', rpArn, 'ByRecoveryPointArn'],
    ['vaultName', 'Default', 'ByBackupVaultName'],
    ['accountId', '*', 'ByAccountId'],
    ['completedAfter', after, 'ByCompleteAfter'],
    ['completedBefore', before, 'ByCompleteBefore'],
  ])('%s -> %s, and nothing else', async (key, value, apiName) => {
    await collect(listScanJobs(client, { [key]: value }, { now }));
    const input = (backup.commandCalls(ListScanJobsCommand)[0]?.args[0].input ?? {}) as Record<string, unknown>;
    expect(input[apiName]).toEqual(value);
    expect(
      Object.keys(input)
        .filter((k) => input[k] !== undefined)
        .sort(),
    ).toEqual([apiName, 'MaxResults'].sort());
  });

  it('follows NextToken until the last page, with a fresh input per listing', async () => {
    backup
      .on(ListScanJobsCommand)
      .resolvesOnce({ ScanJobs: [{ ScanJobId: 'a' } as never], NextToken: 't1' })
      .resolvesOnce({ ScanJobs: [{ ScanJobId: 'b' } as never] });
    const jobs = await collect(listScanJobs(client, { state: 'COMPLETED' }, { now, pageSize: 2 }));
    expect(jobs.map((j) => j.ScanJobId)).toEqual(['a', 'b']);
    expect(backup).toHaveReceivedCommandTimes(ListScanJobsCommand, 2);
    expect(backup).toHaveReceivedNthCommandWith(ListScanJobsCommand, 2, { NextToken: 't1', MaxResults: 2 });
  });

  it.each([
    { filter: { state: 'DONE' }, field: 'state', message: 'must be one of CREATED, RUNNING' },
    { filter: { scanResultStatus: 'SOME' }, field: 'scanResultStatus', message: 'must be one of NO_THREATS_FOUND' },
    { filter: { malwareScanner: 'CLAMAV' }, field: 'malwareScanner', message: 'must be one of GUARDDUTY' },
    { filter: { resourceType: 'RDS' }, field: 'resourceType', message: 'must be one of EBS, EC2, S3' },
    { filter: { resourceArn: 'i-1' }, field: 'resourceArn', message: 'must be an ARN' },
    { filter: { recoveryPointArn: 'rp' }, field: 'recoveryPointArn', message: 'must be an ARN' },
    { filter: { vaultName: ' ' }, field: 'vaultName', message: 'must be a non-empty string' },
    { filter: { accountId: '12' }, field: 'accountId', message: "must be a 12-digit account id or '*'" },
    {
      filter: { completedAfter: before, completedBefore: after },
      field: 'completedAfter',
      message: 'must be before completedBefore',
    },
    {
      filter: { completedAfter: new Date('2026-10-01T00:00:00Z') },
      field: 'completedAfter',
      message: 'ListScanJobs only covers the last 30 days',
    },
  ])('refuses $field before any call: $message', ({ filter, field, message }) => {
    let error: unknown;
    try {
      listScanJobs(client, filter as ScanJobFilter, { now });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect((error as Error).message).toContain(message);
    expect(backup).toHaveReceivedCommandTimes(ListScanJobsCommand, 0);
  });

  it('refuses a page size out of 1..1000', () => {
    expect(() => listScanJobs(client, {}, { pageSize: 1001 })).toThrow(ValidationError);
  });
});

describe('describeScanJob', () => {
  it('sends the id and returns the job', async () => {
    backup.on(DescribeScanJobCommand, { ScanJobId: 's-1' }).resolves({ ScanJobId: 's-1', State: 'FAILED' } as never);
    await expect(describeScanJob(client, 's-1')).resolves.toMatchObject({ ScanJobId: 's-1', State: 'FAILED' });
  });

  it('refuses an empty id before any call', async () => {
    await expect(describeScanJob(client, ' ')).rejects.toThrow('scanJobId');
    expect(backup).toHaveReceivedCommandTimes(DescribeScanJobCommand, 0);
  });

  it('names the operation when AWS refuses', async () => {
    const { BackupServiceException } = await import('@aws-sdk/client-backup');
    backup.on(DescribeScanJobCommand).rejects(
      new BackupServiceException({
        name: 'ResourceNotFoundException',
        $fault: 'client',
        $metadata: {},
        message: 'not found',
      }),
    );
    const error = await describeScanJob(client, 's-2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupApiError);
    expect((error as BackupApiError).operation).toBe('DescribeScanJob');
  });
});

describe('listScanJobSummaries', () => {
  it('maps the query to the API names', async () => {
    await collect(
      listScanJobSummaries(client, {
        period: 'SEVEN_DAYS',
        accountId: 'ANY',
        state: 'FAILED',
        resourceType: 'EBS',
        malwareScanner: 'GUARDDUTY',
        scanResultStatus: 'THREATS_FOUND',
      }),
    );
    expect(backup).toHaveReceivedCommandWith(ListScanJobSummariesCommand, {
      AggregationPeriod: 'SEVEN_DAYS',
      AccountId: 'ANY',
      State: 'FAILED',
      ResourceType: 'EBS',
      MalwareScanner: 'GUARDDUTY',
      ScanResultStatus: 'THREATS_FOUND',
      MaxResults: 500,
    });
  });

  it.each([
    { query: { period: 'ONE_WEEK' }, field: 'period' },
    { query: { period: 'ONE_DAY', accountId: 'all' }, field: 'accountId' },
    { query: { period: 'ONE_DAY', state: 'DONE' }, field: 'state' },
    { query: { period: 'ONE_DAY', malwareScanner: 'X' }, field: 'malwareScanner' },
    { query: { period: 'ONE_DAY', scanResultStatus: 'X' }, field: 'scanResultStatus' },
  ])('refuses a bad $field before any call', ({ query, field }) => {
    let error: unknown;
    try {
      listScanJobSummaries(client, query as never);
    } catch (e) {
      error = e;
    }
    expect((error as ValidationError).field).toBe(field);
    expect(backup).toHaveReceivedCommandTimes(ListScanJobSummariesCommand, 0);
  });
});
