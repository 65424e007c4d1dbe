import { describe, expect, it } from 'vitest';
import { COPY, copyJobsOf, HOUR, sandboxPerFile, seedCompletedBackup } from './support.js';

// Routes whose vaults cross or share a vault, over real HTTP with the real bundle and the hourly copy
// sweep: a completed copy continues only the route hop this function started it as (its claim in
// the ledger names the copy job), so no copy goes round and no vault is copied into twice for one
// route. Before, two crossing routes copied one backup 18 times in 4 hours, two routes through one
// vault made two copies into the final vault, and then still two into the vault they share.
const HOME = '111122223333';
const X = `arn:aws:backup:us-west-2:${HOME}:backup-vault:cross-x`;
const Y = `arn:aws:backup:eu-west-1:${HOME}:backup-vault:cross-y`;
const STAGING = `arn:aws:backup:eu-west-1:${HOME}:backup-vault:shared-staging`;
const DR = `arn:aws:backup:us-west-2:${HOME}:backup-vault:shared-dr`;
const SAME_NAME_WEST = `arn:aws:backup:us-west-2:${HOME}:backup-vault:same-name`;
const REFUSING_STAGING = `arn:aws:backup:eu-west-1:${HOME}:backup-vault:refusing-staging`;
const REFUSING_DR = `arn:aws:backup:us-west-2:${HOME}:backup-vault:refusing-dr`;

const RULES = [
  // The two routes cross, and each rule's match also takes the other's vaults as a source (cross-*,
  // any of the three Regions): so a copy into X or Y looks like hop 1 of the other route.
  ...['to-x', 'to-y'].map((name) => ({
    name,
    match: { sourceVault: 'cross*', regions: ['us-east-1', 'us-west-2', 'eu-west-1'] },
    destinations: [name === 'to-x' ? { vaultArn: X, via: [Y] } : { vaultArn: Y, via: [X] }],
  })),
  // The usual cross-Region copy: into the vault of the source's name in another Region, with no
  // match.regions (the rules were refused at the first invocation: "copies into the source vault").
  { name: 'same-name', match: { sourceVault: 'same-name' }, destinations: [{ vaultArn: SAME_NAME_WEST }] },
  // One backup to STAGING, and to DR by way of STAGING.
  {
    name: 'shared',
    match: { sourceVault: 'sharing' },
    destinations: [{ vaultArn: STAGING }, { vaultArn: DR, via: [STAGING] }],
  },
  // The same shape, into a staging vault that refuses the copy.
  {
    name: 'shared-refused',
    match: { sourceVault: 'refused-sharing' },
    destinations: [{ vaultArn: REFUSING_STAGING }, { vaultArn: REFUSING_DR, via: [REFUSING_STAGING] }],
  },
];

const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(RULES) } }, (started) => {
  for (const [region, name] of [
    ['us-west-2', 'cross-x'],
    ['eu-west-1', 'cross-y'],
    ['eu-west-1', 'shared-staging'],
    ['us-west-2', 'shared-dr'],
    ['us-west-2', 'same-name'],
    ['eu-west-1', 'refusing-staging'],
    ['us-west-2', 'refusing-dr'],
  ] as const) {
    started.backup.store.addVault({ account: HOME, region, name });
  }
});

const copiesInto = (resourceArn: string) =>
  copyJobsOf(sandbox(), resourceArn).map((r) => [
    r.job.SourceBackupVaultArn?.split(':').at(-1),
    r.job.DestinationBackupVaultArn,
  ]);

describe('copy routes that cross or share a vault', () => {
  it('X via Y and Y via X: each route copies twice and ends, however many hours and sweeps pass', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'routes-0001', 'crossing');
    await sandbox().runUntil(sandbox().clock.ms() + 6 * HOUR);

    expect(copiesInto(seeded.arn).sort()).toEqual(
      [
        ['crossing', Y], // to-x hop 1
        ['cross-y', X], // to-x hop 2
        ['crossing', X], // to-y hop 1
        ['cross-x', Y], // to-y hop 2
      ].sort(),
    );
    expect(copyJobsOf(sandbox(), seeded.arn).every((r) => r.job.State === 'COMPLETED')).toBe(true);
    expect(sandbox().invocations.filter((i) => i.function === COPY && !i.outcome.ok)).toEqual([]);
  }, 60_000);

  it('[STAGING] and [DR via STAGING]: one copy into STAGING, and one into DR from it', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'routes-0002', 'sharing');
    await sandbox().runUntil(sandbox().clock.ms() + 6 * HOUR);

    const copies = copiesInto(seeded.arn);
    expect(copies.filter(([, to]) => to === DR)).toEqual([['shared-staging', DR]]);
    // The two routes share hop 1 (one token: source recovery point, STAGING, hop 1), so one copy.
    expect(copies.filter(([, to]) => to === STAGING)).toEqual([['sharing', STAGING]]);
    expect(copyJobsOf(sandbox(), seeded.arn).every((r) => r.job.State === 'COMPLETED')).toBe(true);
    expect(sandbox().invocations.filter((i) => i.function === COPY && !i.outcome.ok)).toEqual([]);
  }, 60_000);

  it('copies into the vault of the same name in another Region', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'routes-0003', 'same-name');
    await sandbox().runUntil(sandbox().clock.ms() + 2 * HOUR);
    expect(copiesInto(seeded.arn)).toEqual([['same-name', SAME_NAME_WEST]]);
  }, 60_000);

  it('[STAGING] and [DR via STAGING], STAGING refusing the copy: one alert, naming both routes it blocks', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'routes-0010', 'refused-sharing');
    sandbox().faults.add({
      service: 'backup',
      operation: 'StartCopyJob',
      fault: {
        kind: 'refuse',
        code: 'AccessDeniedException',
        message: 'Access denied by the destination backup vault access policy.',
        status: 403,
      },
      times: Number.POSITIVE_INFINITY,
      when: (input) => (input as { DestinationBackupVaultArn?: string }).DestinationBackupVaultArn === REFUSING_STAGING,
    });
    await sandbox().runUntil(sandbox().clock.ms() + 3 * HOUR);

    const refused = sandbox()
      .sns.published()
      .filter(
        (m) => m.attributes.kind?.StringValue === 'copy-failed-to-start' && m.message.includes('refusing-staging'),
      );
    expect(refused).toHaveLength(1);
    const body = refused[0]?.message ?? '';
    expect(body).toContain('rule "shared-refused", hop 1 of 1');
    expect(body).toContain(`Also blocked (routes sharing this copy): rule "shared-refused" to ${REFUSING_DR}`);
    expect(copyJobsOf(sandbox(), seeded.arn)).toEqual([]);
  }, 60_000);
});
