import { BackupClient, ListBackupJobsCommand } from '@aws-sdk/client-backup';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyInput } from '../../../functions/retry-failed-job/parse.js';
import {
  eventPlace,
  MAX_SEEN_PLACES_SWEPT,
  noteEventPlace,
  organizationPlaces,
  sweepPlaces,
} from '../../../functions/retry-failed-job/sweep-places.js';
import type { SeenPlaces } from '../../../shared/sweep/seen-places.js';
import { metricsInto, recordingLogger } from '../../support/base-deps.js';
import { sampleEvent } from '../../support/events.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aRetryDeps, NOW } from './builders.js';

const CENTRAL = { mode: 'central', memberRoleName: 'backup-autopilot-member', organizationId: 'o-a1b2c3d4e5' } as const;
const HOME = { account: '111122223333', region: 'us-east-1' };
const MEMBER = '444455556666';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * AWS's FAILED backup job sample, as member `account` in `region` sends it: its vault ARN in that
 * account too, or the event is out of scope (a vault of another account) and is not noted.
 */
const failedBackupFrom = (account: string, region = HOME.region) =>
  classifyInput({
    ...(JSON.parse(
      JSON.stringify(sampleEvent('backup-job.failed.json')).replaceAll('1112233445566', account),
    ) as object),
    account,
    region,
  });

let table: LedgerTable;
beforeEach(async () => {
  table = await startLedgerTable('retry-sweep-places');
});
afterEach(async () => table.stop());

const seenItem = async () =>
  (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { pk: 'seen#retry' } }))).Item;

describe('eventPlace', () => {
  it("is an AWS Backup event's account and Region, and nothing for the function's own schedules", () => {
    expect(eventPlace(failedBackupFrom(MEMBER, 'eu-west-1'))).toEqual({ account: MEMBER, region: 'eu-west-1' });
    expect(eventPlace(classifyInput({ ...sampleEvent('restore-job.failed.json'), account: MEMBER }))).toEqual({
      account: MEMBER,
      region: 'us-west-2',
    });
    expect(eventPlace(classifyInput({ ...sampleEvent('scan-job.failed.json'), account: MEMBER }))).toMatchObject({
      account: MEMBER,
    });
    expect(eventPlace(classifyInput(sampleEvent('retry-failed-job.sweep.json')))).toBeUndefined();
    expect(eventPlace(classifyInput(sampleEvent('retry-failed-job.attempt.json')))).toBeUndefined();
  });
});

