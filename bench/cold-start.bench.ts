/**
 * Cold-start benchmark (issue 18, item 8): how long a fresh `node` takes to import each function's
 * bundle, against a floor bundle that only constructs the SDK clients that function always uses
 * (bench/cold-start/floor-<function>.ts), both built with the function's own esbuild flags from
 * template.yaml (scripts/sam-esbuild.mjs, as `sam build` runs them) and imported with the
 * function's environment from the template (NODE_OPTIONS included, as Lambda passes it).
 *
 * Each import is measured in two nodes: one started as Lambda starts it (the flags of the
 * runtime's bootstrap for the function's memory, with the runtime's own built-in modules loaded
 * first: cold-start/lambda-start.ts), the figure compared with LIMIT; and a bare node (no flag,
 * nothing loaded first), the figure this bench gave before it modelled Lambda's start.
 *
 * Bundle and floor are imported back to back, in alternating order, ROUNDS times (`--rounds=N`, at
 * least 15; 61 by default). The figure compared with LIMIT is the median of the rounds' ratios (bundle / floor, CPU
 * time): each pair runs within a fraction of a second, so a change in the machine's load between
 * rounds (another test run, a CI neighbour) cancels out of it, where it would not out of the
 * ratio of two medians taken over the whole run. Both medians are printed too, with wall-clock
 * time. Prints each bundle's size and the ten largest packages in it (esbuild's metafile),
 * marking those reached only through a dynamic `import()`: bundled, but evaluated on first use.
 * Warns when a function's figure is over LIMIT; with --strict, fails (exit 1). With --instructions
 * (needs valgrind; about 8 minutes more), also prints each import's instruction count against its
 * floor's, a figure that does not move with the machine's load (bench/cold-start/instructions.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { functionsOf as resolvedFunctionsOf } from '../sandbox/template/functions.js';
import { resolveTemplate } from '../sandbox/template/resolve.js';
import { esbuildArgs, functionsOf, parseTemplate } from '../scripts/sam-esbuild.mjs';
import { canCountInstructions, instructions, writeEmptyModule } from './cold-start/instructions.js';
import { BARE_START, lambdaStart, type NodeStart, RUNTIME_BUILTINS } from './cold-start/lambda-start.js';
import { type ImportCost, importCost, median, writeDriver } from './cold-start/measure.js';
import { largestPackages, type Metafile } from './cold-start/metafile.js';

/** The target: every function at 1.15x its same-clients floor or less. */
const LIMIT = 1.15;
const roundsFlag = process.argv.find((a) => a.startsWith('--rounds='));
// 61 by default: one import's CPU time ranges over ±20% on a 2-core machine, and at 25 rounds the
// median ratio still moved by ±0.05x-0.08x between runs (a function at 1.12x over 100 rounds printed
// 1.20x once in CI). About 4 minutes for the three functions, each in both nodes.
const ROUNDS = Math.max(15, Number(roundsFlag?.split('=')[1] ?? 61));
/** `--node-options=...` replaces the template's NODE_OPTIONS for both sides, to measure what a flag costs. */
const nodeOptionsFlag = process.argv.find((a) => a.startsWith('--node-options='))?.slice('--node-options='.length);
const KIB = 1024;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The project's esbuild binary, the one SAM prefers and npm run build runs.
const esbuildBin = join(root, 'node_modules', 'esbuild', 'bin', 'esbuild');
const templateText = readFileSync(join(root, 'template.yaml'), 'utf8');

const run = (command: string, args: readonly string[]): void => {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
};

