import {
  type BackupClient,
  ListBackupJobSummariesCommand,
  ListBackupJobsCommand,
  type ListBackupJobsCommandInput,
  ListCopyJobsCommand,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { buildSummaryReport } from '../../../functions/post-summary/build-report.js';
import { ValidationError } from '../../../shared/errors.js';
import {
  ACCOUNT,
  aBackupJob,
  aCopyJob,
  aRestoreJob,
  fromArray,
  isWindow,
  NOW,
  OTHER_ACCOUNT,
  PREVIOUS_SINCE,
  REGION,
  recoveryPointArn,
  SINCE,
  serve,
  volumeArn,
} from './builders.js';
import { aRequest, regionClients, someDeps } from './harness.js';

const LIST_COMMANDS = [ListBackupJobsCommand, ListCopyJobsCommand, ListRestoreJobsCommand] as const;

/** The inputs of every call of one list command (the three share the paging and window fields). */
const inputsOf = (mock: AwsClientStub<BackupClient>, command: (typeof LIST_COMMANDS)[number]) =>
  mock
    .calls()
    .map((call) => call.args[0])
    .filter((sent) => sent instanceof command)
    .map((sent) => sent.input as ListBackupJobsCommandInput);

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/** N generated jobs of every kind in both windows, built on demand by index. */
const everyKind = (n: number) => ({
  backup: () => ({
    count: n,
    at: (i: number) => aBackupJob({ BackupJobId: `b-${i}`, ResourceArn: volumeArn(i % 50) }),
  }),
  copy: () => ({ count: n, at: (i: number) => aCopyJob({ CopyJobId: `c-${i}` }) }),
  restore: () => ({ count: n, at: (i: number) => aRestoreJob({ RestoreJobId: `r-${i}` }) }),
});

describe('paging', () => {
  it.each([0, 1, 1000, 1001, 2500])('%i jobs a kind cost ceil(N/1000) list calls a kind and window', async (n) => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, everyKind(n));
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });

    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest());

    // A listing needs one call even when empty; a full-page service then needs one per 1000 jobs.
    const calls = Math.max(1, Math.ceil(n / 1000));
    for (const command of LIST_COMMANDS) {
      const inputs = inputsOf(mock, command);
      expect(inputs.filter((input) => isWindow(input, SINCE))).toHaveLength(calls);
      expect(inputs.filter((input) => isWindow(input, PREVIOUS_SINCE))).toHaveLength(calls);
      expect(inputs.every((input) => input.MaxResults === 1000)).toBe(true);
    }
    expect([report.backup.total, report.copy.total, report.restore.total]).toEqual([n, n, n]);
    expect([report.previous?.backup.total, report.previous?.copy.total, report.previous?.restore.total]).toEqual([
      n,
      n,
      n,
    ]);
    expect(report.complete).toBe(true);
  });
});

describe('incomplete summaries', () => {
  it('a backup listing failing on its second page is named, the jobs before it stay counted', async () => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, everyKind(1500));
    mock.on(ListBackupJobsCommand).callsFake((input: ListBackupJobsCommandInput) => {
      if (input.NextToken && isWindow(input, SINCE)) throw throttled();
      const count = input.NextToken ? 500 : 1000;
      return {
        BackupJobs: Array.from({ length: count }, (_, i) =>
          aBackupJob({ BackupJobId: `b-${i}`, ResourceArn: volumeArn(i) }),
        ),
        NextToken: input.NextToken ? undefined : '1000',
      };
    });
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });

    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest());

    expect(report.complete).toBe(false);
    expect(report.missing).toEqual([
      {
        what: 'backup jobs',
        region: REGION,
        error: 'ListBackupJobs failed: ThrottlingException: Rate exceeded (1000 counted before the failure)',
      },
    ]);
    expect(report.backup.total).toBe(1000);
    expect(report.copy.total).toBe(1500);
    expect(report.previous?.backup.total).toBe(1500);
    // Without this window's full listing every resource would look missed: none is reported.
    expect(report.silentMisses).toEqual({ items: [], more: 0 });
  });

  it.each([
    { what: 'copy jobs', command: ListCopyJobsCommand, since: SINCE },
    { what: 'restore jobs', command: ListRestoreJobsCommand, since: SINCE },
    { what: 'previous-window backup jobs', command: ListBackupJobsCommand, since: PREVIOUS_SINCE },
    { what: 'previous-window copy jobs', command: ListCopyJobsCommand, since: PREVIOUS_SINCE },
  ])('a failing $what listing becomes a MissingPart', async ({ what, command, since }) => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, everyKind(3));
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    // The three list inputs share ByCreatedAfter; `on` cannot type a union of command classes.
    mock.on(command as typeof ListBackupJobsCommand, { ByCreatedAfter: since }).rejects(throttled());

    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest());

    expect(report.complete).toBe(false);
    expect(report.missing).toHaveLength(1);
    expect(report.missing[0]).toMatchObject({ what, region: REGION });
    expect(report.missing[0]?.error).toContain('ThrottlingException');
  });

  it('leaves a Region out of copy coverage when its copy listing failed', async () => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, everyKind(3));
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    mock.on(ListCopyJobsCommand).rejects(throttled());

    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest());

    expect(report.copyCoverage).toMatchObject({ recoveryPoints: 0, copied: 0, ratio: null });
    expect(report.missing.map((m) => m.what)).toEqual(['copy jobs', 'previous-window copy jobs']);
  });

  it('names the trend when ListBackupJobSummaries fails, and omits it', async () => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, everyKind(1));
    mock.on(ListBackupJobSummariesCommand).rejects(throttled());

    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest());

    expect(report.trend).toBeUndefined();
    expect(report.missing).toEqual([
      {
        what: 'backup job trend (ListBackupJobSummaries)',
        region: REGION,
        error: 'ListBackupJobSummaries failed: ThrottlingException: Rate exceeded',
      },
    ]);
  });

  it('names the previous window when it lies beyond the 30 days ListBackupJobs covers', async () => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, everyKind(2));
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    const since = new Date(NOW.getTime() - 20 * 86_400_000);

    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest({ since, until: NOW }));

    expect(report.previous).toBeUndefined();
    expect(report.missing).toEqual([
      expect.objectContaining({ what: 'previous window (comparison and silent misses)', region: REGION }),
    ]);
    expect(mock.commandCalls(ListBackupJobsCommand)).toHaveLength(1);
    expect(report.backup.total).toBe(2);
  });
});

