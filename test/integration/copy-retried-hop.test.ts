/**
 * A route whose hop failed and was retried, over real HTTP with the real bundles: hop 1 of a
 * two-hop route FAILS with a message a retry can beat, the retry function retries the copy job, and
 * the copy function must go on from the retried copy. Before, the completed retry named a copy job
 * the hop's claim did not, so the route ended at the intermediate vault and the copy into its
 * destination was never made: not by the event, not by the copy sweep.
 */
import { describe, expect, it } from 'vitest';
import {
  COPY,
  callsAbout,
  copyJobsOf,
  HOUR,
  RETRY,
  RETRYABLE_MESSAGE,
  sandboxPerFile,
  seedCompletedBackup,
} from './support.js';

const HOME = '111122223333';
const STAGING = `arn:aws:backup:eu-west-1:${HOME}:backup-vault:retry-staging`;
const DR = `arn:aws:backup:us-west-2:${HOME}:backup-vault:retry-dr`;
const RULES = [{ name: 'dr', match: { sourceVault: 'retried-hop' }, destinations: [{ vaultArn: DR, via: [STAGING] }] }];

const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(RULES) } }, (s) => {
  s.backup.store.addVault({ account: HOME, region: 'eu-west-1', name: 'retry-staging' });
  s.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'retry-dr' });
  // The first copy into STAGING fails; every copy after it completes.
  s.backup.outcomes.forCopiesInto(
    STAGING,
    { state: 'FAILED', statusMessage: RETRYABLE_MESSAGE },
    { state: 'COMPLETED' },
  );
});

describe('a route whose hop 1 failed and was retried', () => {
  it('goes on from the retried copy: one copy into its destination, from the retry', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'hop-retry-0001', 'retried-hop');
    await sandbox().runUntil(sandbox().clock.ms() + 12 * HOUR);

    const copies = copyJobsOf(sandbox(), seeded.arn);
    expect(copies.map((r) => [r.job.DestinationBackupVaultArn, r.job.State])).toEqual([
      [STAGING, 'FAILED'],
      [STAGING, 'COMPLETED'],
      [DR, 'COMPLETED'],
    ]);
    // Hop 1 by the copy function, its retry by the retry function, hop 2 from the retry's recovery point.
    const intoStaging = callsAbout(sandbox(), 'StartCopyJob', STAGING).filter((c) => c.status === 200);
    expect(intoStaging.map((c) => c.caller)).toEqual([COPY, RETRY]);
    const [, retried, hop2] = copies;
    expect(hop2?.job.SourceRecoveryPointArn).toBe(retried?.job.DestinationRecoveryPointArn);
    expect(sandbox().invocations.filter((i) => (i.function === COPY || i.function === RETRY) && !i.outcome.ok)).toEqual(
      [],
    );
  }, 120_000);
});