describe('noteEventPlace and sweepPlaces', () => {
  it("account mode records nothing and sweeps the function's own place only, whatever RETRY_INCLUDE_ACCOUNTS says", async () => {
    const deps = aRetryDeps(table, { env: { RETRY_INCLUDE_ACCOUNTS: MEMBER } });
    await noteEventPlace(deps, failedBackupFrom(MEMBER));
    expect(await seenItem()).toBeUndefined();
    expect(await sweepPlaces(deps)).toEqual([HOME]);
  });

  it('central mode sweeps the included accounts and every member an event came from, not an excluded one', async () => {
    const deps = aRetryDeps(table, {
      deployment: CENTRAL,
      env: { RETRY_INCLUDE_ACCOUNTS: '', RETRY_EXCLUDE_ACCOUNTS: '777788889999' },
    });
    for (const account of [MEMBER, '777788889999', HOME.account, MEMBER]) {
      await noteEventPlace(deps, failedBackupFrom(account));
    }
    await noteEventPlace(deps, failedBackupFrom('222233334444', 'eu-west-1'));
    // The home place is swept anyway; the excluded member's event is out of scope and not recorded.
    expect(Object.keys((await seenItem()) ?? {}).sort()).toEqual([
      'expiresAt',
      'pk',
      'place:222233334444:eu-west-1',
      `place:${MEMBER}:us-east-1`,
    ]);
    expect(await sweepPlaces(deps)).toEqual([
      HOME,
      { account: '222233334444', region: 'eu-west-1' },
      { account: MEMBER, region: 'us-east-1' },
    ]);
  });

  it('with RETRY_INCLUDE_ACCOUNTS set, sweeps only accounts it names, each once, in the home Region for the listed', async () => {
    const deps = aRetryDeps(table, {
      deployment: CENTRAL,
      env: { RETRY_INCLUDE_ACCOUNTS: `${MEMBER},${HOME.account}` },
    });
    await noteEventPlace(deps, failedBackupFrom(MEMBER));
    await noteEventPlace(deps, failedBackupFrom('999988887777'));
    expect(await sweepPlaces(deps)).toEqual([HOME, { account: MEMBER, region: HOME.region }]);
  });

  it(`sweeps the ${MAX_SEEN_PLACES_SWEPT} members with the most recent events, and says how many it left out`, async () => {
    const lines: unknown[] = [];
    const metrics: string[] = [];
    let at = NOW;
    const deps = {
      ...aRetryDeps(table, { deployment: CENTRAL, env: { RETRY_INCLUDE_ACCOUNTS: '' } }),
      now: () => at,
      logger: recordingLogger(lines),
      metrics: metricsInto(metrics, true),
    };
    const members = Array.from({ length: MAX_SEEN_PLACES_SWEPT + 2 }, (_, i) => String(300000000000 + i));
    for (const [i, account] of members.entries()) {
      at = new Date(NOW.getTime() + i * 60_000);
      await noteEventPlace(deps, failedBackupFrom(account));
    }
    const places = await sweepPlaces(deps);
    expect(places).toHaveLength(1 + MAX_SEEN_PLACES_SWEPT);
    // The two whose last event is the oldest are the ones left out.
    expect(places.map((p) => p.account)).not.toContain(members[0]);
    expect(places.map((p) => p.account)).not.toContain(members[1]);
    expect(places[1]).toEqual({ account: members.at(-1), region: 'us-east-1' });
    expect(lines).toEqual([
      [
        'the sweep lists the members with the most recent failure events only',
        {
          swept: MAX_SEEN_PLACES_SWEPT,
          leftOut: 2,
          remedy: 'list the accounts that must be swept in RETRY_INCLUDE_ACCOUNTS',
        },
      ],
    ]);
    expect(metrics).toEqual(['SweepPlacesCapped=2']);
  });

  it('an event the handler refuses as out of scope records nothing', async () => {
    const deps = aRetryDeps(table, { deployment: CENTRAL });
    // The sample as AWS printed it, from MEMBER: its vault is in account 1112233445566.
    await noteEventPlace(deps, classifyInput({ ...sampleEvent('backup-job.failed.json'), account: MEMBER }));
    const cn = JSON.stringify(sampleEvent('backup-job.failed.json'))
      .replaceAll('1112233445566', MEMBER)
      .replaceAll('arn:aws:', 'arn:aws-cn:');
    await noteEventPlace(deps, classifyInput(JSON.parse(cn)));
    expect(await seenItem()).toBeUndefined();
    await noteEventPlace(deps, failedBackupFrom(MEMBER));
    expect(Object.keys((await seenItem()) ?? {})).toContain(`place:${MEMBER}:us-east-1`);
  });

  it('a dry run records nothing and forgets nothing', async () => {
    let at = NOW;
    const live = { ...aRetryDeps(table, { deployment: CENTRAL }), now: () => at };
    await noteEventPlace(live, failedBackupFrom(MEMBER));
    const dry = { ...aRetryDeps(table, { deployment: CENTRAL, env: { DRY_RUN: 'true' } }), now: () => at };
    await noteEventPlace(dry, failedBackupFrom('222233334444'));
    expect(Object.keys((await seenItem()) ?? {})).not.toContain('place:222233334444:us-east-1');
    at = new Date(NOW.getTime() + 30 * DAY_MS);
    expect(await sweepPlaces(dry)).toEqual([HOME]);
    expect(Object.keys((await seenItem()) ?? {})).toContain(`place:${MEMBER}:us-east-1`);
  });

  it('writes a place at most once an hour per container, and the write holds the latest event time', async () => {
    let at = NOW;
    const deps = { ...aRetryDeps(table, { deployment: CENTRAL }), now: () => at };
    await noteEventPlace(deps, failedBackupFrom(MEMBER));
    at = new Date(NOW.getTime() + 50 * 60_000);
    await noteEventPlace(deps, failedBackupFrom(MEMBER));
    expect((await seenItem())?.[`place:${MEMBER}:us-east-1`]).toBe(NOW.toISOString());
    at = new Date(NOW.getTime() + 61 * 60_000);
    await noteEventPlace(deps, failedBackupFrom(MEMBER));
    expect((await seenItem())?.[`place:${MEMBER}:us-east-1`]).toBe(at.toISOString());
  });

  it('stops sweeping a member 29 days after its last event, and forgets it then', async () => {
    let at = NOW;
    const deps = { ...aRetryDeps(table, { deployment: CENTRAL }), now: () => at };
    await noteEventPlace(deps, failedBackupFrom(MEMBER));
    await noteEventPlace(deps, failedBackupFrom('222233334444'));
    at = new Date(NOW.getTime() + 28 * DAY_MS);
    expect(await sweepPlaces(deps)).toHaveLength(3);
    // A new container (the old one's memory is gone) records 222233334444's next event.
    const fresh = { ...aRetryDeps(table, { deployment: CENTRAL }), now: () => at };
    await noteEventPlace(fresh, failedBackupFrom('222233334444'));
    at = new Date(NOW.getTime() + 29 * DAY_MS + 1);
    expect(await sweepPlaces(deps)).toEqual([HOME, { account: '222233334444', region: 'us-east-1' }]);
    expect(Object.keys((await seenItem()) ?? {})).not.toContain(`place:${MEMBER}:us-east-1`);
  });

  it("a failure to record is a warning and a metric, never the event's failure; an aborted invocation's is raised", async () => {
    const lines: unknown[] = [];
    const metrics: string[] = [];
    const failing = {
      note: async () => {
        throw Object.assign(new Error('Throughput exceeds the current capacity'), {
          name: 'ProvisionedThroughputExceededException',
        });
      },
    } as unknown as SeenPlaces;
    const deps = {
      ...aRetryDeps(table, { deployment: CENTRAL }),
      seenPlaces: failing,
      logger: recordingLogger(lines),
      metrics: metricsInto(metrics),
    };
    await expect(noteEventPlace(deps, failedBackupFrom(MEMBER))).resolves.toBeUndefined();
    expect(lines).toEqual([
      [
        'could not record where this event came from; its next event records it',
        expect.objectContaining({ account: MEMBER, region: 'us-east-1' }),
      ],
    ]);
    expect(metrics).toEqual(['SweepPlaceNotRecorded']);

    const aborted = new AbortController();
    aborted.abort();
    await expect(noteEventPlace({ ...deps, signal: aborted.signal }, failedBackupFrom(MEMBER))).rejects.toThrow(
      'Throughput exceeds the current capacity',
    );
  });

  it('a full item of seen places says which setting sweeps the account instead', async () => {
    const lines: unknown[] = [];
    const full = { note: async () => false } as unknown as SeenPlaces;
    const deps = { ...aRetryDeps(table, { deployment: CENTRAL }), seenPlaces: full, logger: recordingLogger(lines) };
    await noteEventPlace(deps, failedBackupFrom(MEMBER));
    expect(lines).toEqual([
      [
        'the sweep cannot add this account: the ledger item of seen places is full',
        { account: MEMBER, region: 'us-east-1', remedy: 'list the accounts to sweep in RETRY_INCLUDE_ACCOUNTS' },
      ],
    ]);
  });
});