describe('scope and Regions', () => {
  it('organization scope lists backup jobs with ByAccountId * and copies and restores for this account', async () => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, {
      backup: (input) =>
        fromArray(
          isWindow(input, SINCE)
            ? [
                aBackupJob({ BackupJobId: 'mine' }),
                aBackupJob({
                  BackupJobId: 'theirs',
                  AccountId: OTHER_ACCOUNT,
                  RecoveryPointArn: recoveryPointArn('x', REGION, OTHER_ACCOUNT),
                }),
              ]
            : [],
        ),
      copy: () => fromArray([aCopyJob({ SourceRecoveryPointArn: recoveryPointArn('mine') })]),
    });
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });

    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest({ scope: 'organization' }));

    for (const call of mock.commandCalls(ListBackupJobsCommand))
      expect(call.args[0].input).toMatchObject({ ByAccountId: '*' });
    for (const command of [ListCopyJobsCommand, ListRestoreJobsCommand]) {
      for (const input of inputsOf(mock, command)) expect(input).toMatchObject({ ByAccountId: ACCOUNT });
    }
    expect(mock).toHaveReceivedCommandWith(ListBackupJobSummariesCommand, {
      AccountId: 'ANY',
      AggregationPeriod: 'ONE_DAY',
    });
    expect(report.scope).toEqual({ kind: 'organization', accountId: ACCOUNT, regions: [REGION] });
    expect([report.backup.scope, report.copy.scope, report.restore.scope]).toEqual([
      'organization',
      'account',
      'account',
    ]);
    expect(report.backup.byAccount).toEqual({
      [ACCOUNT]: { total: 1, byState: { COMPLETED: 1 } },
      [OTHER_ACCOUNT]: { total: 1, byState: { COMPLETED: 1 } },
    });
    // Only this account's copies are listed, so only its recovery points count towards coverage.
    expect(report.copyCoverage).toMatchObject({ recoveryPoints: 1, copied: 1, ratio: 1 });
  });

  it('account scope lists every kind for this account and asks the trend without AccountId', async () => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, {});
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });

    await buildSummaryReport(someDeps(regions.backupClientFor), aRequest());

    for (const command of LIST_COMMANDS) {
      for (const input of inputsOf(mock, command)) expect(input).toMatchObject({ ByAccountId: ACCOUNT });
    }
    expect(mock.commandCalls(ListBackupJobSummariesCommand)[0]?.args[0].input).not.toHaveProperty('AccountId');
  });

  it('merges several Regions into one report and names the Region of a missing part', async () => {
    const regions = regionClients(['eu-west-1', 'us-east-1']);
    serve(regions.get('eu-west-1').mock, {
      backup: (input) => fromArray(isWindow(input, SINCE) ? [aBackupJob({ BackupJobId: 'eu', State: 'FAILED' })] : []),
    });
    serve(regions.get('us-east-1').mock, {
      backup: (input) =>
        fromArray(
          isWindow(input, SINCE)
            ? [
                aBackupJob({ BackupJobId: 'us', State: 'FAILED', ResourceArn: volumeArn(2, 'us-east-1') }),
                aBackupJob({ BackupJobId: 'us-ok' }),
              ]
            : [],
        ),
    });
    regions.get('eu-west-1').mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    regions.get('us-east-1').mock.on(ListRestoreJobsCommand).rejects(throttled());
    regions.get('us-east-1').mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });

    const report = await buildSummaryReport(
      someDeps(regions.backupClientFor),
      aRequest({ regions: ['eu-west-1', 'us-east-1'] }),
    );

    expect(report.backup.byState).toMatchObject({ FAILED: 2, COMPLETED: 1 });
    expect(report.problemJobs.items.map((p) => [p.jobId, p.region, p.link.slice(0, 42)])).toEqual([
      ['eu', 'eu-west-1', 'https://eu-west-1.console.aws.amazon.com/b'],
      ['us', 'us-east-1', 'https://us-east-1.console.aws.amazon.com/b'],
    ]);
    expect(report.missing.map((m) => [m.what, m.region])).toEqual([
      ['restore jobs', 'us-east-1'],
      ['previous-window restore jobs', 'us-east-1'],
    ]);
    expect(report.scope.regions).toEqual(['eu-west-1', 'us-east-1']);
  });
});

describe('request validation', () => {
  it.each([
    { field: 'since', overrides: { since: new Date('nope') } },
    { field: 'since', overrides: { since: SINCE, until: SINCE } },
    { field: 'regions', overrides: { regions: [] } },
    { field: 'accountId', overrides: { accountId: '123' } },
    { field: 'maxListed', overrides: { maxListed: -1 } },
    { field: 'topReasons', overrides: { topReasons: 1.5 } },
  ])('rejects a bad $field', async ({ field, overrides }) => {
    const regions = regionClients([REGION]);
    const result = buildSummaryReport(someDeps(regions.backupClientFor), aRequest(overrides));
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.toMatchObject({ field });
    expect(regions.get(REGION).mock.calls()).toHaveLength(0);
  });
});
