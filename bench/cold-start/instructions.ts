import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeStart } from './lambda-start.js';
import { driverArgs, median } from './measure.js';

// The cold-start bench's second figure (`npm run bench -- --instructions`): how many machine
// instructions a fresh node executes to import a bundle, counted by valgrind's callgrind. CPU time
// of one import swings by ±20% on a shared 2-core machine, so the paired CPU ratio still moves by
// about ±0.03x between runs of 100 rounds; an instruction count does not depend on the machine's
// load, and on Node 20 five runs of one bundle spread over 2-4% of its import (background GC and
// compile threads start at slightly different points), so a change of a few percent of the floor
// shows in three runs. Node 24 spreads more: V8 draws random primes for its string hash seed when an
// isolate starts (HashSeed::InitializeRoots), a search of 1M-10M instructions that differs each run.
// It counts work, not time: a cache miss or a page fault costs nothing in it (the CPU ratio runs a
// few points above it), and it is about 150x slower than the import itself.
//
// No V8 flag is added to make the count exact (--predictable, --single-threaded): a V8 flag changes
// V8's flag hash, so Node's built-in modules no longer match their embedded code cache and are all
// compiled from source, which adds ~30M instructions to what a built-in module costs (measured on
// @middy/core's node:stream/web import). Lambda's own start passes one such flag, --expose-gc
// (lambda-start.ts); the count is taken with exactly the flags of the start it measures.

/** Whether valgrind, and setarch (util-linux) to fix addresses, are on PATH. */
export const canCountInstructions = (): boolean =>
  ['valgrind', 'setarch'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);

/** Writes an empty module into `dir`: a node that imports it pays for starting, not for importing. */
export const writeEmptyModule = (dir: string): string => {
  const path = join(dir, 'empty.mjs');
  writeFileSync(path, 'export {};\n');
  return path;
};

/** Instructions a fresh node executes, start to exit, importing `bundle` through `driver`. */
const countOnce = (driver: string, bundle: string, env: Record<string, string>, start: NodeStart): Promise<number> =>
  new Promise((resolve, reject) => {
    // Addresses fixed (setarch -R) so that allocation patterns repeat between runs.
    const child = spawn(
      'setarch',
      [
        '-R',
        'valgrind',
        '--tool=callgrind',
        '--callgrind-out-file=/dev/null',
        process.execPath,
        ...driverArgs(driver, bundle, start),
      ],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      if (code !== 0 || !collected)
        reject(new Error(`callgrind of ${bundle} failed (exit ${code}):\n${stderr.slice(-2000)}`));
      else resolve(Number(collected[1]));
    });
  });

/** The median of `runs` counts of importing `bundle`, two processes at a time (one per core). */
export const instructions = async (
  driver: string,
  bundle: string,
  env: Record<string, string>,
  start: NodeStart,
  runs: number,
): Promise<number> => {
  const counts: number[] = [];
  for (let i = 0; i < runs; i += 2) {
    const batch = Array.from({ length: Math.min(2, runs - i) }, () => countOnce(driver, bundle, env, start));
    counts.push(...(await Promise.all(batch)));
  }
  return median(counts);
};
