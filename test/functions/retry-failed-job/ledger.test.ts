import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logicalKeyOf, RetryLedger } from '../../../functions/retry-failed-job/ledger.js';
import { LEASE_MS } from '../../../shared/ledger/policy.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';
import { aBackupInput, aFailedCopyJob, aFailedJob, COPY_RECOVERY_POINT, NOW } from './builders.js';

let table: LedgerTable;
let ledger: RetryLedger;
beforeAll(async () => {
  table = await startLedgerTable('retry-ledger');
  ledger = new RetryLedger(table.documentClient, table.tableName, 90);
});
afterAll(async () => table.stop());

const at = (ms: number) => new Date(NOW.getTime() + ms);
const call = { now: NOW };
let n = 0;
/** An on-demand failed job no other test uses, and its logical key. */
const freshJob = () => {
  n += 1;
  const job = aFailedJob({ jobId: `job-${n}` });
  return { job, key: logicalKeyOf(job) };
};
const rawItem = async (pk: string) =>
  (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { pk } }))).Item;

describe('logicalKeyOf', () => {
  const plan = { planId: 'plan-1', versionId: 'v1', ruleId: 'rule-1' };
  const run = aFailedJob({ plan, createdAt: new Date('2026-11-24T01:05:00Z') });

  it('is 40 hex characters (what attempt schedules carry)', () => {
    expect(logicalKeyOf(run)).toMatch(/^[0-9a-f]{40}$/);
  });

  it("is one key for a plan rule's run of a resource, whichever job of it failed", () => {
    const retried = aFailedJob({ jobId: 'job-2', plan, createdAt: new Date('2026-11-24T01:55:00Z') });
    expect(logicalKeyOf(retried)).toBe(logicalKeyOf(run));
  });

  it.each([
    ['the next run of the rule', { createdAt: new Date('2026-11-25T01:05:00Z') }],
    ['another rule', { plan: { ...plan, ruleId: 'rule-2' } }],
    ['another vault', { vaultName: 'prod-weekly' }],
    ['another account', { accountId: '444455556666' }],
    ['another Region', { region: 'eu-west-1' }],
    ['another resource', { resourceArn: 'arn:aws:ec2:us-east-1:111122223333:volume/vol-0ffffffffffffffff' }],
  ])('is another key for %s', (_case, overrides) => {
    expect(logicalKeyOf(aFailedJob({ plan, createdAt: run.createdAt, ...overrides }))).not.toBe(logicalKeyOf(run));
  });

  it('keys an on-demand job (no plan) by its own id', () => {
    expect(logicalKeyOf(aFailedJob({ jobId: 'a' }))).not.toBe(logicalKeyOf(aFailedJob({ jobId: 'b' })));
  });

  it('keys a copy by its source recovery point and destination, whichever copy job failed', () => {
    expect(logicalKeyOf(aFailedCopyJob({ jobId: 'copy-2' }))).toBe(logicalKeyOf(aFailedCopyJob()));
    const elsewhere = aFailedCopyJob({
      copy: {
        sourceRecoveryPointArn: COPY_RECOVERY_POINT,
        destinationVaultArn: 'arn:aws:backup:eu-west-2:222233334444:backup-vault:dr',
      },
    });
    expect(logicalKeyOf(elsewhere)).not.toBe(logicalKeyOf(aFailedCopyJob()));
  });
});

