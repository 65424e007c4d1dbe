import {
  BackupClient,
  ListBackupJobSummariesCommand,
  ListCopyJobSummariesCommand,
  ListRestoreJobSummariesCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BackupApiError,
  listBackupJobSummaries,
  listCopyJobSummaries,
  listRestoreJobSummaries,
} from '../../../shared/backup/index.js';
import { ValidationError } from '../../../shared/errors.js';
import { collect } from '../../fixtures/collect.js';

const backup = mockClient(BackupClient);
const client = new BackupClient({ region: 'us-east-1' });

beforeEach(() => backup.reset());

describe('job summaries', () => {
  it('pages through daily backup summaries with the filters mapped', async () => {
    backup
      .on(ListBackupJobSummariesCommand)
      .resolvesOnce({ BackupJobSummaries: [{ State: 'COMPLETED', Count: 3 }], NextToken: 'n' })
      .resolvesOnce({ BackupJobSummaries: [{ State: 'FAILED', Count: 1 }] });
    const rows = await collect(
      listBackupJobSummaries(client, { period: 'ONE_DAY', accountId: 'ANY', state: 'FAILED', messageCategory: 'ANY' }),
    );
    expect(rows.map((r) => r.Count)).toEqual([3, 1]);
    expect(backup).toHaveReceivedCommandWith(ListBackupJobSummariesCommand, {
      AggregationPeriod: 'ONE_DAY',
      AccountId: 'ANY',
      State: 'FAILED',
      MessageCategory: 'ANY',
      MaxResults: 500,
    });
  });

  it('lists copy and restore summaries', async () => {
    backup.on(ListCopyJobSummariesCommand).resolves({ CopyJobSummaries: [{ State: 'COMPLETED', Count: 2 }] });
    backup.on(ListRestoreJobSummariesCommand).resolves({ RestoreJobSummaries: [{ State: 'FAILED', Count: 1 }] });
    expect(await collect(listCopyJobSummaries(client, { period: 'SEVEN_DAYS' }))).toHaveLength(1);
    expect(
      await collect(listRestoreJobSummaries(client, { period: 'FOURTEEN_DAYS', resourceType: 'EBS' })),
    ).toHaveLength(1);
    expect(backup).toHaveReceivedCommandWith(ListRestoreJobSummariesCommand, {
      AggregationPeriod: 'FOURTEEN_DAYS',
      ResourceType: 'EBS',
    });
  });

  it.each<[string, () => unknown, string]>([
    ['unknown period', () => listBackupJobSummaries(client, { period: 'ONE_HOUR' as never }), 'period'],
    ['account *', () => listCopyJobSummaries(client, { period: 'ONE_DAY', accountId: '*' }), 'accountId'],
    ['page size 501', () => listRestoreJobSummaries(client, { period: 'ONE_DAY' }, { pageSize: 501 }), 'pageSize'],
  ])('%s fails before any call', (_name, call, field) => {
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(new RegExp(`^${field} `));
    expect(backup.calls()).toHaveLength(0);
  });

  it('wraps API errors', async () => {
    backup
      .on(ListBackupJobSummariesCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(collect(listBackupJobSummaries(client, { period: 'ONE_DAY' }))).rejects.toBeInstanceOf(BackupApiError);
  });
});