const work = mkdtempSync(join(tmpdir(), 'cold-start-'));
try {
  // The bundles, exactly as npm run build (and so sam build) makes them, with their metafiles.
  run(process.execPath, [join(root, 'scripts', 'build.mjs'), join(work, 'bundles')]);
  const driver = writeDriver(work);
  // Defaults of every template Parameter, as a deploy without overrides would set them.
  const resolved = resolvedFunctionsOf(
    resolveTemplate(templateText, { stackName: 'backup-autopilot', account: '111122223333', region: 'eu-west-1' }),
  );
  const cases = functionsOf(parseTemplate(templateText)).map((fn) => {
    const folder = fn.folder as string;
    const floorDir = join(work, 'floors', folder);
    mkdirSync(floorDir, { recursive: true });
    run(esbuildBin, [
      ...esbuildArgs({ ...fn.props, entry_points: [`bench/cold-start/floor-${folder}.ts`] }, floorDir),
      '--log-level=warning',
    ]);
    const spec = resolved.find((r) => r.folder === folder);
    if (!spec) throw new Error(`${fn.logicalId} is not in the resolved template`);
    return {
      folder,
      bundle: join(work, 'bundles', folder, 'handler.mjs'),
      floor: join(floorDir, `floor-${folder}.mjs`),
      meta: JSON.parse(readFileSync(join(work, 'bundles', folder, 'meta.json'), 'utf8')) as Metafile,
      // Only what Lambda would give the process: the function's variables, then Lambda's own.
      env: {
        ...spec.environment,
        ...spec.lambdaEnvironment,
        ...(nodeOptionsFlag === undefined ? {} : { NODE_OPTIONS: nodeOptionsFlag }),
      },
      // The figure judged against LIMIT first: the node Lambda starts (lambda-start.ts); then a
      // bare node, the figure this bench printed before it modelled Lambda's start.
      starts: [lambdaStart(spec.memoryMb), BARE_START].map((start) => ({
        start,
        bundleCost: [] as ImportCost[],
        floorCost: [] as ImportCost[],
      })),
    };
  });

  // One import each first, so the first timed round does not pay for a cold file cache.
  for (const c of cases) {
    for (const { start } of c.starts) {
      importCost(driver, c.bundle, c.env, start);
      importCost(driver, c.floor, c.env, start);
    }
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const c of cases) {
      for (const { start, bundleCost, floorCost } of c.starts) {
        if (round % 2 === 0) {
          bundleCost.push(importCost(driver, c.bundle, c.env, start));
          floorCost.push(importCost(driver, c.floor, c.env, start));
        } else {
          floorCost.push(importCost(driver, c.floor, c.env, start));
          bundleCost.push(importCost(driver, c.bundle, c.env, start));
        }
      }
    }
  }

  const nodeOptions = [...new Set(cases.map((c) => c.env.NODE_OPTIONS ?? ''))].join(' | ') || '(none)';
  console.log(
    `\ncold start: import of each bundle in a fresh node against its floor, ${ROUNDS} rounds, NODE_OPTIONS=${nodeOptions}` +
      `\n  Lambda's start: node with the flags Lambda's bootstrap passes for the function's memory, after the runtime's own modules (${RUNTIME_BUILTINS.join(', ')})` +
      '\n  a bare node: no flag, nothing loaded first',
  );
  // The ratio depends on the node: the floor (the SDK's import) costs Node 24 about half again what it costs
  // Node 20, for about the same extra (docs/development.md). Say when this is not the node Lambda runs.
  const runtimes = [...new Set(resolved.map((r) => r.runtime))];
  const major = `nodejs${process.versions.node.split('.')[0]}.x`;
  if (!runtimes.includes(major)) {
    console.log(
      `node ${process.versions.node} here; the template's Runtime is ${runtimes.join(', ')}: put that node first on PATH to measure what Lambda runs`,
    );
  }
  const failures: string[] = [];
  const cpu = (costs: readonly ImportCost[]) => median(costs.map((cost) => cost.cpuMs));
  const wall = (costs: readonly ImportCost[]) => median(costs.map((cost) => cost.wallMs));
  const pairedRatio = (bundle: readonly ImportCost[], floor: readonly ImportCost[]) =>
    median(bundle.map((cost, round) => cost.cpuMs / (floor[round] as ImportCost).cpuMs));
  const size = (path: string) => `${(statSync(path).size / KIB).toFixed(0)} KiB`;
  for (const c of cases) {
    const flags = c.starts[0]?.start.args.join(' ') ?? '';
    console.log(`\n${c.folder}: bundle ${size(c.bundle)}, floor ${size(c.floor)}; Lambda starts node ${flags}`);
    for (const [i, { start, bundleCost, floorCost }] of c.starts.entries()) {
      const ratio = pairedRatio(bundleCost, floorCost);
      const judged = i === 0 ? `limit ${LIMIT}x, ` : '';
      console.log(
        `  ${start.name}: ${ratio.toFixed(2)}x its floor (${judged}median of paired CPU ratios);` +
          ` CPU ${cpu(bundleCost).toFixed(1)} vs ${cpu(floorCost).toFixed(1)} ms;` +
          ` wall-clock ${wall(bundleCost).toFixed(1)} vs ${wall(floorCost).toFixed(1)} ms`,
      );
      if (i === 0 && ratio > LIMIT)
        failures.push(
          `${c.folder} imports in ${ratio.toFixed(2)}x its floor's CPU time as Lambda starts node (limit ${LIMIT}x)`,
        );
    }
    for (const { name, bytes, lazy } of largestPackages(c.meta)) {
      console.log(`  ${(bytes / KIB).toFixed(1).padStart(7)} KiB  ${name}${lazy ? '  (evaluated on first use)' : ''}`);
    }
  }
  if (process.argv.includes('--instructions')) {
    if (!canCountInstructions()) {
      console.log(
        '\ninstructions: valgrind or setarch is not on PATH (apt-get install valgrind util-linux); not counted',
      );
    } else {
      const RUNS = 3;
      const empty = writeEmptyModule(work);
      // What starting node costs (and loading what the start loads first), so that only the import
      // is compared: counted once per start and NODE_OPTIONS, which are all that make starts differ.
      const bases = new Map<string, number>();
      const baseOf = async (env: Record<string, string>, start: NodeStart): Promise<number> => {
        const key = JSON.stringify([start.args, start.preload, env.NODE_OPTIONS ?? '']);
        const known = bases.get(key);
        if (known !== undefined) return known;
        const counted = await instructions(driver, empty, env, start, RUNS);
        bases.set(key, counted);
        return counted;
      };
      console.log(
        `\ninstructions executed by the import (callgrind, median of ${RUNS} runs, node's own start and what it loads first taken out):`,
      );
      for (const c of cases) {
        for (const { start } of c.starts) {
          const base = await baseOf(c.env, start);
          const bundle = (await instructions(driver, c.bundle, c.env, start, RUNS)) - base;
          const floor = (await instructions(driver, c.floor, c.env, start, RUNS)) - base;
          const millions = (n: number) => `${(n / 1e6).toFixed(1)}M`;
          console.log(
            `  ${c.folder}, ${start.name}: ${(bundle / floor).toFixed(2)}x its floor (${millions(bundle)} vs ${millions(floor)})`,
          );
        }
      }
    }
  }
  if (failures.length > 0) {
    // Import times on a shared 2-core machine swing by about ±0.1x between runs: CI prints the figure
    // and does not fail on it (a flaky gate would block every change); --strict makes it a gate.
    const strict = process.argv.includes('--strict');
    console.error(
      `\ncold start over the ${LIMIT}x target${strict ? '' : ' (warning; --strict fails)'}:\n  ${failures.join('\n  ')}`,
    );
    if (strict) process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
