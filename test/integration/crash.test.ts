import { describe, expect, it } from 'vitest';
import {
  backupJobsOf,
  callsAbout,
  failStartsOf,
  HOUR,
  inputOf,
  invocationsAbout,
  MINUTE,
  RETRY,
  sandboxPerFile,
  seedFailedBackup,
  tokenUses,
} from './support.js';

/** README, "Exactly one Start per attempt": the Start input is written to the ledger under a 6-minute lease. */
const LEASE_MS = 6 * MINUTE;

const sandbox = sandboxPerFile();

describe('a Start whose answer never came back', () => {
  it('a container killed between the ledger write and the Start: the redelivery sends the identical request', async () => {
    const seeded = seedFailedBackup(sandbox(), 'crash-0001');
    // The call does not take effect and the calling environment is SIGKILLed, as if it died just
    // after writing the attempt's input to the ledger.
    failStartsOf(sandbox(), seeded.arn, { kind: 'crash-caller' });
    await sandbox().runUntil(sandbox().clock.ms() + 3 * HOUR);

    const starts = callsAbout(sandbox(), 'StartBackupJob', seeded.arn);
    expect(starts.map((c) => [c.status, c.fault])).toEqual([
      [0, 'crash-caller'],
      [200, undefined],
    ]);
    // Same input, same IdempotencyToken, from another execution environment.
    expect(inputOf(starts[1])).toEqual(inputOf(starts[0]));
    expect(inputOf(starts[0]).IdempotencyToken).toEqual(expect.any(String));
    expect(starts[1]?.container).not.toBe(starts[0]?.container);

    const attempts = invocationsAbout(sandbox(), seeded.jobId).filter((i) => i.trigger.startsWith('scheduler:'));
    expect(attempts[0]?.outcome).toMatchObject({ ok: false, kind: 'crash', container: starts[0]?.container });
    // Lambda's async retry a minute later finds the attempt under its ledger lease and leaves it...
    expect(attempts[1]).toMatchObject({ attempt: 1, outcome: { ok: true, result: { result: 'in-flight' } } });
    // ...and the hourly sweep, after the lease, re-sends the stored input.
    expect((starts[1]?.at ?? 0) - (starts[0]?.at ?? 0)).toBeGreaterThanOrEqual(LEASE_MS);
    const sweep = sandbox().invocations.find((i) => i.trigger === 'schedule:Sweep' && i.at === starts[1]?.at);
    expect(sweep?.outcome).toMatchObject({ ok: true, result: { resumed: 1 } });

    const token = inputOf(starts[0]).IdempotencyToken;
    expect(tokenUses(sandbox(), token)).toEqual([expect.objectContaining({ replay: false })]);
    const jobs = backupJobsOf(sandbox(), seeded.arn);
    expect(jobs.map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);
    expect(sandbox().failed).toEqual([]);
  }, 30_000);

  it('a connection dropped after AWS started the job: the retry of the same token gets the same job, still one job', async () => {
    const seeded = seedFailedBackup(sandbox(), 'crash-0002');
    failStartsOf(sandbox(), seeded.arn, { kind: 'drop-after-effect' });
    await sandbox().runUntil(sandbox().clock.ms() + 2 * HOUR);

    const starts = callsAbout(sandbox(), 'StartBackupJob', seeded.arn);
    expect(starts.map((c) => [c.status, c.fault])).toEqual([
      [0, 'drop-after-effect'],
      [200, undefined],
    ]);
    expect(inputOf(starts[1])).toEqual(inputOf(starts[0]));
    const token = inputOf(starts[0]).IdempotencyToken;
    const uses = tokenUses(sandbox(), token);
    expect(uses.map((u) => u.replay)).toEqual([false, true]);
    expect(uses[1]?.jobId).toBe(uses[0]?.jobId);

    const jobs = backupJobsOf(sandbox(), seeded.arn);
    expect(jobs.map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);
    expect(jobs[1]?.BackupJobId).toBe(uses[0]?.jobId);
    // The function recorded the job AWS had started.
    const started = invocationsAbout(sandbox(), seeded.jobId).find(
      (i) => i.function === RETRY && i.outcome.ok && (i.outcome.result as { result?: string }).result === 'started',
    );
    expect(started?.outcome).toMatchObject({ result: { newJobId: uses[0]?.jobId } });
  }, 30_000);
});
