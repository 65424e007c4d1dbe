import { BackupClient, StartCopyJobCommand } from '@aws-sdk/client-backup';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCopy } from '../../../functions/start-copy-job/act.js';
import { type CopyClaimItem, claimCopy, copyKey } from '../../../functions/start-copy-job/claims.js';
import type { StartCopyDeps } from '../../../functions/start-copy-job/deps.js';
import { LEASE_MS } from '../../../shared/ledger/policy.js';
import { metricsInto } from '../../support/base-deps.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aCopyDeps, aPlannedCopy, copyLedger, DR_EU, RP_STAGING, SRC } from './builders.js';

const backup = mockClient(BackupClient);
const sns = mockClient(SNSClient);
let table: LedgerTable;
beforeAll(async () => {
  table = await startLedgerTable('copy-act');
});
afterAll(async () => table.stop());
beforeEach(() => {
  backup.reset();
  sns.reset();
  backup.on(StartCopyJobCommand).resolves({ CopyJobId: 'copy-job-1' });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

let n = 0;
/**
 * A planned copy no other test uses, and deps over the table recording metrics: hop 2 of a route to
 * DR_EU, from the staging vault in eu-west-1 (not the function's Region), where its copy job runs.
 */
const fresh = (overrides: Partial<StartCopyDeps> = {}) => {
  n += 1;
  const copy = aPlannedCopy(
    { destinationVaultArn: DR_EU, hop: 2, hops: 2, region: 'eu-west-1' },
    { RecoveryPointArn: `${RP_STAGING}-${n}`, SourceBackupVaultName: 'staging', DestinationBackupVaultArn: DR_EU },
  );
  const metrics: string[] = [];
  const deps = aCopyDeps({ ledger: copyLedger(table), metrics: metricsInto(metrics), ...overrides });
  return { copy, deps, metrics, pk: copyKey(copy.input.IdempotencyToken) };
};
const startRegions = () =>
  Promise.all(backup.commandCalls(StartCopyJobCommand).map((call) => (call.thisValue as BackupClient).config.region()));

describe('runCopy', () => {
  it('claims a copy and starts it with the stored input, in the Region of its source, and records the job', async () => {
    const { copy, deps, metrics, pk } = fresh();
    await expect(runCopy(deps, copy)).resolves.toEqual({
      outcome: 'started',
      copy,
      copyJobId: 'copy-job-1',
      resent: false,
    });
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([copy.input]);
    expect(await startRegions()).toEqual(['eu-west-1']);
    expect(await deps.ledger.get<CopyClaimItem>(pk)).toMatchObject({
      request: copy.input,
      copyJobId: 'copy-job-1',
      settled: 'completed',
    });
    expect(metrics).toEqual(['CopiesStarted']);
  });

  it("starts the copy with the client of its source account (central mode: that member's role)", async () => {
    const asked: [string, string | undefined][] = [];
    const base = aCopyDeps({ ledger: copyLedger(table) });
    const deps: StartCopyDeps = {
      ...base,
      backupClientFor: (region, account) => {
        asked.push([region, account]);
        return base.backupClientFor(region, account);
      },
    };
    n += 1;
    const member = '444455556666';
    const copy = aPlannedCopy(
      { accountId: member },
      { RecoveryPointArn: `arn:aws:backup:us-east-1:${member}:recovery-point:M-${n}` },
    );
    await expect(runCopy(deps, copy)).resolves.toMatchObject({ outcome: 'started' });
    expect(asked).toEqual([['us-east-1', member]]);
  });

  it('after a dead holder, re-sends the input it stored, not the one planned now', async () => {
    const { copy, deps } = fresh();
    const stored = { ...copy, input: { ...copy.input, IamRoleArn: `arn:aws:iam::${SRC}:role/stored` } };
    await claimCopy(deps.ledger, stored, { now: new Date(deps.now().getTime() - LEASE_MS - 1) });
    await expect(runCopy(deps, copy)).resolves.toMatchObject({ outcome: 'started', resent: true });
    expect(backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input)).toEqual([stored.input]);
  });

  it('a copy AWS refuses is recorded with its diagnosis and alerted once; a redelivery sends nothing', async () => {
    backup.on(StartCopyJobCommand).rejects(
      Object.assign(new Error('not authorized to perform: backup:CopyIntoBackupVault'), {
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const { copy, deps, metrics, pk } = fresh();
    const first = await runCopy(deps, copy);
    expect(first).toMatchObject({ outcome: 'failed-to-start', diagnosis: { category: 'access-denied' } });
    expect(await deps.ledger.get<CopyClaimItem>(pk)).toMatchObject({
      status: 'failed-to-start',
      category: 'access-denied',
      settled: 'refused',
      alertedAt: expect.any(String),
    });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(metrics).toEqual(['CopiesFailedToStart']);

    backup.resetHistory();
    await expect(runCopy(deps, copy)).resolves.toMatchObject({ outcome: 'duplicate', status: 'failed-to-start' });
    expect(backup).not.toHaveReceivedCommand(StartCopyJobCommand);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it.each(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'])(
    'a copy whose call never reached AWS (%s) is not a refusal: no alert, the lease given back, the redelivery starts it',
    async (code) => {
      backup
        .on(StartCopyJobCommand)
        .rejectsOnce(Object.assign(new Error(`connect ${code} backup.eu-west-1.amazonaws.com`), { code }))
        .resolves({ CopyJobId: 'copy-job-1' });
      const { copy, deps, metrics, pk } = fresh();
      await expect(runCopy(deps, copy)).rejects.toMatchObject({ errorName: code, retryable: true });
      expect(sns).not.toHaveReceivedCommand(PublishCommand);
      const item = await deps.ledger.get<CopyClaimItem>(pk);
      expect(item).not.toHaveProperty('settled');
      expect(item?.request).toEqual(copy.input);
      expect(metrics).toEqual([]);

      const again = await runCopy(deps, copy);
      expect(again).toMatchObject({ outcome: 'started', copyJobId: 'copy-job-1' });
      const tokens = backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input.IdempotencyToken);
      expect(tokens).toEqual([copy.input.IdempotencyToken, copy.input.IdempotencyToken]);
      expect(sns).not.toHaveReceivedCommand(PublishCommand);
    },
  );

  it("gives the lease back when the invocation's signal aborted the Start, and raises the abort", async () => {
    const invocation = new AbortController();
    // Lambda's timeout nears while AWS is slow: the base stack aborts the signal mid-call.
    backup.on(StartCopyJobCommand).callsFake(() => {
      invocation.abort();
      throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    });
    const { copy, deps, pk } = fresh({ signal: invocation.signal });
    await expect(runCopy(deps, copy)).rejects.toMatchObject({ errorName: 'AbortError', retryable: true });
    // The give-back ran on a signal of its own: the lease is 0, so the redelivery re-sends at once.
    expect(await deps.ledger.get<CopyClaimItem>(pk)).toMatchObject({ request: copy.input, leaseUntil: 0 });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('in a dry run starts nothing and writes nothing', async () => {
    // No ledger: the deps fail the test on any ledger call.
    const copy = aPlannedCopy();
    await expect(runCopy(aCopyDeps({ config: { dryRun: true } }), copy)).resolves.toEqual({ outcome: 'dry-run', copy });
    expect(backup).not.toHaveReceivedCommand(StartCopyJobCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});
