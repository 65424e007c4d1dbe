/**
 * Settings as a deploy gives them (issue 19, items 3 and 5), over real HTTP with the real bundles:
 * a copy rule glob of 20 stars is matched without backtracking, and a list setting that repeats an
 * item stops the function at its cold start, naming the setting and the item, before any AWS call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../sandbox/paths.js';
import { TemplateError } from '../../sandbox/template/template-error.js';
import {
  backupJob,
  COPY,
  callsAbout,
  HOUR,
  inputOf,
  RETRY,
  sandboxPerFile,
  seedCompletedBackup,
  startSandbox,
} from './support.js';

const HOME = '111122223333';
const SUMMARY = 'PostSummaryFunction';
const HIT = `arn:aws:backup:us-west-2:${HOME}:backup-vault:glob-hit`;
const MISS = `arn:aws:backup:us-west-2:${HOME}:backup-vault:glob-miss`;

/** AWS Backup's longest vault name (50 characters), as close to both globs below as it gets. */
const LONG_VAULT = `${'a'.repeat(49)}x`;
/**
 * Twenty stars each. As a RegExp (`^.*a.*a….*b$`, the matcher before issue 19) the miss backtracks
 * through every way of placing 19 `a`s among 49, and the copy function times out; eight stars took
 * 12-35 s.
 */
const MATCHING_GLOB = `${'*a'.repeat(19)}*x`;
const MISSING_GLOB = `${'*a'.repeat(19)}*b`;

/** AWS's published sample event (events/). */
const sample = (file: string): unknown => JSON.parse(readFileSync(join(repoRoot, 'events', file), 'utf8'));

describe('a copy rule glob of 20 stars, against the longest vault name', () => {
  const rules = [
    { name: 'twenty-stars-hit', match: { sourceVault: MATCHING_GLOB }, destinations: [{ vaultArn: HIT }] },
    { name: 'twenty-stars-miss', match: { sourceVault: MISSING_GLOB }, destinations: [{ vaultArn: MISS }] },
  ];
  const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(rules) } }, (s) => {
    s.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'glob-hit' });
    s.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'glob-miss' });
  });

  it('starts the copy of the rule that matches, not of the one that does not, and the invocation ends normally', async () => {
    for (const glob of [MATCHING_GLOB, MISSING_GLOB]) expect(glob.split('*')).toHaveLength(21);
    const seeded = seedCompletedBackup(sandbox(), 'glob-0001', LONG_VAULT);
    await sandbox().runUntil(sandbox().clock.ms() + HOUR);

    const point = backupJob(sandbox(), seeded.jobId).RecoveryPointArn ?? '';
    expect(point).not.toBe('');
    const starts = callsAbout(sandbox(), 'StartCopyJob', point);
    expect(starts.map((c) => [c.caller, c.status, inputOf(c).DestinationBackupVaultArn])).toEqual([[COPY, 200, HIT]]);
    expect(inputOf(starts[0]).SourceBackupVaultName).toBe(LONG_VAULT);

    const invocations = sandbox().invocations.filter(
      (i) => i.function === COPY && JSON.stringify(i.event).includes(seeded.jobId),
    );
    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.outcome.ok).toBe(true);
    expect(sandbox().failed).toEqual([]);
  }, 30_000);
});

describe('a list Parameter that repeats an item is refused before anything is deployed', () => {
  it('names each Parameter and its value, as CloudFormation does at CreateStack', async () => {
    const refused = await startSandbox({
      parameterOverrides: { PostSummaryRegions: 'us-east-1,eu-west-1,us-east-1', RetryStates: 'FAILED,EXPIRED,FAILED' },
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TemplateError);
    expect((refused as TemplateError).problems).toEqual([
      expect.stringMatching(
        /^Parameter 'RetryStates' failed to satisfy constraint: .* each at most once \(got "FAILED,EXPIRED,FAILED"\)$/,
      ),
      expect.stringMatching(
        /^Parameter 'PostSummaryRegions' failed to satisfy constraint: .* each at most once \(got "us-east-1,eu-west-1,us-east-1"\)$/,
      ),
    ]);
  });
});

describe('a list setting that repeats an item fails the cold start, naming the setting and the item', () => {
  // Settings no template Parameter sets (an environment edited by hand, the copy rules' JSON) are
  // caught at the cold start. Each function is invoked once, directly.
  const rules = [
    {
      name: 'twice-home',
      match: { accounts: [HOME, HOME] },
      destinations: [{ vaultArn: HIT }, { vaultArn: HIT }],
    },
  ];
  const sandbox = sandboxPerFile({
    parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(rules) },
    environmentOverrides: {
      [RETRY]: { RETRY_STATES: 'FAILED,EXPIRED,FAILED', RETRY_EXCLUDE_VAULTS: 'dev-*,test-*,dev-*' },
      [SUMMARY]: { SUMMARY_REGIONS: 'us-east-1,eu-west-1,us-east-1' },
    },
  });

  it.each([
    {
      fn: SUMMARY,
      event: 'post-summary.scheduled.json',
      problems: ['SUMMARY_REGIONS lists "us-east-1" twice'],
    },
    {
      fn: RETRY,
      event: 'backup-job.failed.json',
      problems: ['RETRY_STATES lists "FAILED" twice', 'RETRY_EXCLUDE_VAULTS lists "dev-*" twice'],
    },
    {
      fn: COPY,
      event: 'backup-job.completed.json',
      problems: [
        'COPY_RULES[0] ("twice-home").match.accounts[1]: "111122223333" is already listed at [0]',
        `COPY_RULES[0] ("twice-home").destinations[1]: repeats the route of destinations[0] (${HIT}): only one copy is made per route`,
      ],
    },
  ])(
    '$fn',
    async ({ fn, event, problems }) => {
      const before = sandbox().calls.list().length;
      const { outcome } = await sandbox().invoke(fn, sample(event));
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      // The retry function validates at its cold start; the copy function validates its rules on its
      // first invocation (some checks need the account in its context), before any AWS call.
      expect(outcome).toMatchObject({ kind: fn === COPY ? 'error' : 'init', coldStart: true });
      expect(outcome.error.errorType).toBe('ConfigError');
      expect(outcome.error.errorMessage).toBe(`invalid configuration: ${problems.join('; ')}`);
      // Nothing was called: the function stopped before any AWS call.
      expect(sandbox().calls.list().slice(before)).toEqual([]);
    },
    30_000,
  );
});

