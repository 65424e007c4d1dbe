import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExactlyOnce } from '../../../shared/ledger/exactly-once.js';
import { LEASE_MS } from '../../../shared/ledger/policy.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';

const NOW = new Date('2026-11-24T02:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const REQUEST = { IdempotencyToken: '6f1d2c3b-4a59-5e6f-8a7b-9c0d1e2f3a4b', ResourceArn: 'arn:aws:ec2:::volume/vol-1' };

let table: LedgerTable;
let ledger: ExactlyOnce;
let n = 0;
/** A key no other test uses. */
const fresh = () => {
  n += 1;
  return `op#${n}`;
};

beforeAll(async () => {
  table = await startLedgerTable('exactly-once');
  ledger = new ExactlyOnce(table.documentClient, { tableName: table.tableName, ttlDays: 30 });
});
afterAll(async () => table.stop());

describe('claim', () => {
  it('stores the exact request before the call, with the lease and the TTL from the settings', async () => {
    const pk = fresh();
    // Act
    const claim = await ledger.claim(pk, { request: REQUEST, attributes: { kind: 'copy', hop: 1 } }, { now: NOW });
    // Assess
    expect(claim).toEqual({ kind: 'claimed', request: REQUEST });
    expect(await ledger.get(pk)).toEqual({
      pk,
      request: REQUEST,
      kind: 'copy',
      hop: 1,
      leaseUntil: NOW.getTime() + LEASE_MS,
      expiresAt: NOW.getTime() / 1000 + 30 * 86_400,
    });
  });

  it('of 25 concurrent claims on one operation, exactly one wins; the others see it held', async () => {
    const pk = fresh();
    const claims = await Promise.all(
      Array.from({ length: 25 }, () => ledger.claim(pk, { request: REQUEST }, { now: NOW })),
    );
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'held')).toHaveLength(24);
  });

  it('a live lease is held until it passes, then taken over by one of many', async () => {
    const pk = fresh();
    await ledger.claim(pk, { request: REQUEST }, { now: NOW });
    expect((await ledger.claim(pk, { request: REQUEST }, { now: at(LEASE_MS - 1) })).kind).toBe('held');
    const later = await Promise.all(
      Array.from({ length: 10 }, () => ledger.claim(pk, { request: REQUEST }, { now: at(LEASE_MS + 1) })),
    );
    expect(later.filter((c) => c.kind === 'resumed')).toHaveLength(1);
    expect(later.filter((c) => c.kind === 'held')).toHaveLength(9);
  });

  it('a crash after the write: after the lease, the claim resumes with the STORED request, not a new one', async () => {
    // Prepare: the dead holder stored its request and never answered.
    const pk = fresh();
    await ledger.claim(pk, { request: REQUEST, attributes: { status: 'started' } }, { now: NOW });
    // Act: a later delivery planned a different request (a new decision) and other attributes.
    const other = { ...REQUEST, ResourceArn: 'arn:aws:ec2:::volume/vol-2' };
    const claim = await ledger.claim(
      pk,
      { request: other, attributes: { status: 'other' } },
      { now: at(LEASE_MS + 1) },
    );
    // Assess
    expect(claim).toMatchObject({ kind: 'resumed', request: REQUEST });
    expect(await ledger.get(pk)).toMatchObject({
      request: REQUEST,
      status: 'started',
      leaseUntil: at(2 * LEASE_MS + 1).getTime(),
    });
  });

  it('a crash after the call (AWS accepted, the answer never recorded): resumed once, then completed, then settled', async () => {
    const pk = fresh();
    await ledger.claim(pk, { request: REQUEST }, { now: NOW });
    const resumed = await ledger.claim(pk, { request: REQUEST }, { now: at(LEASE_MS + 1) });
    expect(resumed.kind).toBe('resumed');
    // The re-send got the same job back (same token); record it.
    await ledger.complete(pk, { jobId: 'job-1' }, { now: at(LEASE_MS + 2) });
    const after = await ledger.claim(pk, { request: REQUEST }, { now: at(10 * LEASE_MS) });
    expect(after).toMatchObject({ kind: 'settled', outcome: 'completed', item: { jobId: 'job-1' } });
    expect((await ledger.get(pk))?.leaseUntil).toBeUndefined();
  });

  it('a release after a retryable failure lets the next claim re-send at once, with the stored request', async () => {
    const pk = fresh();
    await ledger.claim(pk, { request: REQUEST }, { now: NOW });
    await ledger.release(pk);
    expect(await ledger.claim(pk, { request: { ...REQUEST, x: 1 } }, { now: at(1) })).toMatchObject({
      kind: 'resumed',
      request: REQUEST,
    });
  });

  it('a refused operation is never claimed again, and a release after it changes nothing', async () => {
    const pk = fresh();
    await ledger.claim(pk, { request: REQUEST }, { now: NOW });
    await ledger.refuse(pk, { status: 'failed-to-start' }, { now: at(1) });
    await ledger.release(pk);
    expect(await ledger.claim(pk, { request: REQUEST }, { now: at(10 * LEASE_MS) })).toMatchObject({
      kind: 'settled',
      outcome: 'refused',
      item: { status: 'failed-to-start', settled: 'refused' },
    });
  });

  it('passes the abort signal to DynamoDB: an aborted invocation makes no write', async () => {
    const pk = fresh();
    const controller = new AbortController();
    controller.abort();
    await expect(ledger.claim(pk, { request: REQUEST }, { now: NOW, signal: controller.signal })).rejects.toThrow();
    expect(await ledger.get(pk)).toBeUndefined();
  });
});

