import {
  ListBackupJobSummariesCommand,
  ListBackupJobsCommand,
  type ListBackupJobsCommandInput,
} from '@aws-sdk/client-backup';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSummaryReport } from '../../../functions/post-summary/build-report.js';
import { aBackupJob, fromArray, isWindow, PREVIOUS_SINCE, REGION, SINCE, serve } from './builders.js';
import { aRequest, regionClients, someDeps } from './harness.js';

const organizations = mockClient(OrganizationsClient);
afterEach(() => organizations.reset());

const REGIONS = [REGION, 'us-east-1', 'us-west-2'];
const HOUR_MS = 3_600_000;
const account = (i: number) => String(300000000000 + i);

/** Accounts 0..n-1, ACTIVE, 20 a page (as ListAccounts pages them), with names. */
const serveAccounts = (n: number) => {
  organizations.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? '0');
    const end = Math.min(n, start + 20);
    return {
      Accounts: Array.from({ length: end - start }, (_, k) => ({
        Id: account(start + k),
        Name: `team-${start + k}`,
        State: 'ACTIVE',
      })),
      NextToken: end < n ? String(end) : undefined,
    };
  });
};

/**
 * In every Region: account 0 has a failed and a completed job; accounts 1..n-3 one completed job;
 * account n-2 had jobs in the previous window only (it went silent); account n-1 none at all.
 */
const serveJobs = (regions: ReturnType<typeof regionClients>, n: number, failRegion?: string) => {
  for (const region of REGIONS) {
    const { mock } = regions.get(region);
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    if (region === failRegion) {
      mock
        .on(ListBackupJobsCommand)
        .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
      continue;
    }
    const job = (i: number, window: string, overrides = {}) =>
      aBackupJob({
        BackupJobId: `${window}-${region}-${i}`,
        AccountId: account(i),
        ResourceArn: `arn:aws:ec2:${region}:${account(i)}:volume/vol-${i}`,
        CreationDate: new Date((window === 'b' ? SINCE : PREVIOUS_SINCE).getTime() + HOUR_MS),
        ...overrides,
      });
    serve(mock, {
      backup: (input: ListBackupJobsCommandInput) =>
        isWindow(input, SINCE)
          ? fromArray([
              job(0, 'b', { State: 'FAILED', BackupJobId: `f-${region}`, RecoveryPointArn: undefined }),
              ...Array.from({ length: n - 2 }, (_, i) => job(i, 'b')),
            ])
          : fromArray(Array.from({ length: n - 1 }, (_, i) => job(i, 'p'))),
    });
  }
};

