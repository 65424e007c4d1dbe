import { BackupClient, ListBackupJobSummariesCommand } from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { BackupApiError, listBackupJobSummaries } from '../../../shared/backup/index.js';
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

  it.each<[string, () => unknown, string]>([
    ['unknown period', () => listBackupJobSummaries(client, { period: 'ONE_HOUR' as never }), 'period'],
    ['account *', () => listBackupJobSummaries(client, { period: 'ONE_DAY', accountId: '*' }), 'accountId'],
    ['page size 501', () => listBackupJobSummaries(client, { period: 'ONE_DAY' }, { pageSize: 501 }), 'pageSize'],
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
