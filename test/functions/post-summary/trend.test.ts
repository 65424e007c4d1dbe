import {
  BackupClient,
  type BackupJobStatus,
  type BackupJobSummary,
  ListBackupJobSummariesCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { TREND_DAYS, TrendBuilder, trendFreshness } from '../../../functions/post-summary/trend.js';
import { NOW } from './builders.js';

const backup = mockClient(BackupClient);
afterEach(() => backup.reset());

const row = (date: string, state: BackupJobStatus, count: number, region = 'eu-west-1'): BackupJobSummary => ({
  Region: region,
  AccountId: '111122223333',
  State: state,
  ResourceType: 'AGGREGATE_ALL',
  MessageCategory: 'AGGREGATE_ALL',
  Count: count,
  StartTime: new Date(`${date}T00:00:00.000Z`),
  EndTime: new Date(`${date}T23:59:59.999Z`),
});

describe('TrendBuilder', () => {
  it('sums daily counts by state over Regions for the 14 days before the last 00:00 UTC', async () => {
    backup
      .on(ListBackupJobSummariesCommand)
      .resolvesOnce({
        BackupJobSummaries: [
          row('2026-11-23', 'COMPLETED', 40),
          row('2026-11-23', 'FAILED', 2),
          row('2026-11-10', 'COMPLETED', 38),
          // Outside the 14 days, and a summed row: both ignored.
          row('2026-11-09', 'COMPLETED', 99),
          row('2026-11-23', 'ANY', 42),
        ],
        NextToken: 'more',
      })
      .resolvesOnce({ BackupJobSummaries: [row('2026-11-22', 'EXPIRED', 1)] })
      .resolvesOnce({ BackupJobSummaries: [row('2026-11-23', 'COMPLETED', 5, 'us-east-1')] });
    const trend = new TrendBuilder(NOW, 'account');

    await trend.addRegion(new BackupClient({ region: 'eu-west-1' }));
    await trend.addRegion(new BackupClient({ region: 'us-east-1' }));
    const result = trend.result(NOW);

    expect(result.days).toHaveLength(TREND_DAYS);
    expect(result.days[0]).toEqual({ date: '2026-11-10', byState: { COMPLETED: 38 } });
    expect(result.days.at(-2)).toEqual({ date: '2026-11-22', byState: { EXPIRED: 1 } });
    expect(result.days.at(-1)).toEqual({ date: '2026-11-23', byState: { COMPLETED: 45, FAILED: 2 } });
    expect(result.days.slice(1, -2).every((d) => Object.keys(d.byState).length === 0)).toBe(true);
    expect(result.scope).toBe('account');
    expect(backup).toHaveReceivedCommandWith(ListBackupJobSummariesCommand, {
      AggregationPeriod: 'ONE_DAY',
      State: 'ANY',
      ResourceType: 'AGGREGATE_ALL',
      MessageCategory: 'AGGREGATE_ALL',
    });
  });

  it.each([
    { scope: 'organization' as const, accountId: 'ANY' },
    { scope: 'account' as const, accountId: undefined },
  ])('$scope scope asks AccountId $accountId', async ({ scope, accountId }) => {
    backup.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    await new TrendBuilder(NOW, scope).addRegion(new BackupClient({}));
    expect(backup.commandCalls(ListBackupJobSummariesCommand)[0]?.args[0].input.AccountId).toBe(accountId);
  });
});

describe('trendFreshness', () => {
  it.each([
    {
      now: '2026-11-24T01:00:00Z',
      expected:
        'AWS Backup job summaries (a daily aggregate) up to 00:00 UTC 2026-11-24; jobs since then are not included; AWS refreshes them around 01:30-02:30 UTC, so 2026-11-23 may not be in yet',
    },
    {
      now: '2026-11-24T08:00:00Z',
      expected:
        'AWS Backup job summaries (a daily aggregate) up to 00:00 UTC 2026-11-24; jobs since then are not included; refreshed around 01:30-02:30 UTC today',
    },
  ])('at $now', ({ now, expected }) => {
    expect(trendFreshness(new Date(now))).toBe(expected);
  });
});
