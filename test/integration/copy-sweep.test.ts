import { describe, expect, it } from 'vitest';
import {
  backupJob,
  COPY,
  callsAbout,
  copyJobsOf,
  detailOf,
  HOUR,
  inputOf,
  MINUTE,
  publishedAbout,
  sandboxPerFile,
  seedCompletedBackup,
} from './support.js';

const HOME = '111122223333';
const WEST = `arn:aws:backup:us-west-2:${HOME}:backup-vault:local-dr`;
const HOP_A = `arn:aws:backup:us-west-2:${HOME}:backup-vault:hop-a`;
const HOP_B = `arn:aws:backup:eu-west-1:${HOME}:backup-vault:hop-b`;
const FINAL = `arn:aws:backup:ap-southeast-2:${HOME}:backup-vault:final`;
const RULES = [
  { name: 'to-west', match: { sourceVault: 'prod-*' }, destinations: [{ vaultArn: WEST }] },
  { name: 'three-hops', match: { sourceVault: 'route-*' }, destinations: [{ vaultArn: FINAL, via: [HOP_A, HOP_B] }] },
];
/** shared/ledger/policy.ts LEASE_MS: a claim's holder is presumed alive this long. */
const LEASE_MS = 6 * MINUTE;

const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(RULES) } }, (started) => {
  started.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'local-dr' });
  started.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'hop-a' });
  started.backup.store.addVault({ account: HOME, region: 'eu-west-1', name: 'hop-b' });
  started.backup.store.addVault({ account: HOME, region: 'ap-southeast-2', name: 'final' });
});

const copySweeps = () => sandbox().invocations.filter((i) => i.function === COPY && i.trigger === 'schedule:CopySweep');
const copyEventsOf = (jobId: string) =>
  sandbox().invocations.filter((i) => i.function === COPY && JSON.stringify(i.event).includes(jobId));

