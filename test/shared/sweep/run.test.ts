import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep, type SweepDeps, SweepIncompleteError, type SweepJob } from '../../../shared/sweep/run.js';
import { type SetAsideJob, SweepState } from '../../../shared/sweep/state.js';
import { metricsInto, quietLogger } from '../../support/base-deps.js';
import { type LedgerTable, startLedgerTable } from '../../support/ledger-table.js';

let table: LedgerTable;
beforeAll(async () => {
  table = await startLedgerTable('sweep-run-test');
});
afterAll(async () => table.stop());

const HOUR = 3_600_000;
const T0 = new Date('2026-11-24T03:00:00Z');
let n = 0;

/** A sweep named afresh per test, its clock at sweep `i` (hourly), telling into `told`. */
const sweeper = (setAsideAfter = 3) => {
  n += 1;
  const state = new SweepState(table.documentClient, { tableName: table.tableName, ttlDays: 90 }, `test-${n}`);
  const told: { key: string; job: SetAsideJob }[] = [];
  let failTell = false;
  const deps = (i: number, metrics: string[] = []): SweepDeps => ({
    state,
    logger: quietLogger,
    metrics: metricsInto(metrics, true),
    now: () => new Date(T0.getTime() + i * HOUR),
    setAsideAfter,
    dryRun: false,
    tell: async (key, job) => {
      if (failTell) throw new Error('SNS down');
      told.push({ key, job });
    },
  });
  const sweep = async (i: number, jobs: SweepJob[], metrics?: string[]) => {
    const d = deps(i, metrics);
    return runSweep(
      d,
      await state.read(),
      d.now(),
      (async function* () {
        yield* jobs;
      })(),
    );
  };
  return {
    state,
    told,
    sweep,
    failNextTells: (on: boolean) => {
      failTell = on;
    },
  };
};

const ok = (key: string, label = 'handled'): SweepJob => ({ key, handle: async () => label });
const poison = (key: string): SweepJob => ({
  key,
  handle: async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'RecoveryPointArn')");
  },
});

describe('runSweep', () => {
  it('moves the cursor when every job was handled, counting outcomes', async () => {
    const s = sweeper();
    const run = await s.sweep(0, [ok('backup#a'), ok('backup#b', 'duplicate'), ok('backup#a')]);
    expect(run).toMatchObject({ seen: 2, outcomes: { handled: 1, duplicate: 1 }, failures: [], cursorMoved: true });
    expect((await s.state.read()).cursor).toEqual(T0);
  });

  it('keeps the cursor while a job fails, then sets it aside after N sweeps in a row with one alert, and skips it after', async () => {
    const s = sweeper(3);
    await s.sweep(0, [ok('backup#first')]);
    for (const i of [1, 2]) {
      await expect(s.sweep(i, [poison('backup#bad'), ok('backup#good')])).rejects.toBeInstanceOf(SweepIncompleteError);
      const state = await s.state.read();
      expect(state.cursor).toEqual(T0);
      expect(state.failing['backup#bad']).toMatchObject({
        count: i,
        since: new Date(T0.getTime() + HOUR).toISOString(),
      });
    }
    expect(s.told).toEqual([]);
    const metrics: string[] = [];
    const third = await s.sweep(3, [poison('backup#bad'), ok('backup#good')], metrics);
    expect(third.cursorMoved).toBe(true);
    expect(third.failures).toEqual([
      expect.objectContaining({
        key: 'backup#bad',
        count: 3,
        setAside: true,
        error: expect.stringContaining('TypeError'),
      }),
    ]);
    expect(metrics).toEqual(expect.arrayContaining(['SweepJobsSetAside=1', 'SweepJobsFailed=1']));
    const state = await s.state.read();
    expect(state.cursor).toEqual(new Date(T0.getTime() + 3 * HOUR));
    expect(state.failing).toEqual({});
    expect(state.setAside['backup#bad']).toMatchObject({ count: 3, alertedAt: expect.any(String) });
    expect(s.told.map((t) => t.key)).toEqual(['backup#bad']);
    // Later sweeps skip it without calling it, and tell no one again.
    let called = false;
    const fourth = await s.sweep(4, [
      {
        key: 'backup#bad',
        handle: async () => {
          called = true;
          return 'x';
        },
      },
    ]);
    expect(called).toBe(false);
    expect(fourth).toMatchObject({ seen: 0, skippedSetAside: 1, cursorMoved: true });
    expect(s.told).toHaveLength(1);
  });

  it('forgives a failure after one success: only failures in a row count', async () => {
    const s = sweeper(2);
    await expect(s.sweep(0, [poison('copy#flaky')])).rejects.toBeInstanceOf(SweepIncompleteError);
    await s.sweep(1, [ok('copy#flaky')]);
    await expect(s.sweep(2, [poison('copy#flaky')])).rejects.toBeInstanceOf(SweepIncompleteError);
    const state = await s.state.read();
    expect(state.failing['copy#flaky']?.count).toBe(1);
    expect(state.setAside).toEqual({});
  });

  it('tells a set-aside job again on the next sweep when publishing failed, and only once', async () => {
    const s = sweeper(1);
    s.failNextTells(true);
    await s.sweep(0, [poison('backup#p')]);
    expect((await s.state.read()).setAside['backup#p']?.alertedAt).toBeUndefined();
    s.failNextTells(false);
    await s.sweep(1, []);
    await s.sweep(2, []);
    expect(s.told.map((t) => t.key)).toEqual(['backup#p']);
  });

  it('never overwrites a state another sweep saved after it read (optimistic version)', async () => {
    const s = sweeper();
    await s.sweep(0, [ok('backup#a')]);
    const stale = await s.state.read();
    await s.sweep(1, [ok('backup#a')]);
    const saved = await s.state.save(
      stale,
      { cursor: new Date(T0.getTime() + 9 * HOUR), failing: {}, setAside: {} },
      {
        now: T0,
      },
    );
    expect(saved).toBe(false);
    expect((await s.state.read()).cursor).toEqual(new Date(T0.getTime() + HOUR));
  });
});