describe('tellOnce (take-once for alerts)', () => {
  it('of concurrent deliveries, one publishes', async () => {
    const pk = fresh();
    await ledger.claim(pk, {}, { now: NOW });
    const publish = vi.fn(async () => undefined);
    const told = await Promise.all(
      Array.from({ length: 10 }, () => ledger.tellOnce(pk, 'alertedAt', publish, { now: NOW })),
    );
    expect(told.filter(Boolean)).toHaveLength(1);
    expect(publish).toHaveBeenCalledTimes(1);
    expect((await ledger.get(pk))?.alertedAt).toBe(NOW.toISOString());
  });

  it('a failed publish gives the flag back, so the next delivery alerts', async () => {
    const pk = fresh();
    await ledger.claim(pk, {}, { now: NOW });
    const failing = vi.fn(async () => {
      throw new Error('SNS down');
    });
    await expect(ledger.tellOnce(pk, 'alertedAt', failing, { now: NOW })).rejects.toThrow('SNS down');
    expect((await ledger.get(pk))?.alertedAt).toBeUndefined();
    const publish = vi.fn(async () => undefined);
    expect(await ledger.tellOnce(pk, 'alertedAt', publish, { now: at(60_000) })).toBe(true);
    expect(await ledger.tellOnce(pk, 'alertedAt', publish, { now: at(120_000) })).toBe(false);
    expect(publish).toHaveBeenCalledTimes(1);
  });
});

describe('tellOnce creating its item (a summary channel: no item before the first take)', () => {
  it('the take creates the item with its attributes and the TTL; of concurrent deliveries, one publishes', async () => {
    const pk = fresh();
    const publish = vi.fn(async () => undefined);
    const told = await Promise.all(
      Array.from({ length: 10 }, () =>
        ledger.tellOnce(pk, 'deliveredAt', publish, { now: NOW }, { create: { summaryChannel: 'sns' } }),
      ),
    );
    expect(told.filter(Boolean)).toHaveLength(1);
    expect(publish).toHaveBeenCalledTimes(1);
    expect(await ledger.get(pk)).toEqual({
      pk,
      summaryChannel: 'sns',
      deliveredAt: NOW.toISOString(),
      expiresAt: NOW.getTime() / 1000 + 30 * 86_400,
    });
  });

  it('a failed publish gives the flag back and keeps the item; the next delivery tells, once', async () => {
    const pk = fresh();
    const create = { summaryChannel: 'slack' };
    const failing = vi.fn(async () => {
      throw new Error('webhook down');
    });
    await expect(ledger.tellOnce(pk, 'deliveredAt', failing, { now: NOW }, { create })).rejects.toThrow('webhook down');
    expect(await ledger.get(pk)).toEqual({ pk, summaryChannel: 'slack', expiresAt: expect.any(Number) });
    const publish = vi.fn(async () => undefined);
    expect(await ledger.tellOnce(pk, 'deliveredAt', publish, { now: at(60_000) }, { create })).toBe(true);
    expect(await ledger.tellOnce(pk, 'deliveredAt', publish, { now: at(120_000) }, { create })).toBe(false);
    expect(publish).toHaveBeenCalledTimes(1);
    // The TTL runs from the take that told.
    expect((await ledger.get(pk))?.expiresAt).toBe(at(60_000).getTime() / 1000 + 30 * 86_400);
  });

  it('without create, a flag on a missing item is never taken: nothing is published or written', async () => {
    const pk = fresh();
    const publish = vi.fn(async () => undefined);
    expect(await ledger.tellOnce(pk, 'deliveredAt', publish, { now: NOW })).toBe(false);
    expect(publish).not.toHaveBeenCalled();
    expect(await ledger.get(pk)).toBeUndefined();
  });

  it('refuses to create an item for a flag that is a path', async () => {
    const publish = vi.fn(async () => undefined);
    await expect(
      ledger.tellOnce(fresh(), ['setAside', 'k', 'alertedAt'], publish, { now: NOW }, { create: {} }),
    ).rejects.toThrow(TypeError);
    expect(publish).not.toHaveBeenCalled();
  });
});

