import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NodeStart } from './lambda-start.js';

// Imports one bundle and prints how long the import took, in wall-clock and CPU milliseconds:
// Lambda's INIT phase for an ESM handler is this import (module evaluation included), in a process
// that has done nothing else yet. CPU time is the figure compared: it is what a Lambda's share of a
// vCPU (256 MB: about a sixth) stretches into the init duration, and unlike wall-clock time it
// does not grow when other processes load the machine. The modules named in its second argument
// (comma-separated) are imported first, untimed: what Lambda's runtime loads before the handler.
const DRIVER = `for (const name of (process.argv[3] ?? '').split(',').filter(Boolean)) await import(name);
const wall = performance.now();
const cpu = process.cpuUsage();
await import(process.argv[2]);
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 }));
`;

/** One import's cost. */
export interface ImportCost {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Writes the driver that times one import into `dir` and returns its path. */
export const writeDriver = (dir: string): string => {
  const path = join(dir, 'import-once.mjs');
  writeFileSync(path, DRIVER);
  return path;
};

/** The command line that runs `driver` on `bundle` in a node started as `start` says. */
export const driverArgs = (driver: string, bundle: string, start: NodeStart): string[] => [
  ...start.args,
  driver,
  pathToFileURL(bundle).href,
  start.preload.join(','),
];

/**
 * What a fresh `node`, started as `start` says, spends importing `bundle`, with exactly `env` as
 * its environment (NODE_OPTIONS included, as Lambda passes it).
 */
export const importCost = (
  driver: string,
  bundle: string,
  env: Record<string, string>,
  start: NodeStart,
): ImportCost => {
  const result = spawnSync(process.execPath, driverArgs(driver, bundle, start), { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`importing ${bundle} failed (exit ${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as ImportCost;
};

/** The median of a non-empty list. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
