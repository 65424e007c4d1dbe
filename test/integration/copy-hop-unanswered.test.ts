/**
 * A multi-hop route whose hop 1 copy job completes while that hop's claim is still unanswered, over
 * real HTTP with the real bundles. The backup's COMPLETED event is lost, so the copy sweep starts
 * hop 1, and its container is killed right after StartCopyJob succeeded, before the ledger recorded
 * the copy job id (a crash between two writes). The sweep's async retry meets the claim inside its
 * lease (in flight) and moves the cursor; the copy's COMPLETED event and its retries meet the
 * unanswered claim (in flight). Before, the next sweep listed the completed copy job before it
 * resumed the claim: in flight again, its cursor moved past the copy, no later sweep listed it, and
 * the copy into the route's destination was never made, with no error and no alert.
 */
import { describe, expect, it } from 'vitest';
import { COPY, callsAbout, copyJobsOf, detailOf, HOUR, sandboxPerFile, seedCompletedBackup } from './support.js';

const HOME = '111122223333';
const STAGING = `arn:aws:backup:eu-west-1:${HOME}:backup-vault:unanswered-staging`;
const DR = `arn:aws:backup:us-west-2:${HOME}:backup-vault:unanswered-dr`;
const RULES = [
  { name: 'dr', match: { sourceVault: 'unanswered-hop' }, destinations: [{ vaultArn: DR, via: [STAGING] }] },
];

const sandbox = sandboxPerFile({ parameterOverrides: { StartCopyJobCopyRules: JSON.stringify(RULES) } }, (s) => {
  s.backup.store.addVault({ account: HOME, region: 'eu-west-1', name: 'unanswered-staging' });
  s.backup.store.addVault({ account: HOME, region: 'us-west-2', name: 'unanswered-dr' });
});

/** The DynamoDB JSON of an UpdateItem, loosely. */
type UpdateInput = { Key?: { pk?: { S?: string } }; ExpressionAttributeValues?: Record<string, { S?: string }> };

describe('a hop whose copy completes before its claim is answered', () => {
  it('the route still reaches its destination: one copy into STAGING, one into DR', async () => {
    const sb = sandbox();
    const seeded = seedCompletedBackup(sb, 'unanswered-0001', 'unanswered-hop');
    // The backup's COMPLETED event is lost: the copy sweep starts hop 1.
    sb.bus.lose((event) => detailOf(event).backupJobId === seeded.jobId);
    // Recording hop 1's copy job id never happens: the container dies on that write.
    sb.faults.add({
      service: 'dynamodb',
      operation: 'UpdateItem',
      fault: { kind: 'crash-caller' },
      times: 1,
      when: (input) => {
        const update = input as UpdateInput;
        return (
          (update.Key?.pk?.S ?? '').startsWith('copy#') &&
          update.ExpressionAttributeValues?.[':settled']?.S === 'completed'
        );
      },
    });
    await sb.runUntil(sb.clock.ms() + 8 * HOUR);

    expect(sb.faults.fired.filter((f) => f.service === 'dynamodb')).toHaveLength(1);
    const copies = copyJobsOf(sb, seeded.arn);
    expect(copies.map((r) => [r.job.DestinationBackupVaultArn, r.job.State])).toEqual([
      [STAGING, 'COMPLETED'],
      [DR, 'COMPLETED'],
    ]);
    // Hop 2 starts from the copy hop 1 made, once.
    const [hop1, hop2] = copies;
    expect(hop2?.job.SourceRecoveryPointArn).toBe(hop1?.job.DestinationRecoveryPointArn);
    expect(callsAbout(sb, 'StartCopyJob', DR).filter((c) => c.status === 200)).toHaveLength(1);
    expect(
      sb.invocations.filter((i) => i.function === COPY && i.trigger === 'schedule:CopySweep').length,
    ).toBeGreaterThan(2);
  }, 120_000);
});