describe('the failed job pointer', () => {
  /** Whether a claim was taken (first, or over a dead holder's passed lease). */
  const taken = async (...args: Parameters<RetryLedger['claim']>) =>
    ['claimed', 'resumed'].includes((await ledger.claim(...args)).kind);

  it('of 10 concurrent deliveries, one claims the job; the pointer says claimed', async () => {
    const { job } = freshJob();
    const claims = await Promise.all(Array.from({ length: 10 }, () => taken('backup', job.jobId, call)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await ledger.pointer('backup', job.jobId)).toEqual({ status: 'claimed' });
  });

  it('a released claim is taken at once by the next delivery', async () => {
    const { job } = freshJob();
    expect(await taken('backup', job.jobId, call)).toBe(true);
    expect(await taken('backup', job.jobId, call)).toBe(false);
    await ledger.releaseClaim('backup', job.jobId);
    expect(await taken('backup', job.jobId, call)).toBe(true);
  });

  it('a claim whose holder died is taken over after the lease', async () => {
    const { job } = freshJob();
    await taken('backup', job.jobId, call);
    expect(await ledger.claim('backup', job.jobId, { now: at(LEASE_MS - 1) })).toMatchObject({ kind: 'held' });
    expect(await taken('backup', job.jobId, { now: at(LEASE_MS + 1) })).toBe(true);
  });

  it('once done, names its logical backup and is never claimed again', async () => {
    const { job, key } = freshJob();
    await taken('backup', job.jobId, call);
    await ledger.done('backup', job.jobId, key, call);
    expect(await ledger.pointer('backup', job.jobId)).toEqual({ status: 'done', logicalKey: key });
    expect(await ledger.claim('backup', job.jobId, { now: at(LEASE_MS + 1) })).toMatchObject({ kind: 'settled' });
  });

  it('keeps backup and copy jobs of the same id apart', async () => {
    const { job } = freshJob();
    await taken('backup', job.jobId, call);
    expect(await ledger.pointer('copy', job.jobId)).toBeUndefined();
    expect(await taken('copy', job.jobId, call)).toBe(true);
  });
});

describe('the record of a logical backup', () => {
  it('is opened once at the first failure, with what the summary reads', async () => {
    const { job, key } = freshJob();
    await ledger.open(key, job, 'job-already-running', call);
    await ledger.open(key, aFailedJob({ jobId: 'a-later-failure' }), 'internal-error', { now: at(60_000) });
    expect(await rawItem(`retry#${key}`)).toEqual({
      pk: `retry#${key}`,
      kind: 'retry',
      activityDay: '2026-11-24',
      activityAt: NOW.toISOString(),
      expiresAt: NOW.getTime() / 1000 + 90 * 86_400,
      status: 'skipped',
      accountId: '111122223333',
      region: 'us-east-1',
      resourceArn: job.resourceArn,
      backupVaultName: 'prod-daily',
      jobKind: 'backup',
      attempts: 0,
      originalJobId: job.jobId,
      startedJobIds: [],
      inputs: {},
      category: 'job-already-running',
    });
    expect(await ledger.record(key)).toMatchObject({ attempts: 0, originalJobId: job.jobId, alerted: false });
  });

  it('keeps the plan rule of the original job for later (on-demand) attempts', async () => {
    const plan = { planId: 'plan-1', versionId: 'v1', ruleId: 'rule-1' };
    const job = aFailedJob({ jobId: 'planned-1', plan });
    const key = logicalKeyOf(job);
    await ledger.open(key, job, 'internal-error', call);
    expect((await ledger.record(key))?.plan).toEqual(plan);
  });

  it('records the latest decision and its day', async () => {
    const { job, key } = freshJob();
    await ledger.open(key, job, 'job-already-running', call);
    const tomorrow = new Date('2026-11-25T00:30:00Z');
    await ledger.status(key, 'exhausted', 'attempts-exhausted: 3 of 3', 'internal-error', { now: tomorrow });
    expect(await rawItem(`retry#${key}`)).toMatchObject({
      status: 'exhausted',
      detail: 'attempts-exhausted: 3 of 3',
      category: 'internal-error',
      activityDay: '2026-11-25',
      activityAt: tomorrow.toISOString(),
    });
  });

  it('refuses a status for a record never opened', async () => {
    const { key } = freshJob();
    await expect(ledger.status(key, 'skipped', 'x', 'unknown', call)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });
});

describe('attempts', () => {
  it('a first claim stores the exact input and marks the record scheduled with the attempt in flight', async () => {
    const { job, key } = freshJob();
    await ledger.open(key, job, 'internal-error', call);
    const input = aBackupInput();
    expect(await ledger.claimAttempt(key, 1, 'backup', input, call)).toEqual({ kind: 'claimed', request: input });
    expect(await ledger.attempt(key, 1)).toMatchObject({
      logicalKey: key,
      attempt: 1,
      jobKind: 'backup',
      request: input,
      kind: 'attempt',
    });
    expect(await ledger.record(key)).toMatchObject({ status: 'scheduled', pendingAttempt: 1, attempts: 0 });
  });

  it('names no attempt in flight that does not follow the counted ones', async () => {
    const { job, key } = freshJob();
    await ledger.open(key, job, 'internal-error', call);
    await ledger.claimAttempt(key, 2, 'backup', aBackupInput(), call);
    expect((await ledger.record(key))?.pendingAttempt).toBeUndefined();
  });

  it('a live attempt is held; a released one is resumed at once with the STORED input, not a new one', async () => {
    const { job, key } = freshJob();
    await ledger.open(key, job, 'internal-error', call);
    const stored = aBackupInput();
    await ledger.claimAttempt(key, 1, 'backup', stored, call);
    const other = aBackupInput({ StartWindowMinutes: 120 });
    expect((await ledger.claimAttempt(key, 1, 'backup', other, call)).kind).toBe('held');
    await ledger.releaseAttempt(key, 1);
    expect(await ledger.claimAttempt(key, 1, 'backup', other, call)).toMatchObject({
      kind: 'resumed',
      request: stored,
    });
  });

  it('a started attempt is counted once, with its job and input, and its job points back to the backup', async () => {
    const { job, key } = freshJob();
    await ledger.open(key, job, 'internal-error', call);
    const input = aBackupInput();
    await ledger.claimAttempt(key, 1, 'backup', input, call);
    const started = { key, attempt: 1, kind: 'backup' as const, input, newJobId: `${job.jobId}-r1` };
    await ledger.started(started, { now: at(1_000) });
    // A second invocation that finds the attempt settled counts it again: nothing changes.
    await ledger.countStarted(started, { now: at(2_000) });
    const record = await ledger.record(key);
    expect(record).toMatchObject({ status: 'started', attempts: 1, startedJobIds: [`${job.jobId}-r1`] });
    expect(record?.inputs).toEqual({ 1: input });
    expect(record?.pendingAttempt).toBeUndefined();
    expect(await ledger.attempt(key, 1)).toMatchObject({ settled: 'completed', jobId: `${job.jobId}-r1` });
    expect(await ledger.pointer('backup', `${job.jobId}-r1`)).toEqual({ status: 'started', logicalKey: key });
    expect(await ledger.claimAttempt(key, 1, 'backup', input, { now: at(LEASE_MS + 1) })).toMatchObject({
      kind: 'settled',
      outcome: 'completed',
    });
  });

  it('a refused attempt is never claimed again', async () => {
    const { job, key } = freshJob();
    await ledger.open(key, job, 'internal-error', call);
    await ledger.claimAttempt(key, 1, 'backup', aBackupInput(), call);
    await ledger.refuseAttempt(
      key,
      1,
      { errorName: 'AccessDeniedException', errorMessage: 'not authorized', statusCode: 403 },
      call,
    );
    expect(await ledger.attempt(key, 1)).toMatchObject({
      settled: 'refused',
      errorName: 'AccessDeniedException',
      errorMessage: 'not authorized',
      statusCode: 403,
    });
    expect(await ledger.claimAttempt(key, 1, 'backup', aBackupInput(), { now: at(LEASE_MS + 1) })).toMatchObject({
      kind: 'settled',
      outcome: 'refused',
    });
  });

  it('finds an attempt stored and never answered once its lease passed, by the day it was stored', async () => {
    const { job, key } = freshJob();
    const answered = freshJob();
    for (const k of [key, answered.key]) {
      await ledger.open(k, job, 'internal-error', call);
      await ledger.claimAttempt(k, 1, 'backup', aBackupInput(), call);
    }
    await ledger.started({ key: answered.key, attempt: 1, kind: 'backup', input: aBackupInput(), newJobId: 'r' }, call);
    const found = async (now: Date, days = ['2026-11-24']) => {
      const keys: string[] = [];
      for await (const item of ledger.interrupted(days, { now })) keys.push(item.logicalKey);
      return keys.filter((k) => k === key || k === answered.key);
    };
    expect(await found(at(LEASE_MS - 1))).toEqual([]);
    expect(await found(at(LEASE_MS + 1))).toEqual([key]);
    expect(await found(at(LEASE_MS + 1), ['2026-11-23'])).toEqual([]);
  });
});

describe('tellOnce', () => {
  it('of concurrent deliveries, one publishes, and the record says alerted', async () => {
    const { job, key } = freshJob();
    await ledger.open(key, job, 'vault-not-found', call);
    let published = 0;
    const told = await Promise.all(
      Array.from({ length: 5 }, () =>
        ledger.tellOnce(
          key,
          async () => {
            published += 1;
          },
          call,
        ),
      ),
    );
    expect(told.filter(Boolean)).toHaveLength(1);
    expect(published).toBe(1);
    expect((await ledger.record(key))?.alerted).toBe(true);
  });

  it('a failed publish gives the flag back, so the next delivery alerts', async () => {
    const { job, key } = freshJob();
    await ledger.open(key, job, 'vault-not-found', call);
    const failing = async () => {
      throw new Error('KMS throttled');
    };
    await expect(ledger.tellOnce(key, failing, call)).rejects.toThrow('KMS throttled');
    expect((await ledger.record(key))?.alerted).toBe(false);
    await expect(ledger.tellOnce(key, async () => undefined, call)).resolves.toBe(true);
  });
});