describe('organizationPlaces', () => {
  const backup = mockClient(BackupClient);
  beforeEach(() => {
    backup.reset();
    backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
  });
  const ORG_ENV = { DEPLOYMENT_MODE: 'central', ORGANIZATION_ID: 'o-a1b2c3d4e5', RETRY_SWEEP_ORGANIZATION: 'true' };
  const SINCE = new Date('2026-11-23T02:45:00Z');
  const jobOf = (account: string, id = `job-${account}`) => ({ BackupJobId: id, AccountId: account });

  it('lists nothing unless central mode and RETRY_SWEEP_ORGANIZATION both say so', async () => {
    expect(await organizationPlaces(aRetryDeps(table), SINCE, [HOME])).toEqual([]);
    const central = { ...ORG_ENV, RETRY_SWEEP_ORGANIZATION: 'false' };
    expect(await organizationPlaces(aRetryDeps(table, { deployment: CENTRAL, env: central }), SINCE, [HOME])).toEqual(
      [],
    );
    expect(backup).not.toHaveReceivedCommand(ListBackupJobsCommand);
  });

  it("finds the members with failed backup jobs in the organization's list, once each, in scope, not the known ones", async () => {
    const deps = aRetryDeps(table, {
      deployment: CENTRAL,
      env: { ...ORG_ENV, RETRY_EXCLUDE_ACCOUNTS: '999988887777' },
    });
    backup.on(ListBackupJobsCommand, { ByState: 'FAILED' }).resolves({
      BackupJobs: [
        jobOf('222233334444'),
        jobOf(HOME.account),
        jobOf('999988887777'),
        jobOf(MEMBER),
        jobOf('222233334444', 'second'),
        { BackupJobId: 'no-account' },
      ],
    });
    backup.on(ListBackupJobsCommand, { ByState: 'EXPIRED' }).resolves({ BackupJobs: [jobOf('555566667777')] });
    const known = [HOME, { account: MEMBER, region: HOME.region }];
    expect(await organizationPlaces(deps, SINCE, known)).toEqual([
      { account: '222233334444', region: HOME.region },
      { account: '555566667777', region: HOME.region },
    ]);
    // One list per RETRY_STATES state, organization-wide, over the sweep's window, from the central account.
    expect(backup.commandCalls(ListBackupJobsCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ ByAccountId: '*', ByState: 'FAILED', ByCompleteAfter: SINCE }),
      expect.objectContaining({ ByAccountId: '*', ByState: 'EXPIRED', ByCompleteAfter: SINCE }),
    ]);
  });

  it(`sweeps at most ${MAX_SEEN_PLACES_SWEPT} members found so, and says how many it left out`, async () => {
    const lines: unknown[] = [];
    const metrics: string[] = [];
    const deps = aRetryDeps(table, {
      deployment: CENTRAL,
      env: ORG_ENV,
      logger: recordingLogger(lines),
      metrics: metricsInto(metrics, true),
    });
    const accounts = Array.from({ length: MAX_SEEN_PLACES_SWEPT + 3 }, (_, i) => String(300000000000 + i));
    backup.on(ListBackupJobsCommand, { ByState: 'FAILED' }).resolves({ BackupJobs: accounts.map((a) => jobOf(a)) });
    const found = await organizationPlaces(deps, SINCE, [HOME]);
    expect(found.map((p) => p.account)).toEqual(accounts.slice(0, MAX_SEEN_PLACES_SWEPT));
    expect(lines).toEqual([
      [
        "the sweep lists the first members of the organization's list only",
        expect.objectContaining({ swept: MAX_SEEN_PLACES_SWEPT, leftOut: 3 }),
      ],
    ]);
    expect(metrics).toEqual(['SweepPlacesCapped=3']);
  });

  it('raises a refused list for the sweep to count', async () => {
    const refused = Object.assign(new Error('not the management account'), { name: 'AccessDeniedException' });
    backup.on(ListBackupJobsCommand).rejects(refused);
    const deps = aRetryDeps(table, { deployment: CENTRAL, env: ORG_ENV });
    await expect(organizationPlaces(deps, SINCE, [HOME])).rejects.toThrow('AccessDeniedException');
  });
});
