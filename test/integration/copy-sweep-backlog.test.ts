/**
 * A copy sweep with more work than time, over real HTTP with the real bundle: after a sweep that
 * succeeded, the copy function's sweeps fail for five hours (its ListBackupJobs refused) while the backups of those hours complete
 * and their COMPLETED events are lost. The first sweep after is given the whole backlog, more than
 * it can handle before its timeout (here 6 s, the template's 120 s scaled down with the work).
 * Before, it ran into the timeout: every call still under way aborted, nothing saved, and each
 * later sweep listed the same, growing window again. Now it stops in time, saves the slices it
 * finished as its cursor, and the next sweeps go on from there until every backup is copied.
 */
import { describe, expect, it } from 'vitest';
import { COPY, copyJobsOf, detailOf, HOUR, sandboxPerFile, seedCompletedBackup } from './support.js';

const HOME = '111122223333';
const WEST = `arn:aws:backup:us-west-2:${HOME}:backup-vault:backlog-dr`;
const RULES = [{ name: 'to-west', match: { sourceVault: 'backlog-*' }, destinations: [{ vaultArn: WEST }] }];
const PER_HOUR = 80;
const HOURS = 5;

let outage = false;
const sandbox = sandboxPerFile(
  {
    parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(RULES) },
    timeoutOverrides: { [COPY]: 6 },
  },
  (s) => {
    s.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'backlog-dr' });
    s.bus.lose((event) => detailOf(event).backupVaultName === 'backlog-prod');
    s.faults.add({
      service: 'backup',
      operation: 'ListBackupJobs',
      fault: { kind: 'refuse', code: 'AccessDeniedException', message: 'not authorized', status: 403 },
      times: Number.POSITIVE_INFINITY,
      when: () => outage,
    });
  },
);

const copySweeps = () => sandbox().invocations.filter((i) => i.function === COPY && i.trigger === 'schedule:CopySweep');

describe('a copy sweep given a backlog larger than its time', () => {
  it('stops before its timeout, keeps what it finished, and the next sweeps copy every backup once', async () => {
    const sb = sandbox();
    // One sweep that succeeds first: the sweeps after the outage list from its cursor.
    await sb.runUntil(sb.clock.ms() + HOUR);
    expect(copySweeps().map((s) => s.outcome.ok)).toContain(true);
    const beforeOutage = copySweeps().length;
    outage = true;
    const seeded: string[] = [];
    for (let hour = 0; hour < HOURS; hour += 1) {
      for (let i = 0; i < PER_HOUR; i += 1) {
        seeded.push(seedCompletedBackup(sb, `backlog-${hour}-${String(i).padStart(3, '0')}`, 'backlog-prod').arn);
      }
      await sb.runUntil(sb.clock.ms() + HOUR);
    }
    const failedBefore = copySweeps().length;
    expect(
      copySweeps()
        .slice(beforeOutage)
        .every((s) => !s.outcome.ok),
    ).toBe(true);
    outage = false;
    await sb.runUntil(sb.clock.ms() + 6 * HOUR);

    const after = copySweeps().slice(failedBefore);
    // None ran into its timeout; the first stopped early, with a cursor further on than before.
    expect(after.map((s) => (s.outcome.ok ? 'ok' : s.outcome.kind))).toEqual(after.map(() => 'ok'));
    const results = after.map((s) => (s.outcome.ok ? (s.outcome.result as { stoppedAt?: { cursor?: string } }) : {}));
    expect(results[0]?.stoppedAt?.cursor).toEqual(expect.any(String));
    expect(after[0]?.outcome.logs.join('\n')).toContain('SweepStoppedAtDeadline');
    // Every backup of the backlog copied, each once.
    const copies = seeded.map((arn) => copyJobsOf(sb, arn).length);
    expect(copies.filter((n) => n !== 1)).toEqual([]);
  }, 240_000);
});
