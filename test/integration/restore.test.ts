import { describe, expect, it } from 'vitest';
import { diagnoseJob } from '../../shared/diagnosis/index.js';
import {
  callsAbout,
  DENIED_MESSAGE,
  detailOf,
  HOUR,
  invocationsAbout,
  publishedAbout,
  RETRY,
  sandboxPerFile,
  seedRestore as seedRestoreIn,
} from './support.js';

const sandbox = sandboxPerFile();

// A restore testing plan's job fails for missing permissions; what the alert must say (cause and
// remedy) is whatever the diagnosis table says of it, which shared/diagnosis tests on its own.
const MESSAGE = DENIED_MESSAGE;
const DIAGNOSIS = diagnoseJob({ kind: 'restore', state: 'FAILED', statusMessage: MESSAGE, resourceType: 'EBS' });

/** A restore of a fresh resource's recovery point that ends as `state` (support.ts). */
const seedRestore = (name: string, state: 'FAILED' | 'COMPLETED', restoreTestingPlanArn?: string) =>
  seedRestoreIn(sandbox(), name, state, restoreTestingPlanArn);

describe('a FAILED restore, over real HTTP with the real bundle', () => {
  it('delivered three times, gets one alert with cause and remedy, naming the restore test; nothing is started', async () => {
    const plan = `arn:aws:backup:${sandbox().region}:${sandbox().account}:restore-testing-plan:weekly-ebs-0001`;
    const seeded = seedRestore('restore-0001', 'FAILED', plan);
    // EventBridge delivers at least once: the FAILED event arrives three times at once.
    sandbox().bus.repeat((e) => detailOf(e).restoreJobId === seeded.jobId && detailOf(e).status === 'FAILED', 3);
    await sandbox().runUntil(sandbox().clock.ms() + HOUR);

    const failedEvents = sandbox().bus.records.filter(
      (r) => detailOf(r.event).restoreJobId === seeded.jobId && detailOf(r.event).status === 'FAILED',
    );
    expect(failedEvents).toHaveLength(1);
    expect(failedEvents[0]?.matched).toEqual([`${RETRY}.RestoreJobFailed`]);

    const invocations = invocationsAbout(sandbox(), seeded.jobId).filter((i) => i.function === RETRY);
    // A delivery that met the claim held failed (never counted as handled: its holder might have
    // died), and Lambda's retry of it found the restore handled.
    const held = invocations.filter((i) => !i.outcome.ok);
    for (const i of held) expect(JSON.stringify(i.outcome)).toContain('JobInFlightError');
    expect(invocations).toHaveLength(3 + held.length);
    const results = invocations
      .filter((i) => i.outcome.ok)
      .map((i) => (i.outcome as { result?: { result?: string } }).result?.result)
      .sort();
    expect(results).toEqual(['duplicate', 'duplicate', 'restore-failed']);

    expect(callsAbout(sandbox(), 'DescribeRestoreJob', seeded.jobId)).toHaveLength(1);
    const alerts = publishedAbout(sandbox(), seeded.jobId);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert?.caller).toBe(RETRY);
    expect(alert?.subject).toBe(
      `[backup-autopilot] ${seeded.account} vol-restore-0001: restore test FAILED (${DIAGNOSIS.category})`,
    );
    expect(alert?.message).toMatch(/^Restore test of arn:aws:ec2:\S+:volume\/vol-restore-0001 failed: /);
    expect(alert?.message).toContain(`\nCause: ${DIAGNOSIS.cause}\n`);
    expect(alert?.message).toContain(`\nWhat to do: ${DIAGNOSIS.remedy}\n`);
    expect(alert?.message).toContain(`AWS said: ${MESSAGE}`);
    expect(alert?.message).toContain(`Restore testing plan: ${plan}`);
    expect(alert?.message).toContain(`Vault: ${seeded.vaultName}`);

    // Restores are never retried: no Start of any kind, no attempt schedule.
    for (const operation of ['StartRestoreJob', 'StartBackupJob', 'StartCopyJob', 'CreateSchedule']) {
      expect(
        sandbox()
          .calls.list({ operation })
          .filter((c) => c.caller === RETRY),
      ).toEqual([]);
    }
    expect(sandbox().failed).toEqual([]);
  }, 30_000);

  it('a FAILED restore whose event was lost is found by the hourly sweep and alerted once', async () => {
    const seeded = seedRestore('restore-0003', 'FAILED');
    // EventBridge delivers AWS service events on a best-effort basis: this restore's never arrive.
    sandbox().bus.lose((event) => detailOf(event).restoreJobId === seeded.jobId);
    await sandbox().runUntil(sandbox().clock.ms() + 3 * HOUR);

    const failed = sandbox().bus.records.filter(
      (r) => detailOf(r.event).restoreJobId === seeded.jobId && detailOf(r.event).status === 'FAILED',
    );
    expect(failed.map((r) => r.dropped)).toEqual(['lost']);
    expect(invocationsAbout(sandbox(), seeded.jobId)).toEqual([]);

    const sweeps = sandbox().invocations.filter((i) => i.function === RETRY && i.trigger === 'schedule:Sweep');
    const finder = sweeps.find(
      (i) => i.outcome.ok && (i.outcome.result as { outcomes?: Record<string, number> }).outcomes?.['restore-failed'],
    );
    expect(finder?.outcome).toMatchObject({ ok: true, result: { withoutEvent: 1, failures: [] } });
    // Later sweeps list it again (overlap) at the cost of a ledger read: one Describe, one alert.
    expect(sweeps.filter((i) => i.at > (finder?.at ?? 0)).length).toBeGreaterThan(0);
    expect(callsAbout(sandbox(), 'DescribeRestoreJob', seeded.jobId)).toHaveLength(1);
    const alerts = publishedAbout(sandbox(), seeded.jobId);
    expect(alerts.map((a) => a.caller)).toEqual([RETRY]);
    expect(alerts[0]?.subject).toBe(
      `[backup-autopilot] ${seeded.account} vol-restore-0003: restore FAILED (${DIAGNOSIS.category})`,
    );
    expect(alerts[0]?.message).toContain(`\nCause: ${DIAGNOSIS.cause}\n`);
    expect(sandbox().failed).toEqual([]);
  }, 30_000);

  it('the sweep killed while handling a FAILED restore whose event was lost: a later sweep still alerts it once', async () => {
    const seeded = seedRestore('restore-0004', 'FAILED');
    sandbox().bus.lose((event) => detailOf(event).restoreJobId === seeded.jobId);
    // The sweep claims the restore, then dies describing it: the claim keeps its 6-minute lease,
    // and Lambda's retry of the sweep a minute later finds it held.
    sandbox().faults.add({
      service: 'backup',
      operation: 'DescribeRestoreJob',
      fault: { kind: 'crash-caller' },
      times: 1,
      when: (input) => (input as { RestoreJobId?: string }).RestoreJobId === seeded.jobId,
    });
    await sandbox().runUntil(sandbox().clock.ms() + 4 * HOUR);

    expect(callsAbout(sandbox(), 'DescribeRestoreJob', seeded.jobId).map((c) => c.status)).toEqual([0, 200]);
    const sweeps = sandbox().invocations.filter((i) => i.function === RETRY && i.trigger === 'schedule:Sweep');
    const outcomes = sweeps.map((i) => (i.outcome.ok ? (i.outcome.result as { outcomes?: object }).outcomes : {}));
    // Held inside the lease: counted in flight, not handled; found through its claim after the lease.
    expect(outcomes).toContainEqual(expect.objectContaining({ 'in-flight': 1 }));
    expect(outcomes).toContainEqual(expect.objectContaining({ 'restore-failed': 1 }));
    const alerts = publishedAbout(sandbox(), seeded.jobId).filter((a) => a.caller === RETRY);
    expect(alerts.map((a) => a.subject)).toEqual([
      `[backup-autopilot] ${seeded.account} vol-restore-0004: restore FAILED (${DIAGNOSIS.category})`,
    ]);
  }, 30_000);

  it('a COMPLETED restore is not routed to the retry function', async () => {
    const seeded = seedRestore('restore-0002', 'COMPLETED');
    await sandbox().runUntil(sandbox().clock.ms() + 3 * HOUR);
    const completed = sandbox().bus.records.filter(
      (r) => detailOf(r.event).restoreJobId === seeded.jobId && detailOf(r.event).status === 'COMPLETED',
    );
    expect(completed).toHaveLength(1);
    expect(completed[0]?.matched).toEqual([]);
    expect(invocationsAbout(sandbox(), seeded.jobId)).toEqual([]);
    expect(publishedAbout(sandbox(), seeded.jobId)).toEqual([]);
  }, 30_000);
});
