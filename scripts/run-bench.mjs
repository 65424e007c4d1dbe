// Bundles each TypeScript benchmark with esbuild (Node 20 cannot run .ts) and runs it with
// --expose-gc, so it can measure the live heap after a full GC.
// Usage: node scripts/run-bench.mjs [bench/file.bench.ts ...] [--flags passed to every benchmark]
// Without a file, runs every bench/*.bench.ts in name order (cold start, the glob matcher, then the
// summary's aggregation); exits non-zero when any benchmark does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const named = args.filter((a) => !a.startsWith('--'));
const entries = (
  named.length > 0
    ? named
    : readdirSync('bench')
        .filter((f) => f.endsWith('.bench.ts'))
        .sort()
        .map((f) => join('bench', f))
).map((f) => resolve(f));

let failed = 0;
for (const entry of entries) {
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
      // results.json (and the repository root) are found from the source file, not the bundle.
      define: { 'import.meta.url': JSON.stringify(new URL(`file://${entry}`).href) },
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const { status } = spawnSync(process.execPath, ['--expose-gc', outfile, ...flags], { stdio: 'inherit' });
    if (status !== 0) failed += 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exitCode = failed === 0 ? 0 : 1;
