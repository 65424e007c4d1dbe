import { describe, expect, it } from 'vitest';
import { SDK_RETRY } from '../../shared/clients.js';
import {
  backupJobsOf,
  callsAbout,
  failStartsOf,
  HOUR,
  inputOf,
  invocationsAbout,
  RETRY,
  sandboxPerFile,
  seedFailedBackup,
  tokenUses,
} from './support.js';

const sandbox = sandboxPerFile();

describe('AWS refusing StartBackupJob for a while, then succeeding', () => {
  it('two throttles: the SDK retries inside the invocation with the same token, and one job is created', async () => {
    const seeded = seedFailedBackup(sandbox(), 'faults-0001');
    failStartsOf(sandbox(), seeded.arn, { kind: 'throttle' }, 2);
    await sandbox().runUntil(sandbox().clock.ms() + 2 * HOUR);

    const starts = callsAbout(sandbox(), 'StartBackupJob', seeded.arn);
    expect(starts.map((c) => [c.status, c.error, c.fault])).toEqual([
      [400, 'ThrottlingException', 'throttle'],
      [400, 'ThrottlingException', 'throttle'],
      [200, undefined, undefined],
    ]);
    // The SDK's retries are the same request from the same execution environment.
    expect(new Set(starts.map((c) => c.container)).size).toBe(1);
    const tokens = new Set(starts.map((c) => inputOf(c).IdempotencyToken));
    expect(tokens.size).toBe(1);
    const [token] = tokens;
    // Throttled calls never reach the job logic: the token is used once, by the call that succeeded.
    expect(tokenUses(sandbox(), token)).toEqual([
      expect.objectContaining({ replay: false, operation: 'StartBackupJob' }),
    ]);
    expect(backupJobsOf(sandbox(), seeded.arn).map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);
    expect(sandbox().failed).toEqual([]);
  }, 30_000);

  it("errors that outlast the SDK's retries fail the invocation; Lambda's async retry re-sends the identical request", async () => {
    const seeded = seedFailedBackup(sandbox(), 'faults-0002');
    // shared/clients.ts: every client makes SDK_RETRY.maxAttempts attempts. The SDK's backoff is real
    // time and starts at 100 ms for a 503, 500 ms for a throttle (@smithy util-retry constants
    // DEFAULT_RETRY_DELAY_BASE, THROTTLING_RETRY_DELAY_BASE): 503s keep this test fast.
    failStartsOf(sandbox(), seeded.arn, { kind: 'server-error', status: 503 }, SDK_RETRY.maxAttempts);
    await sandbox().runUntil(sandbox().clock.ms() + 2 * HOUR);

    const starts = callsAbout(sandbox(), 'StartBackupJob', seeded.arn);
    expect(starts.map((c) => c.status)).toEqual([...Array(SDK_RETRY.maxAttempts).fill(503), 200]);
    const inputs = starts.map((c) => inputOf(c));
    for (const input of inputs) expect(input).toEqual(inputs[0]);

    const attempts = invocationsAbout(sandbox(), seeded.jobId).filter((i) => i.trigger.startsWith('scheduler:'));
    expect(attempts.map((i) => [i.attempt, i.outcome.ok])).toEqual([
      [0, false],
      [1, true],
    ]);
    // "Lambda waits one minute before the second attempt" (async invocation retries).
    const [first, second] = attempts;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect(first?.outcome.ok === false && first.outcome.error.errorMessage).toMatch(/StartBackupJob/);
    expect(backupJobsOf(sandbox(), seeded.arn).map((j) => j.State)).toEqual(['FAILED', 'COMPLETED']);
    expect(invocationsAbout(sandbox(), seeded.jobId).every((i) => i.function === RETRY)).toBe(true);
  }, 30_000);
});
