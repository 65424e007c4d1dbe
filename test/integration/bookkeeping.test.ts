import { describe, expect, it } from 'vitest';
import {
  backupJob,
  COPY,
  callsAbout,
  copyJobsOf,
  HOUR,
  inputOf,
  invocationsAbout,
  publishedAbout,
  sandboxPerFile,
  seedCompletedBackup,
} from './support.js';

const HOME = '111122223333';
const WEST = `arn:aws:backup:us-west-2:${HOME}:backup-vault:bookkeeping-dr`;
const RULES = [{ name: 'to-west', match: { sourceVault: 'prod-bookkeeping' }, destinations: [{ vaultArn: WEST }] }];
/** The SDK's attempts per call (shared/clients.ts SDK_RETRY): a fault this many times reaches the function. */
const SDK_ATTEMPTS = 6;

const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(RULES) } }, (started) =>
  started.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'bookkeeping-dr' }),
);

/** The DynamoDB JSON of an UpdateItem, loosely. */
type UpdateInput = { Key?: { pk?: { S?: string } }; ExpressionAttributeValues?: Record<string, { S?: string }> };

describe('our own bookkeeping fails right after AWS accepted a request', () => {
  it('a DynamoDB failure after a successful StartCopyJob is raised, never alerted as AWS refusing; the retry gets the same copy', async () => {
    const sb = sandbox();
    const seeded = seedCompletedBackup(sb, 'bookkeeping-0001', 'prod-bookkeeping');
    // Recording the started copy fails on every SDK attempt of one call.
    sb.faults.add({
      service: 'dynamodb',
      operation: 'UpdateItem',
      fault: { kind: 'server-error' },
      times: SDK_ATTEMPTS,
      when: (input) => {
        const update = input as UpdateInput;
        return (
          (update.Key?.pk?.S ?? '').startsWith('copy#') &&
          update.ExpressionAttributeValues?.[':settled']?.S === 'completed'
        );
      },
    });
    await sb.runUntil(sb.clock.ms() + 2 * HOUR);

    const point = backupJob(sb, seeded.jobId).RecoveryPointArn ?? '';
    const starts = callsAbout(sb, 'StartCopyJob', point);
    // AWS accepted the first StartCopyJob; Lambda's async retry re-sent it identically.
    expect(starts.map((c) => c.status)).toEqual([200, 200]);
    expect(inputOf(starts[1])).toEqual(inputOf(starts[0]));
    const token = inputOf(starts[0]).IdempotencyToken;
    expect(
      sb.backup
        .tokens()
        .filter((u) => u.token === token)
        .map((u) => u.replay),
    ).toEqual([false, true]);
    expect(copyJobsOf(sb, seeded.arn)).toHaveLength(1);

    // The failed invocation raised the DynamoDB error; no person was told AWS refused the copy.
    const copyRuns = invocationsAbout(sb, seeded.jobId).filter((i) => i.function === COPY);
    expect(copyRuns.map((i) => i.outcome.ok)).toEqual([false, true]);
    expect(JSON.stringify(copyRuns[0]?.outcome)).not.toContain('refused');
    expect(publishedAbout(sb, 'refused to start a copy')).toEqual([]);
    expect(publishedAbout(sb, point)).toEqual([]);
    expect(sb.faults.fired.filter((f) => f.service === 'dynamodb')).toHaveLength(SDK_ATTEMPTS);
  }, 60_000);
});
