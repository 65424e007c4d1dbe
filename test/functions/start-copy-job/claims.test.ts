import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CopyClaimItem,
  claimCopy,
  copyKey,
  recordRefused,
  recordStarted,
} from '../../../functions/start-copy-job/claims.js';
import { BackupApiError } from '../../../shared/backup/index.js';
import { diagnoseApiError } from '../../../shared/diagnosis/index.js';
import type { ExactlyOnce } from '../../../shared/ledger/exactly-once.js';
import { LEASE_MS } from '../../../shared/ledger/policy.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aPlannedCopy, copyLedger, DR_EU, RP, SRC, STAGING } from './builders.js';

const NOW = new Date('2026-11-24T03:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

let table: LedgerTable;
let ledger: ExactlyOnce;
beforeAll(async () => {
  table = await startLedgerTable('copy-claims');
  ledger = copyLedger(table);
});
afterAll(async () => table.stop());

let n = 0;
/** A planned copy no other test uses (its own recovery point, so its own token and item). */
const freshCopy = (
  overrides: Parameters<typeof aPlannedCopy>[0] = {},
  input: Parameters<typeof aPlannedCopy>[1] = {},
) => {
  n += 1;
  const copy = aPlannedCopy(overrides, {
    RecoveryPointArn: `${RP.slice(0, -2)}${String(n).padStart(2, '0')}`,
    ...input,
  });
  return { copy, pk: copyKey(copy.input.IdempotencyToken) };
};

describe('copyKey', () => {
  it("is the copy's idempotency token, which names source, destination and hop", () => {
    const { copy } = freshCopy();
    expect(copyKey(copy.input.IdempotencyToken)).toBe(`copy#${copy.input.IdempotencyToken}`);
  });
});

describe('claimCopy', () => {
  it('stores the exact StartCopyJob input and the hop of its route before the call', async () => {
    const { copy, pk } = freshCopy({ destinationVaultArn: DR_EU, hops: 2 }, { DestinationBackupVaultArn: STAGING });
    expect(await claimCopy(ledger, copy, { now: NOW })).toEqual({ kind: 'claimed', request: copy.input });
    expect(await ledger.get<CopyClaimItem>(pk)).toMatchObject({
      pk,
      request: copy.input,
      kind: 'copy',
      activityDay: '2026-11-24',
      activityAt: NOW.toISOString(),
      accountId: SRC,
      region: 'us-east-1',
      sourceRecoveryPointArn: copy.input.RecoveryPointArn,
      destinationVaultArn: STAGING,
      finalDestinationVaultArn: DR_EU,
      ruleName: 'prod-ebs',
      hop: 1,
      hops: 2,
    });
  });

  it('of 10 concurrent deliveries of one copy, one claims it', async () => {
    const { copy } = freshCopy();
    const claims = await Promise.all(Array.from({ length: 10 }, () => claimCopy(ledger, copy, { now: NOW })));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'held')).toHaveLength(9);
  });

  it('after a dead holder, resumes with the input it stored', async () => {
    const { copy } = freshCopy();
    await claimCopy(ledger, copy, { now: NOW });
    const replanned = { ...copy, input: { ...copy.input, IamRoleArn: `arn:aws:iam::${SRC}:role/other` } };
    expect(await claimCopy(ledger, replanned, { now: at(LEASE_MS + 1) })).toMatchObject({
      kind: 'resumed',
      request: copy.input,
    });
  });
});

describe('recordStarted', () => {
  it('records the copy job AWS started; the copy is settled and never sent again', async () => {
    const { copy, pk } = freshCopy();
    await claimCopy(ledger, copy, { now: NOW });
    await recordStarted(ledger, pk, 'copy-job-1', { now: at(5_000) });
    expect(await ledger.get<CopyClaimItem>(pk)).toMatchObject({
      status: 'started',
      copyJobId: 'copy-job-1',
      settled: 'completed',
      activityAt: at(5_000).toISOString(),
    });
    expect(await claimCopy(ledger, copy, { now: at(LEASE_MS + 1) })).toMatchObject({
      kind: 'settled',
      outcome: 'completed',
    });
  });
});

describe('recordRefused', () => {
  it('records the refusal with its diagnosis (for the summary and a late alert); never sent again', async () => {
    const { copy, pk } = freshCopy();
    const diagnosis = diagnoseApiError(
      new BackupApiError('StartCopyJob', 'AccessDeniedException', false, 403, new Error('not authorized')),
    );
    await claimCopy(ledger, copy, { now: NOW });
    await recordRefused(ledger, pk, diagnosis, { now: NOW });
    const item = await ledger.get<CopyClaimItem>(pk);
    expect(item).toMatchObject({
      status: 'failed-to-start',
      category: 'access-denied',
      diagnosis,
      settled: 'refused',
    });
    expect(item?.copyJobId).toBeUndefined();
    expect(await claimCopy(ledger, copy, { now: at(LEASE_MS + 1) })).toMatchObject({
      kind: 'settled',
      outcome: 'refused',
    });
  });
});
