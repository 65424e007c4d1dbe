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
  type ScanEnd,
  sandboxPerFile,
  seedScan as seedScanIn,
} from './support.js';

const sandbox = sandboxPerFile();
const SUMMARY = 'PostSummaryFunction';

// A role the scanner may not use; what the alert must say of it is whatever the diagnosis table
// says (kind scan: the kind-neutral rows), which shared/diagnosis tests on its own.
const MESSAGE = DENIED_MESSAGE;
const DIAGNOSIS = diagnoseJob({ kind: 'scan', state: 'FAILED', statusMessage: MESSAGE, resourceType: 'EBS' });

/** A malware scan of a fresh volume's recovery point that ends as `end` within minutes (support.ts). */
const seedScan = (name: string, end: ScanEnd) => seedScanIn(sandbox(), name, end);

const finalEvents = (jobId: string) =>
  sandbox().bus.records.filter((r) => {
    const detail = detailOf(r.event);
    return detail.scanJobId === jobId && (detail.state === 'FAILED' || detail.state === 'COMPLETED');
  });

describe('malware scans, over real HTTP with the real bundles', () => {
  let failed: ReturnType<typeof seedScan>;
  let threats: ReturnType<typeof seedScan>;
  let clean: ReturnType<typeof seedScan>;

  it('a failed scan and a scan with threats, each delivered twice, get one alert each; a clean scan none', async () => {
    failed = seedScan('scan-failed-0001', { state: 'FAILED' });
    threats = seedScan('scan-threats-0002', { state: 'COMPLETED', scanResultStatus: 'THREATS_FOUND' });
    clean = seedScan('scan-clean-0003', { state: 'COMPLETED', scanResultStatus: 'NO_THREATS_FOUND' });
    // EventBridge delivers at least once: each final event arrives twice.
    for (const { jobId } of [failed, threats, clean]) {
      sandbox().bus.repeat((e) => detailOf(e).scanJobId === jobId && detailOf(e).state !== 'RUNNING', 2);
    }
    await sandbox().runUntil(sandbox().clock.ms() + HOUR);

    for (const { jobId } of [failed, threats]) {
      const events = finalEvents(jobId);
      expect(events).toHaveLength(1);
      expect(events[0]?.matched).toEqual([`${RETRY}.ScanJobAlert`]);
      const invocations = invocationsAbout(sandbox(), jobId).filter((i) => i.function === RETRY);
      // A delivery that met the claim held failed (never counted as handled: its holder might have
      // died), and Lambda's retry of it found the scan handled.
      const held = invocations.filter((i) => !i.outcome.ok);
      for (const i of held) expect(JSON.stringify(i.outcome)).toContain('JobInFlightError');
      const results = invocations
        .filter((i) => i.outcome.ok)
        .map((i) => (i.outcome as { result?: { result?: string } }).result?.result)
        .sort();
      expect(results).toHaveLength(2);
      expect(results).toContain('duplicate');
      expect(callsAbout(sandbox(), 'DescribeScanJob', jobId)).toHaveLength(1);
    }

    const [failedAlert, ...moreFailed] = publishedAbout(sandbox(), 'vol-scan-failed-0001');
    expect(moreFailed).toEqual([]);
    expect(failedAlert?.caller).toBe(RETRY);
    expect(failedAlert?.subject).toBe(
      `[backup-autopilot] ${failed.account} vol-scan-failed-0001: malware scan FAILED (${DIAGNOSIS.category})`,
    );
    expect(failedAlert?.message).toContain(`\nCause: ${DIAGNOSIS.cause}\n`);
    expect(failedAlert?.message).toContain(`\nWhat to do: ${DIAGNOSIS.remedy}\n`);
    expect(failedAlert?.message).toContain(`AWS said: ${MESSAGE}`);
    expect(failedAlert?.message).toContain('Vault: vault-scans');

    const [threatAlert, ...moreThreats] = publishedAbout(sandbox(), 'vol-scan-threats-0002');
    expect(moreThreats).toEqual([]);
    expect(threatAlert?.subject).toBe(
      `[backup-autopilot] ${threats.account} vol-scan-threats-0002: malware scan THREATS_FOUND`,
    );
    expect(threatAlert?.message).toMatch(/^Malware scan of \S+vol-scan-threats-0002 found threats/);

    // A clean scan is not routed; nothing is retried or started for any scan.
    expect(finalEvents(clean.jobId)[0]?.matched).toEqual([]);
    expect(invocationsAbout(sandbox(), clean.jobId)).toEqual([]);
    expect(publishedAbout(sandbox(), 'vol-scan-clean-0003')).toEqual([]);
    for (const operation of ['StartBackupJob', 'StartCopyJob', 'StartScanJob', 'CreateSchedule']) {
      expect(
        sandbox()
          .calls.list({ operation })
          .filter((c) => c.caller === RETRY),
      ).toEqual([]);
    }
    expect(sandbox().failed).toEqual([]);
  }, 60_000);

  it('the summary counts the scans by state and result, and lists the failed one and the one with threats', async () => {
    const { outcome } = await sandbox().invoke(SUMMARY, {});
    expect(outcome).toBeDefined();
    const summary = sandbox()
      .sns.published()
      .filter((m) => m.caller === SUMMARY && m.subject?.startsWith('Backups'))
      .at(-1);
    const body = summary?.message ?? '';
    expect(body).toContain(
      '\nMALWARE SCANS\n3 scans: COMPLETED 2, FAILED 1; results: NO_THREATS_FOUND 1, THREATS_FOUND 1\n',
    );
    expect(body).toMatch(/Found threats \(1\)[^\n]*\n- EBS vol-scan-threats-0002, vault vault-scans/);
    expect(body).toMatch(
      /Failed \(1\)[^\n]*\n- EBS vol-scan-failed-0001, vault vault-scans[^\n]*\n {2}Insufficient privileges/,
    );
    expect(body).not.toContain('vol-scan-clean-0003');
    expect(callsAbout(sandbox(), 'ListScanJobs', '').filter((c) => c.caller === SUMMARY).length).toBeGreaterThan(0);
  }, 60_000);

  it('a failed scan and a scan with threats whose events were lost are alerted once each by the hourly sweep', async () => {
    const lostFailed = seedScan('scan-failed-0004', { state: 'FAILED' });
    const lostThreats = seedScan('scan-threats-0005', { state: 'COMPLETED', scanResultStatus: 'THREATS_FOUND' });
    // EventBridge delivers AWS service events on a best-effort basis: these scans' never arrive.
    const ids = new Set([lostFailed.jobId, lostThreats.jobId]);
    sandbox().bus.lose((event) => ids.has(detailOf(event).scanJobId as string));
    await sandbox().runUntil(sandbox().clock.ms() + 3 * HOUR);

    for (const { jobId } of [lostFailed, lostThreats]) {
      expect(finalEvents(jobId).map((r) => r.dropped)).toEqual(['lost']);
      expect(invocationsAbout(sandbox(), jobId)).toEqual([]);
      // Found by a sweep, then listed again by later ones (overlap) at the cost of a ledger read.
      expect(callsAbout(sandbox(), 'DescribeScanJob', jobId)).toHaveLength(1);
    }
    expect(publishedAbout(sandbox(), 'vol-scan-failed-0004').map((a) => a.subject)).toEqual([
      `[backup-autopilot] ${lostFailed.account} vol-scan-failed-0004: malware scan FAILED (${DIAGNOSIS.category})`,
    ]);
    expect(publishedAbout(sandbox(), 'vol-scan-threats-0005').map((a) => a.subject)).toEqual([
      `[backup-autopilot] ${lostThreats.account} vol-scan-threats-0005: malware scan THREATS_FOUND`,
    ]);
    // The scans alerted by their events earlier are not alerted again by the sweeps.
    for (const volume of ['vol-scan-failed-0001', 'vol-scan-threats-0002']) {
      expect(publishedAbout(sandbox(), volume).filter((m) => m.caller === RETRY)).toHaveLength(1);
    }
    const sweeps = sandbox().invocations.filter((i) => i.function === RETRY && i.trigger === 'schedule:Sweep');
    expect(sweeps.every((i) => i.outcome.ok)).toBe(true);
    expect(sandbox().failed).toEqual([]);
  }, 60_000);
  it('the sweep killed while handling a failed scan whose event was lost: a later sweep still alerts it once', async () => {
    const lost = seedScan('scan-failed-0006', { state: 'FAILED' });
    sandbox().bus.lose((event) => detailOf(event).scanJobId === lost.jobId);
    // The sweep claims the scan, then dies describing it: the claim keeps its 6-minute lease, and
    // Lambda's retry of the sweep a minute later finds it held.
    sandbox().faults.add({
      service: 'backup',
      operation: 'DescribeScanJob',
      fault: { kind: 'crash-caller' },
      times: 1,
      when: (input) => (input as { ScanJobId?: string }).ScanJobId === lost.jobId,
    });
    await sandbox().runUntil(sandbox().clock.ms() + 4 * HOUR);

    expect(callsAbout(sandbox(), 'DescribeScanJob', lost.jobId).map((c) => c.status)).toEqual([0, 200]);
    const sweeps = sandbox().invocations.filter((i) => i.function === RETRY && i.trigger === 'schedule:Sweep');
    const outcomes = sweeps.map((i) => (i.outcome.ok ? (i.outcome.result as { outcomes?: object }).outcomes : {}));
    // Held inside the lease: counted in flight, not handled; found through its claim after the lease.
    expect(outcomes).toContainEqual(expect.objectContaining({ 'in-flight': 1 }));
    const alerts = publishedAbout(sandbox(), 'vol-scan-failed-0006').filter((a) => a.caller === RETRY);
    expect(alerts.map((a) => a.subject)).toEqual([
      `[backup-autopilot] ${lost.account} vol-scan-failed-0006: malware scan FAILED (${DIAGNOSIS.category})`,
    ]);
  }, 60_000);
});
