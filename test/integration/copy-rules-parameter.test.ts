import { describe, expect, it } from 'vitest';
import { COPY, copyJobsOf, HOUR, inputOf, sandboxPerFile, seedCompletedBackup } from './support.js';

// Copy rules in an SSM SecureString (README, "Copy rules": StartCopyJobCopyRulesParameterName): the
// SSM client is the copy function's side bundle (dist/start-copy-job/ssm-reader.mjs, loaded on the
// first invocation only), so this runs the path a cold start that reads rules takes.
const HOME = '111122223333';
const NAME = '/backup-autopilot/copy-rules';
const WEST = `arn:aws:backup:us-west-2:${HOME}:backup-vault:local-dr`;
const RULES = [{ name: 'to-west', match: { sourceVault: 'prod' }, destinations: [{ vaultArn: WEST }] }];

const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRulesParameterName: NAME } }, (started) => {
  started.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'local-dr' });
  started.ssm.putParameter(NAME, JSON.stringify(RULES), 'SecureString');
});

describe('copy rules read from an SSM parameter through the side bundle', () => {
  it('reads the parameter once, decrypted, and copies by its rules', async () => {
    const first = seedCompletedBackup(sandbox(), 'param-0001', 'prod');
    const second = seedCompletedBackup(sandbox(), 'param-0002', 'prod');
    await sandbox().runUntil(sandbox().clock.ms() + HOUR);

    for (const seeded of [first, second]) {
      const copies = copyJobsOf(sandbox(), seeded.arn);
      expect(copies.map((c) => c.job.DestinationBackupVaultArn)).toEqual([WEST]);
    }
    const reads = sandbox().calls.list({ operation: 'GetParameter' });
    expect(reads.length).toBeGreaterThanOrEqual(1);
    // Once per container: no execution environment read it twice.
    expect(new Set(reads.map((read) => read.container)).size).toBe(reads.length);
    for (const read of reads) {
      expect(read).toMatchObject({ caller: COPY, status: 200 });
      expect(inputOf(read)).toEqual({ Name: NAME, WithDecryption: true });
    }
  });
});
