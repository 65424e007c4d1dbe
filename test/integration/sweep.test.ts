import { describe, expect, it } from 'vitest';
import {
  backupJobsOf,
  callsAbout,
  detailOf,
  HOUR,
  invocationsAbout,
  RETRY,
  sandboxPerFile,
  seedFailedBackup,
} from './support.js';

const sandbox = sandboxPerFile();

describe('a lost event', () => {
  it("is found by the template's hourly Sweep schedule, which retries the job", async () => {
    const seeded = seedFailedBackup(sandbox(), 'sweep-0001');
    // EventBridge delivers AWS service events on a best-effort basis: this job's never arrive.
    sandbox().bus.lose((event) => detailOf(event).backupJobId === seeded.jobId);
    await sandbox().runUntil(sandbox().clock.ms() + 2 * HOUR);

    const failed = sandbox().bus.records.filter(
      (r) => detailOf(r.event).backupJobId === seeded.jobId && detailOf(r.event).state === 'FAILED',
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]?.dropped).toBeTruthy();
    expect(failed[0]?.matched).toEqual([]);
    // No invocation ever got an event (or an attempt payload) naming the job.
    expect(invocationsAbout(sandbox(), seeded.jobId)).toEqual([]);

    const sweeps = sandbox().invocations.filter((i) => i.function === RETRY && i.trigger === 'schedule:Sweep');
    const finder = sweeps.find((i) => i.outcome.ok && (i.outcome.result as { withoutEvent: number }).withoutEvent > 0);
    expect(finder?.outcome).toMatchObject({ ok: true, result: { seen: 1, withoutEvent: 1, failures: [] } });

    // The failure is older than the 30-minute backoff by the time the sweep runs: it starts at once.
    const starts = callsAbout(sandbox(), 'StartBackupJob', seeded.arn);
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({
      caller: RETRY,
      status: 200,
      at: finder?.at,
      container: finder?.outcome.container,
    });
    expect(backupJobsOf(sandbox(), seeded.arn).map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);

    // Later sweeps see it again (overlap) at the cost of a ledger read: no second Start.
    expect(sweeps.filter((i) => i.at > (finder?.at ?? 0)).length).toBeGreaterThan(0);
    expect(callsAbout(sandbox(), 'StartBackupJob', seeded.arn)).toHaveLength(1);
  }, 30_000);
});
