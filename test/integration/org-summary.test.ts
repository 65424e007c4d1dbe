/**
 * The organization-wide summary over real HTTP with the real bundle (issue 21, item 2): deployed in
 * the management account with SUMMARY_SCOPE=organization, it lists backup jobs with ByAccountId `*`,
 * the organization's accounts with Organizations ListAccounts, and says per account what happened:
 * a member with a failure first, and an ACTIVE member with no job at all flagged (one that went
 * silent is bad news); a suspended account is not flagged.
 */
import { describe, expect, it } from 'vitest';
import { HOUR, START, sandboxPerFile } from './support.js';

const SUMMARY = 'PostSummaryFunction';
const HOME = '111122223333';
const PAYMENTS = '444455556666';
const LOGS = '777788889999';
const SANDBOX_ACCOUNT = '123412341234';
const SUSPENDED = '222233334444';
const REGION = 'us-east-1';

/** AWS Backup's retryable internal-error wording, as the diagnosis table knows it. */
const INTERNAL = 'An internal error occurred. Please try again later.';

describe('organization-wide summary', () => {
  const sandbox = sandboxPerFile(
    {
      parameterOverrides: { PostSummaryScope: 'organization', PostSummaryChannels: 'sns,json' },
      organizationAccounts: [
        { id: HOME, name: 'management' },
        { id: PAYMENTS, name: 'payments' },
        { id: LOGS, name: 'log-archive' },
        { id: SANDBOX_ACCOUNT, name: 'sandbox' },
        { id: SUSPENDED, name: 'old', state: 'SUSPENDED' },
      ],
    },
    (s) => {
      const { store } = s.backup;
      const backup = (
        account: string,
        name: string,
        outcome: Parameters<typeof store.createBackupJob>[0]['outcome'],
        creationDate = START,
      ) => {
        if (!store.vault(account, REGION, 'main')) store.addVault({ account, region: REGION, name: 'main' });
        store.createBackupJob({
          account,
          region: REGION,
          resourceArn: `arn:aws:ec2:${REGION}:${account}:volume/vol-${name}`,
          resourceType: 'EBS',
          vaultName: 'main',
          creationDate,
          outcome,
        });
      };
      backup(HOME, 'home-1', { state: 'COMPLETED', runMinutes: 5 });
      backup(PAYMENTS, 'pay-1', { state: 'COMPLETED', runMinutes: 5 });
      backup(PAYMENTS, 'pay-2', { state: 'FAILED', statusMessage: INTERNAL, runMinutes: 0 });
      // log-archive backed up in the previous window only: it went silent.
      backup(LOGS, 'logs-1', { state: 'COMPLETED', runMinutes: 5 }, START - 7 * HOUR);
    },
  );

  it('says per account what happened, worst first, and flags the ACTIVE accounts with no job', async () => {
    await sandbox().runUntil(START + 2 * HOUR);
    const published = sandbox().sns.published().length;

    const { outcome } = await sandbox().invoke(SUMMARY, { windowHours: 6 });

    if (!outcome.ok) throw new Error(`${outcome.error.errorType}: ${outcome.error.errorMessage}`);
    expect(outcome.result).toMatchObject({ verdict: 'attention', complete: true, counts: { silentAccounts: 1 } });

    // One ListAccounts call for five accounts; ByAccountId * from the management account.
    const calls = sandbox().calls.list({ caller: SUMMARY });
    expect(calls.filter((c) => c.operation === 'ListAccounts').map((c) => c.status)).toEqual([200]);
    const backupLists = calls.filter((c) => c.operation === 'ListBackupJobs');
    expect(backupLists.map((c) => (c.input as { ByAccountId?: string }).ByAccountId)).toEqual(['*', '*']);

    const messages = sandbox().sns.published().slice(published);
    const json = messages.find((m) => m.attributes.format?.StringValue === 'json');
    const text = messages.find((m) => m.attributes.format?.StringValue === 'text');
    const report = JSON.parse(json?.message ?? '{}');
    expect(report.missing).toEqual([]);
    expect(report.accounts).toEqual({
      active: 4,
      withJobs: 2,
      lines: {
        items: [
          {
            accountId: PAYMENTS,
            name: 'payments',
            jobs: 2,
            failed: 1,
            silentMisses: 0,
            completedWithIssues: 0,
            completed: 1,
            regions: [REGION],
          },
          {
            accountId: HOME,
            name: 'management',
            jobs: 1,
            failed: 0,
            silentMisses: 0,
            completedWithIssues: 0,
            completed: 1,
            regions: [REGION],
          },
        ],
        more: 0,
      },
      withoutJobs: {
        items: [
          { accountId: LOGS, name: 'log-archive', previousJobs: 1 },
          { accountId: SANDBOX_ACCOUNT, name: 'sandbox', previousJobs: 0 },
        ],
        more: 0,
      },
      wentSilent: 1,
    });
    expect(report.backup).toMatchObject({ total: 3, scope: 'organization' });
    expect(report.copy.scope).toBe('account');

    const body = text?.message ?? '';
    expect(body).toContain('1 account went silent');
    expect(body).toContain('ACCOUNTS WITHOUT BACKUP JOBS (2 OF 4 ACTIVE; 1 WENT SILENT)');
    expect(body).toContain('- log-archive (777788889999): no backup job (1 job in the previous window)');
    expect(body).toContain('- sandbox (123412341234): no backup job (none in the previous window either)');
    expect(body).toContain('- payments (444455556666): 1 failed; 2 backup jobs in us-east-1');
    expect(body).toContain('- management (111122223333): all well; 1 backup job in us-east-1');
    expect(body).not.toContain(SUSPENDED);
    expect(body).toMatch(/3 backups: .*organization-wide/);
    expect(body).toMatch(/0 copies, this account only/);
  }, 60_000);
});