describe('the copy sweep: nothing lost', () => {
  it('a container killed after its claim and before StartCopyJob: redeliveries inside the lease wait, the sweep after it sends the stored request; one copy', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'csweep-0001', 'prod-crash');
    const point = () => backupJob(sandbox(), seeded.jobId).RecoveryPointArn ?? '';
    sandbox().faults.add({
      service: 'backup',
      operation: 'StartCopyJob',
      fault: { kind: 'crash-caller' },
      when: (input) => (input as { SourceBackupVaultName?: string }).SourceBackupVaultName === 'prod-crash',
    });
    await sandbox().runUntil(sandbox().clock.ms() + 3 * HOUR);

    const starts = callsAbout(sandbox(), 'StartCopyJob', point());
    expect(starts.map((c) => [c.status, c.fault])).toEqual([
      [0, 'crash-caller'],
      [200, undefined],
    ]);
    expect(inputOf(starts[1])).toEqual(inputOf(starts[0]));
    // The event's first delivery died; Lambda's two retries came inside the lease and failed
    // (CopyInFlightError: not "done"), with no StartCopyJob of their own.
    const deliveries = copyEventsOf(seeded.jobId);
    expect(deliveries.map((d) => d.outcome.ok)).toEqual([false, false, false]);
    expect(deliveries[0]?.outcome).toMatchObject({ kind: 'crash' });
    for (const retry of deliveries.slice(1)) {
      expect(JSON.stringify(retry.outcome)).toContain('CopyInFlightError');
      expect((retry.at ?? 0) - (starts[0]?.at ?? 0)).toBeLessThan(LEASE_MS);
    }
    // The first copy sweep after the lease resumed the claim with its stored request and token.
    expect((starts[1]?.at ?? 0) - (starts[0]?.at ?? 0)).toBeGreaterThanOrEqual(LEASE_MS);
    const resumer = copySweeps().find((i) => i.at === starts[1]?.at);
    expect(resumer?.outcome).toMatchObject({ ok: true, result: { startedBySweep: 1, failures: [] } });
    expect(copyJobsOf(sandbox(), seeded.arn).map((c) => c.job.State)).toEqual(['COMPLETED']);

    // The same event delivered again after all of it: the copy is answered, nothing is sent.
    const event = sandbox().bus.records.find(
      (r) => detailOf(r.event).backupJobId === seeded.jobId && detailOf(r.event).state === 'COMPLETED',
    )?.event;
    expect(event).toBeDefined();
    await sandbox().putEvent(structuredClone(event as Record<string, unknown>));
    await sandbox().runUntil(sandbox().clock.ms() + 10 * MINUTE);
    expect(callsAbout(sandbox(), 'StartCopyJob', point())).toHaveLength(2);
    expect(copyJobsOf(sandbox(), seeded.arn)).toHaveLength(1);
  }, 60_000);

  it('a COMPLETED event that never arrives is copied by the next copy sweep', async () => {
    const seeded = seedCompletedBackup(sandbox(), 'csweep-0002', 'prod-lost');
    sandbox().bus.lose((event) => detailOf(event).backupJobId === seeded.jobId);
    await sandbox().runUntil(sandbox().clock.ms() + 2 * HOUR);

    expect(copyEventsOf(seeded.jobId)).toEqual([]);
    const point = backupJob(sandbox(), seeded.jobId).RecoveryPointArn ?? '';
    const starts = callsAbout(sandbox(), 'StartCopyJob', point);
    expect(starts).toHaveLength(1);
    const finder = copySweeps().find((i) => i.at === starts[0]?.at);
    expect(finder?.outcome).toMatchObject({ ok: true, result: { startedBySweep: 1 } });
    expect(inputOf(starts[0])).toMatchObject({ RecoveryPointArn: point, DestinationBackupVaultArn: WEST });
    expect(copyJobsOf(sandbox(), seeded.arn).map((c) => c.job.State)).toEqual(['COMPLETED']);
    // Later sweeps see the job again (overlap) and the answered claim: no second start.
    expect(copySweeps().filter((i) => i.at > (finder?.at ?? 0)).length).toBeGreaterThan(0);
    expect(callsAbout(sandbox(), 'StartCopyJob', point)).toHaveLength(1);
  }, 60_000);

  it('a job the sweep cannot handle stops blocking after 3 sweeps, with one alert; later jobs are copied', async () => {
    const poisoned = seedCompletedBackup(sandbox(), 'csweep-0003', 'prod-poison');
    sandbox().bus.lose((event) => detailOf(event).backupJobId === poisoned.jobId);
    // AWS answers this recovery point's Describe with a 500 every time (after the SDK's retries).
    sandbox().faults.add({
      service: 'backup',
      operation: 'DescribeRecoveryPoint',
      fault: { kind: 'server-error' },
      times: 10_000,
      when: (input) => (input as { BackupVaultName?: string }).BackupVaultName === 'prod-poison',
    });
    await sandbox().runUntil(sandbox().clock.ms() + 5 * HOUR);

    const results = copySweeps()
      .filter((i) => JSON.stringify(i.outcome).includes(poisoned.jobId) || i.outcome.ok)
      .map((i) => i.outcome);
    const failing = results.filter((o) => !o.ok);
    // Two sweeps fail (cursor kept, error raised); the third sets it aside and succeeds.
    expect(failing.length).toBeGreaterThanOrEqual(2);
    const aside = copySweeps().find(
      (i) => i.outcome.ok && JSON.stringify(i.outcome.result).includes('"setAside":true'),
    );
    expect(aside?.outcome).toMatchObject({
      ok: true,
      result: { failures: [expect.objectContaining({ key: `backup#${poisoned.jobId}`, count: 3, setAside: true })] },
    });
    const alerts = publishedAbout(sandbox(), poisoned.jobId).filter((m) => JSON.stringify(m).includes('set'));
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0])).toContain('copy sweep set backup job');

    // After it, the cursor moves on: a later lost event's job is copied by the next sweep.
    const later = seedCompletedBackup(sandbox(), 'csweep-0004', 'prod-later');
    sandbox().bus.lose((event) => detailOf(event).backupJobId === later.jobId);
    await sandbox().runUntil(sandbox().clock.ms() + 2 * HOUR);
    const laterPoint = backupJob(sandbox(), later.jobId).RecoveryPointArn ?? '';
    expect(callsAbout(sandbox(), 'StartCopyJob', laterPoint)).toHaveLength(1);
    const after = copySweeps().filter((i) => i.at > (aside?.at ?? 0));
    expect(after.filter((i) => !i.outcome.ok).map((i) => i.outcome)).toEqual([]);
    // The set-aside job is not tried again: no Describe of its recovery point after that sweep.
    const describes = callsAbout(sandbox(), 'DescribeRecoveryPoint', 'prod-poison');
    expect(describes.every((c) => c.at <= (aside?.at ?? 0))).toBe(true);
    expect(publishedAbout(sandbox(), poisoned.jobId).filter((m) => JSON.stringify(m).includes('set'))).toHaveLength(1);
  }, 90_000);

  it("a lost COMPLETED event of a later hop's copy (listed in its intermediate Region) is found by the sweep, which starts the next hop", async () => {
    const seeded = seedCompletedBackup(sandbox(), 'csweep-0005', 'route-three');
    // Hop 2 copies from us-west-2 into eu-west-1: its copy job, and its event, are in us-west-2.
    sandbox().bus.lose(
      (event) =>
        event['detail-type'] === 'Copy Job State Change' &&
        detailOf(event).state === 'COMPLETED' &&
        detailOf(event).destinationBackupVaultArn === HOP_B,
    );
    await sandbox().runUntil(sandbox().clock.ms() + 4 * HOUR);

    const hops = sandbox()
      .calls.list({ operation: 'StartCopyJob' })
      .filter((c) => c.status === 200)
      .map((c) => inputOf(c).DestinationBackupVaultArn)
      .filter((arn) => arn === HOP_A || arn === HOP_B || arn === FINAL);
    expect(hops).toEqual([HOP_A, HOP_B, FINAL]);
    const third = sandbox()
      .calls.list({ operation: 'StartCopyJob' })
      .find((c) => inputOf(c).DestinationBackupVaultArn === FINAL);
    expect(third).toMatchObject({ caller: COPY, region: 'eu-west-1', status: 200 });
    const finder = copySweeps().find((i) => i.at === third?.at);
    expect(finder?.outcome).toMatchObject({ ok: true, result: { startedBySweep: 1 } });
    expect(copyJobsOf(sandbox(), seeded.arn).map((c) => c.job.DestinationBackupVaultArn)).toEqual([
      HOP_A,
      HOP_B,
      FINAL,
    ]);
  }, 60_000);
});
