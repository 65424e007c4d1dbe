/**
 * RETRY_EXCLUDE_ACCOUNTS over the sandbox, for the failures the retry function alerts without
 * retrying: a FAILED restore and a FAILED malware scan of an excluded account are not alerted, by
 * their events or by the hourly sweep, as its failed backup jobs are not ("the only accounts whose
 * failed jobs are retried and alerted", the RetryIncludeAccounts Parameter). Before, both were.
 */
import { describe, expect, it } from 'vitest';
import {
  callsAbout,
  HOUR,
  invocationsAbout,
  publishedAbout,
  RETRY,
  sandboxPerFile,
  seedRestore,
  seedScan,
} from './support.js';

const sandbox = sandboxPerFile({
  environmentOverrides: { [RETRY]: { RETRY_EXCLUDE_ACCOUNTS: '111122223333' } },
});

describe('an excluded account', () => {
  it('gets no alert for its FAILED restore or its FAILED scan, and no Describe is made', async () => {
    const sb = sandbox();
    expect(sb.account).toBe('111122223333');
    const restore = seedRestore(sb, 'excluded-restore-0001', 'FAILED').jobId;
    const scan = seedScan(sb, 'excluded-scan-0001', { state: 'FAILED' }).jobId;
    await sb.runUntil(sb.clock.ms() + 2 * HOUR);

    for (const jobId of [restore, scan]) {
      const results = invocationsAbout(sb, jobId)
        .filter((i) => i.function === RETRY)
        .map((i) => (i.outcome.ok ? (i.outcome.result as { result?: string; reason?: string }) : i.outcome.error));
      expect(results).toEqual([{ result: 'skipped', jobId, reason: 'excluded-account', alerted: false }]);
      expect(publishedAbout(sb, jobId)).toEqual([]);
    }
    expect(callsAbout(sb, 'DescribeRestoreJob', restore)).toEqual([]);
    expect(callsAbout(sb, 'DescribeScanJob', scan)).toEqual([]);
  }, 60_000);
});