describe('organization scope: accounts', () => {
  it('lists the accounts once per run, 20 a page, and flags the ACTIVE accounts with no job', async () => {
    // Prepare
    const n = 45;
    serveAccounts(n);
    const regions = regionClients(REGIONS);
    serveJobs(regions, n);
    const client = new OrganizationsClient({ region: 'us-east-1' });

    // Act
    const report = await buildSummaryReport(
      someDeps(regions.backupClientFor, { organizationsClient: () => client }),
      aRequest({ scope: 'organization', regions: REGIONS, maxListed: 5 }),
    );

    // Assess: ceil(45 / 20) = 3 ListAccounts calls for three Regions, and no call per account.
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 3);
    expect(report.complete).toBe(true);
    expect(report.accounts).toMatchObject({ active: 45, withJobs: 43, wentSilent: 1 });
    expect(report.accounts?.lines.items[0]).toEqual({
      accountId: account(0),
      name: 'team-0',
      jobs: 6,
      failed: 3,
      silentMisses: 0,
      completedWithIssues: 0,
      completed: 3,
      regions: [...REGIONS].sort(),
    });
    expect(report.accounts?.lines).toMatchObject({ more: 38 });
    // The account that went silent also shows its resources as silent misses; the one that never had jobs does not.
    expect(report.accounts?.withoutJobs).toEqual({
      items: [
        { accountId: account(43), name: 'team-43', previousJobs: 3 },
        { accountId: account(44), name: 'team-44', previousJobs: 0 },
      ],
      more: 0,
    });
    expect(report.silentMisses.items.map((m) => m.accountId)).toEqual([account(43), account(43), account(43)]);
  });

  it('goes out incomplete, flagging no account, when ListAccounts is refused', async () => {
    organizations.on(ListAccountsCommand).rejects(
      Object.assign(new Error('You don’t have permissions to access this resource.'), {
        name: 'AccessDeniedException',
      }),
    );
    const regions = regionClients(REGIONS);
    serveJobs(regions, 5);

    const report = await buildSummaryReport(
      someDeps(regions.backupClientFor, {
        organizationsClient: () => new OrganizationsClient({ region: 'us-east-1' }),
      }),
      aRequest({ scope: 'organization', regions: REGIONS }),
    );

    expect(report.complete).toBe(false);
    expect(report.missing).toEqual([
      {
        what: 'organization accounts (ListAccounts)',
        region: 'all Regions',
        error: 'You don’t have permissions to access this resource.',
      },
    ]);
    expect(report.accounts).toMatchObject({ active: null, withJobs: 3, withoutJobs: { items: [] }, wentSilent: 0 });
  });

  it("flags no account when a Region's backup jobs could not be listed (an account may have had its jobs there)", async () => {
    serveAccounts(5);
    const regions = regionClients(REGIONS);
    serveJobs(regions, 5, 'us-west-2');

    const report = await buildSummaryReport(
      someDeps(regions.backupClientFor, {
        organizationsClient: () => new OrganizationsClient({ region: 'us-east-1' }),
      }),
      aRequest({ scope: 'organization', regions: REGIONS }),
    );

    expect(report.missing.map((m) => `${m.what} in ${m.region}`)).toContain('backup jobs in us-west-2');
    expect(report.accounts).toMatchObject({ active: 5, withoutJobs: { items: [], more: 0 }, wentSilent: 0 });
  });

  it('makes no per-account part in account scope and never calls Organizations', async () => {
    const regions = regionClients(REGIONS);
    serveJobs(regions, 3);

    const report = await buildSummaryReport(
      someDeps(regions.backupClientFor, {
        organizationsClient: () => new OrganizationsClient({ region: 'us-east-1' }),
      }),
      aRequest({ regions: [REGION] }),
    );

    expect(report.accounts).toBeUndefined();
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 0);
  });
});

describe('Regions at once', () => {
  it.each([1, 2, 4])('lists at most %i Regions at once', async (limit) => {
    const many = ['eu-west-1', 'eu-west-2', 'eu-central-1', 'us-east-1', 'us-east-2', 'us-west-2'];
    const regions = regionClients(many);
    let running = 0;
    let most = 0;
    for (const region of many) {
      const { mock } = regions.get(region);
      mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
      serve(mock, {});
      // A Region is "running" from its first client use to its trend call, its last.
      mock.on(ListBackupJobsCommand).callsFake(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { BackupJobs: [] };
      });
    }
    const seen = new Set<string>();
    const done = new Set<string>();
    const deps = someDeps((region) => {
      if (!seen.has(region)) {
        seen.add(region);
        running += 1;
        most = Math.max(most, running);
      }
      const { client } = regions.get(region);
      return client;
    });
    for (const region of many) {
      regions
        .get(region)
        .mock.on(ListBackupJobSummariesCommand)
        .callsFake(() => {
          if (!done.has(region)) {
            done.add(region);
            running -= 1;
          }
          return { BackupJobSummaries: [] };
        });
    }

    const report = await buildSummaryReport(deps, aRequest({ regions: many, regionConcurrency: limit }));

    expect(report.complete).toBe(true);
    expect(most).toBe(limit);
  });

  it.each([0, 17, 2.5])('refuses regionConcurrency %s before any call', async (regionConcurrency) => {
    const regions = regionClients([REGION]);
    await expect(
      buildSummaryReport(someDeps(regions.backupClientFor), aRequest({ regionConcurrency })),
    ).rejects.toThrow(/regionConcurrency/);
    expect(regions.get(REGION).mock.calls()).toHaveLength(0);
  });
});
