import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { ORG, type OrgSeeded, startOrg } from '../../sandbox/scenario/org.js';
import { backupJobsOf, COPY, callsAbout, HOUR, inputOf, RETRY, START } from './support.js';

let sandbox: Sandbox;
let seeded: OrgSeeded;

beforeAll(async () => {
  ({ sandbox, seeded } = await startOrg(START));
  // Long enough for B's retry (30 min backoff) and A's copy (minutes), and for the hourly sweeps.
  await sandbox.runUntil(START + 2 * HOUR);
}, 60_000);
afterAll(async () => sandbox?.close());

describe('central mode over the sandbox: a central account and members A, B, C', () => {
  it("retries member B's failed backup in member B, signed with B's assumed member role", () => {
    const starts = callsAbout(sandbox, 'StartBackupJob', seeded.failedInB.resourceArn);
    expect(starts).toHaveLength(1);
    const [start] = starts;
    expect(start).toMatchObject({
      account: ORG.memberB,
      region: ORG.region,
      status: 200,
      caller: 'assumed-role/backup-autopilot-member/backup-autopilot-retry-failed-job',
    });
    expect(inputOf(start)).toMatchObject({ ResourceArn: seeded.failedInB.resourceArn, BackupVaultName: 'prod' });
    // B's role was assumed by the central retry function's own role, at STS's regional endpoint.
    const grants = sandbox.sts
      .assumed()
      .filter((a) => a.roleArn === `arn:aws:iam::${ORG.memberB}:role/backup-autopilot-member`);
    expect(grants.length).toBeGreaterThanOrEqual(1);
    expect(grants.every((g) => g.caller === RETRY && g.region === ORG.region)).toBe(true);
    // The retry completed in B (the stand-in's job list is B's own).
    const jobs = backupJobsOf(sandbox, seeded.failedInB.resourceArn);
    expect(jobs.map((j) => [j.AccountId, j.State])).toEqual([
      [ORG.memberB, 'FAILED'],
      [ORG.memberB, 'COMPLETED'],
    ]);
  });

  it("starts member A's copy from member A (a copy job lives in its source account), with A's role", () => {
    const starts = callsAbout(sandbox, 'StartCopyJob', ORG.memberA);
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({
      account: ORG.memberA,
      region: ORG.region,
      status: 200,
      caller: 'assumed-role/backup-autopilot-member/backup-autopilot-start-copy-job',
    });
    expect(inputOf(starts[0])).toMatchObject({
      SourceBackupVaultName: 'prod',
      DestinationBackupVaultArn: `arn:aws:backup:${ORG.drRegion}:${ORG.memberA}:backup-vault:dr`,
    });
    const grants = sandbox.sts.assumed().filter((a) => a.roleArn.includes(`::${ORG.memberA}:`));
    expect(grants.every((g) => g.caller === COPY)).toBe(true);
  });

  it('assumes each member role once, however many calls its credentials sign', () => {
    // One grant per (function container, member) for as long as its credentials last (an hour, less
    // the 5-minute margin): B's for the retry function at its event (01:01), reused by the attempt at
    // 01:31, and taken again by the retry sweeps of B (B sent an event, so it is swept) at 02:00 and
    // 03:00, each within 5 minutes of the previous credentials' expiry (02:01, 03:00); A's for the
    // copy function at A's event (01:06), reused by the 02:00 copy sweep of A, and taken again by the
    // 03:00 sweep, after those credentials expired at 02:06.
    // The two 03:00 sweeps are two functions fired by one schedule tick and run at once, so which
    // grant is recorded first is up to the scheduler: grants in one minute are compared in caller order.
    const at = (g: { at: number }) => new Date(g.at).toISOString().slice(11, 16);
    const grants = sandbox.sts.assumed().map((g) => [at(g), g.caller, g.roleArn, g.region] as const);
    type Grant = (typeof grants)[number];
    const byMinuteThenCaller = (a: Grant, b: Grant) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]);
    expect(grants.toSorted(byMinuteThenCaller)).toEqual([
      ['01:01', RETRY, `arn:aws:iam::${ORG.memberB}:role/backup-autopilot-member`, ORG.region],
      ['01:06', COPY, `arn:aws:iam::${ORG.memberA}:role/backup-autopilot-member`, ORG.region],
      ['02:00', RETRY, `arn:aws:iam::${ORG.memberB}:role/backup-autopilot-member`, ORG.region],
      ['03:00', RETRY, `arn:aws:iam::${ORG.memberB}:role/backup-autopilot-member`, ORG.region],
      ['03:00', COPY, `arn:aws:iam::${ORG.memberA}:role/backup-autopilot-member`, ORG.region],
    ]);
    // Minutes themselves are in order as recorded: no grant is taken before an earlier one.
    expect(grants.map((g) => g[0])).toEqual([...grants.map((g) => g[0])].sort());
    const signedByB = sandbox.calls.list({ service: 'backup', account: ORG.memberB });
    expect(signedByB.length).toBeGreaterThan(2);
    expect(
      signedByB.every((c) => c.caller === 'assumed-role/backup-autopilot-member/backup-autopilot-retry-failed-job'),
    ).toBe(true);
    // Nothing was done in member C, which had no job; the central account's own credentials never reached a member.
    expect(sandbox.calls.list({ account: ORG.memberC })).toEqual([]);
    expect(sandbox.calls.list({ service: 'backup', caller: RETRY }).every((c) => c.account === ORG.central)).toBe(true);
  });

  it("refuses a member role to anyone but the central functions' roles", async () => {
    const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const outsider = new STSClient({
      ...sandbox.clientConfig('outsider', ORG.memberC),
      endpoint: sandbox.endpoints.sts,
    });
    await expect(
      outsider.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ORG.memberB}:role/backup-autopilot-member`,
          RoleSessionName: 'outsider',
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    const central = new STSClient({ ...sandbox.clientConfig(RETRY, ORG.central), endpoint: sandbox.endpoints.sts });
    await expect(
      central.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ORG.memberB}:role/no-such-role`, RoleSessionName: 'x1' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('the organization summary covers members A and B, worst first, and flags member C, which has no job', async () => {
    const record = await sandbox.invoke('PostSummaryFunction', { windowHours: 6 });
    expect(record.outcome.ok).toBe(true);
    const report = sandbox.sns
      .published()
      .filter((m) => m.attributes.kind?.StringValue === 'summary' && m.attributes.format?.StringValue === 'json')
      .at(-1);
    expect(report).toBeDefined();
    const summary = JSON.parse(report?.message ?? '{}');
    expect(summary.scope).toMatchObject({ kind: 'organization', accountId: ORG.central });
    // Every figure could be read: the trend too (ListBackupJobSummaries AccountId ANY, from the management account).
    expect(summary.missing ?? []).toEqual([]);
    expect(summary.complete).toBe(true);
    // Both members' jobs, per account: A's completed backup; B's failure and the retry that completed.
    expect(summary.backup.byAccount).toEqual({
      [ORG.memberA]: { total: 1, byState: { COMPLETED: 1 } },
      [ORG.memberB]: { total: 2, byState: { COMPLETED: 1, FAILED: 1 } },
    });
    expect(summary.toolkit).toMatchObject({ retries: { started: 1, succeeded: 1 }, copies: { started: 1 } });
    // Member C had no job: it has no line, and it is flagged among the organization's ACTIVE accounts
    // with no backup job at all (Organizations ListAccounts through the stand-in), B first (worst).
    expect(Object.keys(summary.backup.byAccount)).not.toContain(ORG.memberC);
    expect(summary.accounts.lines.items.map((line: { accountId: string }) => line.accountId)).toEqual([
      ORG.memberB,
      ORG.memberA,
    ]);
    expect(summary.accounts.withoutJobs.items.map((quiet: { accountId: string }) => quiet.accountId)).toContain(
      ORG.memberC,
    );
    // The summary lists jobs organization-wide from the central (management) account: ByAccountId *.
    const lists = sandbox.calls.list({ operation: 'ListBackupJobs', caller: 'PostSummaryFunction' });
    expect(lists.length).toBeGreaterThan(0);
    expect(
      lists.every((c) => c.account === ORG.central && (c.input as { ByAccountId?: string }).ByAccountId === '*'),
    ).toBe(true);
  });
});
