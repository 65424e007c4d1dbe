/**
 * The retry function's sweep given more failed jobs than time, over the sandbox with the real
 * bundle: 300 failures whose events were lost, and one retry attempt whose container died between
 * its ledger write and its StartBackupJob. The sweep stops before its timeout (here 6 s, the
 * template's 300 s scaled down with the work), and the attempt that was claimed and not done is
 * among what it did: interrupted work comes before the lists, so a backlog never keeps it waiting
 * past the two days of the ledger's index a sweep reads. Before, it came after the lists.
 */
import { describe, expect, it } from 'vitest';
import {
  callsAbout,
  detailOf,
  failStartsOf,
  HOUR,
  MINUTE,
  RETRY,
  sandboxPerFile,
  seedFailedBackup,
} from './support.js';

const sandbox = sandboxPerFile({ timeoutOverrides: { [RETRY]: 6 } });
const DENIED = 'Insufficient privileges to perform this action.';

describe('a retry sweep with more jobs than time', () => {
  it('stops before its timeout and still resumes the attempt a dead container left', async () => {
    const sb = sandbox();
    const crashed = seedFailedBackup(sb, 'deadline-crash-0001');
    failStartsOf(sb, crashed.arn, { kind: 'crash-caller' });
    // Its attempt (after RetryBackoffMinutes, 30) dies; the claim's lease then runs 6 minutes.
    for (let i = 0; i < 90 && callsAbout(sb, 'StartBackupJob', crashed.arn).length === 0; i += 1) {
      await sb.runUntil(sb.clock.ms() + MINUTE);
    }
    const crash = callsAbout(sb, 'StartBackupJob', crashed.arn);
    expect(crash.map((c) => c.fault)).toEqual(['crash-caller']);

    // The backlog: failures a person must fix (not retried, one alert each), every event lost.
    sb.bus.lose((event) => String(detailOf(event).resourceArn ?? '').includes('deadline-bulk'));
    for (let i = 0; i < 300; i += 1)
      seedFailedBackup(sb, `deadline-bulk-${String(i).padStart(4, '0')}`, { message: DENIED });
    await sb.runUntil(sb.clock.ms() + 3 * HOUR);

    const sweeps = sb.invocations.filter((i) => i.function === RETRY && i.trigger === 'schedule:Sweep');
    const stopped = sweeps.find((s) => s.outcome.ok && (s.outcome.result as { stoppedAt?: unknown }).stoppedAt);
    expect(stopped, 'a sweep stopped at its deadline').toBeDefined();
    // None ran into its timeout.
    expect(sweeps.filter((s) => !s.outcome.ok)).toEqual([]);
    // The attempt was re-sent by the first sweep after its lease, the one that stopped early.
    const starts = callsAbout(sb, 'StartBackupJob', crashed.arn);
    expect(starts.map((c) => [c.status, c.fault])).toEqual([
      [0, 'crash-caller'],
      [200, undefined],
    ]);
    expect(starts[1]?.at).toBe(stopped?.at);
    expect(stopped?.outcome).toMatchObject({ ok: true, result: { resumed: 1 } });
  }, 120_000);
});