describe('a DEFAULT_COPY_ROLE_ARN of another partition than the function', () => {
  // The template's AllowedPattern takes every partition (aws, aws-cn, aws-us-gov): which one the
  // stack runs in is known only where it runs. AWS Backup copies within a partition only, and
  // StartCopyJob can pass no role of another partition.
  const CN_ROLE = 'arn:aws-cn:iam::111122223333:role/copier';
  const rules = [{ name: 'dr', destinations: [{ vaultArn: HIT }] }];
  const sandbox = sandboxPerFile(
    { parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(rules), StartCopyJobDefaultCopyRoleArn: CN_ROLE } },
    (s) => s.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'glob-hit' }),
  );

  it('fails the copy function naming the setting, and no copy is claimed or started', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'cn-role-0001', 'cn-role-source');
    await sandbox().runUntil(sandbox().clock.ms() + HOUR);

    const invocations = sandbox().invocations.filter(
      (i) => i.function === COPY && JSON.stringify(i.event).includes(seeded.jobId),
    );
    expect(invocations.length).toBeGreaterThan(0);
    for (const { outcome } of invocations) {
      expect(outcome.ok).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.error.errorType).toBe('ConfigError');
      expect(outcome.error.errorMessage).toBe(
        `invalid configuration: DEFAULT_COPY_ROLE_ARN is in partition aws-cn, but this function runs in aws: AWS Backup copies within a partition only (got "${CN_ROLE}")`,
      );
    }
    // Not one AWS call of the copy function: no ledger claim, no StartCopyJob.
    expect(
      sandbox()
        .calls.list()
        .filter((c) => c.caller === COPY),
    ).toEqual([]);
  }, 30_000);
});

describe('copy rules that leave out a required key', () => {
  // A rule without its name, a destination without its vault: what a person forgets most.
  const rules = [{ destinations: [{ iamRoleArn: `arn:aws:iam::${HOME}:role/copier` }] }];
  const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(rules) } });

  it('fail the first invocation saying each key is required, before any AWS call', async () => {
    const before = sandbox().calls.list().length;
    const { outcome } = await sandbox().invoke(COPY, sample('backup-job.completed.json'));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.errorType).toBe('ConfigError');
    expect(outcome.error.errorMessage).toBe(
      'invalid configuration: COPY_RULES[0].name: is required; COPY_RULES[0].destinations[0].vaultArn: is required',
    );
    expect(sandbox().calls.list().slice(before)).toEqual([]);
  });
});

describe('template Parameters whose last retry would come after the ledger forgot the chain', () => {
  // RetryBackoffMinutes and RetryMaxAttempts each pass their own MaxValue; together, attempt 10
  // would wait 1440 x 2^9 minutes (512 days) while DynamoDB's TTL deletes the chain's record after
  // the default 90 days, and that attempt would then start the chain again from attempt 1.
  const sandbox = sandboxPerFile({ parameterOverrides: { RetryBackoffMinutes: '1440', RetryMaxAttempts: '10' } });

  it('fail the retry function at its cold start, naming the three settings, before any AWS call', async () => {
    const before = sandbox().calls.list().length;
    const { outcome } = await sandbox().invoke(RETRY, sample('backup-job.failed.json'));
    expect(outcome).toMatchObject({ ok: false, kind: 'init', coldStart: true });
    if (outcome.ok) return;
    expect(outcome.error.errorType).toBe('ConfigError');
    expect(outcome.error.errorMessage).toBe(
      'invalid configuration: RETRY_BACKOFF_MINUTES=1440 with RETRY_MAX_ATTEMPTS=10 waits 512.0 days before attempt 10, ' +
        'not less than LEDGER_TTL_DAYS=90: the ledger would forget the chain before it ends; lower one of them or raise LEDGER_TTL_DAYS',
    );
    expect(sandbox().calls.list().slice(before)).toEqual([]);
  }, 30_000);
});
