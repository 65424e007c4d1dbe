import { afterEach, describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../../sandbox/lambda/container.js';
import { FunctionPool, type PoolOptions } from '../../../sandbox/lambda/pool.js';
import { aSpec, isRunning } from './fixtures/spec.js';

const pools: FunctionPool[] = [];
const aPool = (options: Partial<PoolOptions> = {}, spec = aSpec()): FunctionPool => {
  const pool = new FunctionPool(spec, { credentials: () => undefined, ...options });
  pools.push(pool);
  return pool;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const pidOf = (outcome: InvokeOutcome): number => {
  if (!outcome.ok) throw new Error(`${outcome.kind}: ${outcome.error.errorMessage}`);
  return (outcome.result as { pid: number }).pid;
};

describe('FunctionPool', () => {
  it('reuses a warm environment, starts another when all are busy, and replaces a killed one', async () => {
    // Prepare
    const issued: string[] = [];
    const retired: string[] = [];
    const outcomes: InvokeOutcome[] = [];
    const pool = aPool({
      credentials: (id) => {
        issued.push(id);
        return { accessKeyId: `AKID-${id}`, secretAccessKey: 's' };
      },
      onRetire: (id) => retired.push(id),
      onInvoke: (outcome) => outcomes.push(outcome),
      requestId: (() => {
        let n = 0;
        return () => `req-${++n}`;
      })(),
    });

    // Act: two at once, then one more (warm), then a crash mid-invocation, then one more
    const [a, b] = await Promise.all([
      pool.invoke({ action: 'sleep', ms: 100 }),
      pool.invoke({ action: 'sleep', ms: 100 }),
    ]);
    const warm = await pool.invoke({ action: 'echo' });
    const crashing = pool.invoke({ action: 'sleep', ms: 5_000 }, { requestId: 'doomed' });
    await new Promise((done) => setTimeout(done, 50));
    const victim = pool.containers().find((c) => c.state === 'busy');
    await pool.kill(victim?.id ?? 'none');
    const crashed = await crashing;
    const after = await pool.invoke({ action: 'echo' });

    // Assess
    expect([a.container, b.container].sort()).toEqual(['FixtureFunction-1', 'FixtureFunction-2']);
    expect(pidOf(a)).not.toBe(pidOf(b));
    expect([a.coldStart, b.coldStart]).toEqual([true, true]);
    expect(warm).toMatchObject({ container: 'FixtureFunction-1', coldStart: false, requestId: 'req-3' });
    expect(pidOf(warm)).toBe(pidOf(a.container === 'FixtureFunction-1' ? a : b));
    expect(crashed).toMatchObject({ ok: false, kind: 'crash', requestId: 'doomed', container: 'FixtureFunction-1' });
    expect(retired).toEqual(['FixtureFunction-1']);
    // The idle warm one serves next; the crashed one is gone for good.
    expect(after).toMatchObject({ container: 'FixtureFunction-2', coldStart: false });
    expect(pool.containers().map((c) => c.id)).toEqual(['FixtureFunction-2']);
    expect(issued).toEqual(['FixtureFunction-1', 'FixtureFunction-2']);
    // The two concurrent ones end in either order; the rest in sequence.
    const ids = outcomes.map((o) => o.requestId);
    expect(ids.slice(0, 2).sort()).toEqual(['req-1', 'req-2']);
    expect(ids.slice(2)).toEqual(['req-3', 'doomed', 'req-4']);
  });

  it('queues beyond maxContainers, replaces a timed-out environment, and leaves no process behind on close', async () => {
    // Prepare
    const pool = aPool({ maxContainers: 1 }, aSpec({ timeoutMs: 600 }));

    // Act
    const [slow, queued] = await Promise.all([
      pool.invoke({ action: 'sleep', ms: 5_000 }),
      pool.invoke({ action: 'echo', n: 2 }),
    ]);
    const pids = pool.containers().map((c) => c.pid ?? 0);
    await pool.close();

    // Assess
    expect(slow).toMatchObject({ ok: false, kind: 'timeout', container: 'FixtureFunction-1' });
    expect(queued).toMatchObject({ ok: true, container: 'FixtureFunction-2', coldStart: true });
    expect(pids).toHaveLength(1);
    expect(pids.every((pid) => pid > 0 && !isRunning(pid))).toBe(true);
    expect(pool.containers()).toEqual([]);
    await expect(pool.invoke({})).rejects.toThrow('pool closed');
  });
});
