// Bundles a TypeScript benchmark with esbuild (Node 20 cannot run .ts) and runs it with --expose-gc,
// so it can measure the live heap after a full GC. Usage: node scripts/run-bench.mjs [bench/file.bench.ts] [--flags passed to the benchmark]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const entry = resolve(args.find((a) => !a.startsWith('--')) ?? 'bench/summary-aggregate.bench.ts');
const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const outfile = join(dir, 'bench.mjs');
try {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // results.json is written next to the source file, not the bundle.
    define: { 'import.meta.url': JSON.stringify(new URL(`file://${entry}`).href) },
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const { status } = spawnSync(process.execPath, ['--expose-gc', outfile, ...flags], { stdio: 'inherit' });
  process.exitCode = status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