describe('runSweep with more jobs than time', () => {
  /** A sweep whose Lambda has `leftMs` at the start; each job handled takes `costMs` of it. */
  const timed = (leftMs: number, costMs: number) => {
    n += 1;
    const state = new SweepState(table.documentClient, { tableName: table.tableName, ttlDays: 90 }, `timed-${n}`);
    const handledKeys: string[] = [];
    const run = async (i: number, items: (SweepJob | { listedUntil: Date })[], metrics: string[] = []) => {
      let left = leftMs;
      const job = (item: SweepJob | { listedUntil: Date }) =>
        'key' in item
          ? {
              ...item,
              handle: async () => {
                left -= costMs;
                handledKeys.push(item.key);
                return item.handle();
              },
            }
          : item;
      const deps: SweepDeps = {
        state,
        logger: quietLogger,
        metrics: metricsInto(metrics, true),
        now: () => new Date(T0.getTime() + i * HOUR),
        setAsideAfter: 3,
        dryRun: false,
        tell: async () => undefined,
        remainingMs: () => left,
      };
      return runSweep(
        deps,
        await state.read(),
        deps.now(),
        (async function* () {
          for (const item of items) yield job(item);
        })(),
      );
    };
    return { state, handledKeys, run };
  };
  const mark = (hours: number) => ({ listedUntil: new Date(T0.getTime() + hours * HOUR) });

  it('stops before the deadline, keeping a reserve, and saves the last slice it finished as its cursor', async () => {
    // 100 s left, 10 s a job, 15 s kept: nine jobs are handled (the last with 20 s left), the tenth is not started.
    const t = timed(100_000, 10_000);
    const later = ['g', 'h', 'i', 'j', 'k', 'l'].map((key) => ok(key));
    const items = [ok('a'), ok('b'), ok('c'), mark(-20), ok('d'), ok('e'), ok('f'), mark(-18), ...later, mark(-16)];
    const metrics: string[] = [];
    const run = await t.run(0, items, metrics);
    expect(t.handledKeys).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(run).toMatchObject({ seen: 9, cursorMoved: false, stoppedAt: { cursor: mark(-18).listedUntil } });
    expect((await t.state.read()).cursor).toEqual(mark(-18).listedUntil);
    expect(metrics).toContain('SweepStoppedAtDeadline=1');
  });

  it('with no slice finished, the cursor stays where it was', async () => {
    const t = timed(100_000, 10_000);
    await t.run(0, [ok('first')]);
    const run = await t.run(
      1,
      Array.from({ length: 12 }, (_, i) => ok(`job-${i}`)),
    );
    expect(run.stoppedAt).toEqual({ cursor: T0 });
    expect((await t.state.read()).cursor).toEqual(T0);
  });

  it('a job failing before the mark holds the cursor; a failing job it did not reach keeps its count', async () => {
    const t = timed(1_000_000, 1_000);
    await expect(t.run(0, [poison('late')])).rejects.toBeInstanceOf(SweepIncompleteError);
    // 40 s left, 20 s a job: 'early' fails before the mark, 'x' is handled, 'late' is never reached.
    let left = 40_000;
    const spend = (job: SweepJob): SweepJob => ({
      key: job.key,
      handle: () => {
        left -= 20_000;
        return job.handle();
      },
    });
    const deps: SweepDeps = {
      state: t.state,
      logger: quietLogger,
      metrics: metricsInto([], true),
      now: () => new Date(T0.getTime() + HOUR),
      setAsideAfter: 3,
      dryRun: false,
      tell: async () => undefined,
      remainingMs: () => left,
    };
    const items = (async function* () {
      yield spend(poison('early'));
      yield mark(-20);
      yield spend(ok('x'));
      yield spend(poison('late'));
    })();
    await expect(runSweep(deps, await t.state.read(), deps.now(), items)).rejects.toBeInstanceOf(SweepIncompleteError);
    const after = await t.state.read();
    expect(after.cursor).toBeUndefined();
    expect(after.failing.early?.count).toBe(1);
    expect(after.failing.late?.count).toBe(1);
  });
});
