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
// shows in three runs. It counts work, not time: a cache miss or a page fault costs nothing in it (the CPU ratio runs a
// few points above it), and it is about 150x slower than the import itself.
//
// Node 24's count moves by up to 10M between runs for one reason above all: V8 draws random primes
// for its string hash seed when an isolate starts (HashSeed::InitializeRoots -> detail::sprp), a
// search whose length differs each time. For a start that already passes a V8 flag (Lambda's:
// --expose-gc), the count is taken with V8's seeds fixed (--hash-seed, --random-seed): the flag
// hash already differs from the one Node's built-in modules were cached with, so the two flags
// change nothing else, and three runs of one bundle then agree to within 1M (measured on Node
// 24.22). For a bare node no flag is added: any V8 flag changes V8's flag hash, so Node's built-in
// modules would no longer match their embedded code cache and would all be compiled from source,
// which adds ~30M instructions to what a built-in module such as node:stream/web costs.

/** V8's random seeds, fixed so that the count repeats (see above). */
export const FIXED_SEEDS: readonly string[] = ['--hash-seed=1', '--random-seed=1'];

/** The flags a count runs node with: the start's own, and the fixed seeds when they cost nothing more. */
export const countedStart = (start: NodeStart): NodeStart =>
  start.v8Flagged ? { ...start, args: [...FIXED_SEEDS, ...start.args] } : start;

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
        ...driverArgs(driver, bundle, countedStart(start)),
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