describe('tellOnceWithReceipt (a message that may be missing is told apart from one sent)', () => {
  const create = { summaryChannel: 'sns' };

  it('told, then told-before for every later delivery; the receipt is the time of the tell', async () => {
    const pk = fresh();
    const publish = vi.fn(async () => undefined);
    expect(await ledger.tellOnceWithReceipt(pk, 'deliveredAt', 'confirmedAt', publish, { now: NOW }, { create })).toBe(
      'told',
    );
    expect(
      await ledger.tellOnceWithReceipt(pk, 'deliveredAt', 'confirmedAt', publish, { now: at(60_000) }, { create }),
    ).toBe('told-before');
    expect(publish).toHaveBeenCalledTimes(1);
    expect(await ledger.get(pk)).toMatchObject({ deliveredAt: NOW.toISOString(), confirmedAt: NOW.toISOString() });
  });

  it('a flag taken with no receipt (its teller died before confirming) is unconfirmed, and not told again', async () => {
    const pk = fresh();
    // The dead teller: its flag is taken; it never got to the receipt.
    await ledger.tellOnce(pk, 'deliveredAt', async () => undefined, { now: NOW }, { create });
    const publish = vi.fn(async () => undefined);
    expect(
      await ledger.tellOnceWithReceipt(pk, 'deliveredAt', 'confirmedAt', publish, { now: at(60_000) }, { create }),
    ).toBe('unconfirmed');
    expect(publish).not.toHaveBeenCalled();
  });

  it('a failed publish gives the flag back and writes no receipt', async () => {
    const pk = fresh();
    const failing = async () => {
      throw new Error('SNS down');
    };
    await expect(
      ledger.tellOnceWithReceipt(pk, 'deliveredAt', 'confirmedAt', failing, { now: NOW }, { create }),
    ).rejects.toThrow('SNS down');
    expect(await ledger.get(pk)).toEqual({ pk, summaryChannel: 'sns', expiresAt: expect.any(Number) });
  });
});

describe('interrupted', () => {
  it('finds operations of a kind stored but never answered whose lease passed, by the day they were stored', async () => {
    const day = '2026-11-24';
    const stamp = (kind: string) => ({ kind, activityDay: day, activityAt: NOW.toISOString() });
    const dead = fresh();
    const live = fresh();
    const done = fresh();
    const otherKind = fresh();
    await ledger.claim(dead, { request: REQUEST, attributes: stamp('attempt') }, { now: NOW });
    await ledger.claim(live, { request: REQUEST, attributes: stamp('attempt') }, { now: at(LEASE_MS) });
    await ledger.claim(done, { request: REQUEST, attributes: stamp('attempt') }, { now: NOW });
    await ledger.complete(done, {}, { now: NOW });
    await ledger.claim(otherKind, { request: REQUEST, attributes: stamp('copy') }, { now: NOW });
    const found: unknown[] = [];
    for await (const item of ledger.interrupted('attempt', [day], { now: at(LEASE_MS + 1) })) found.push(item.pk);
    expect(found).toEqual([dead]);
  });
});

describe('give-backs after the invocation aborted', () => {
  it("a publish stopped by the invocation's abort still gives the alert flag back", async () => {
    const pk = fresh();
    await ledger.claim(pk, {}, { now: NOW });
    const invocation = new AbortController();
    // The invocation's signal fires (1 s before Lambda's Timeout) while the publish is under way.
    const aborted = vi.fn(async () => {
      invocation.abort();
      throw new Error('publish aborted');
    });
    await expect(ledger.tellOnce(pk, 'alertedAt', aborted, { now: NOW, signal: invocation.signal })).rejects.toThrow(
      'publish aborted',
    );
    expect((await ledger.get(pk))?.alertedAt).toBeUndefined();
  });
});
