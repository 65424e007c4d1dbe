// `npm run build`: bundles every function of template.yaml exactly as `sam build` does (same
// esbuild binary, same flags from the same Metadata.BuildProperties; see sam-esbuild.mjs), into
// dist/<function-folder>/handler.mjs (and its side bundles, shared/side-bundle.ts) for local runs
// and tests, with esbuild's metafile beside it
// (dist/<function-folder>/meta.json: what went into the bundle).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProblems, esbuildArgs, functionsOf, parseTemplate } from './sam-esbuild.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = resolve(process.argv[2] ?? join(root, 'dist'));
const require = createRequire(import.meta.url);
// The esbuild package's own binary, as SAM prefers the project's esbuild over one on PATH.
const esbuildBin = join(dirname(require.resolve('esbuild/package.json')), 'bin', 'esbuild');

const functions = functionsOf(parseTemplate(readFileSync(join(root, 'template.yaml'), 'utf8')));
const problems = functions.flatMap(buildProblems);
if (problems.length > 0) {
  console.error(`template.yaml cannot be built the way sam build would:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
if (functions.length === 0) console.log('template.yaml declares no functions yet: nothing to build');

for (const fn of functions) {
  const outdir = join(outRoot, fn.folder);
  rmSync(outdir, { recursive: true, force: true });
  const started = process.hrtime.bigint();
  // The metafile is ours, not SAM's: it changes nothing in the bundle and lets a test prove what
  // went into it (no sandbox code, ever).
  const metafile = join(outdir, 'meta.json');
  const result = spawnSync(
    esbuildBin,
    [...esbuildArgs(fn.props, outdir), `--metafile=${metafile}`, '--log-level=warning'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    console.error(`esbuild failed for ${fn.logicalId} (${fn.entryPoints.join(', ')})`);
    process.exit(result.status ?? 1);
  }
  const bundle = join(outdir, `${fn.entryPoints[0].split('/').pop().replace(/\.ts$/, '')}.mjs`);
  if (!existsSync(bundle)) {
    console.error(`${fn.logicalId}: expected ${bundle}; check OutExtension (.js=.mjs) and Format (esm)`);
    process.exit(1);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const kib = (path) => Math.round(readFileSync(path).length / 1024);
  // Side bundles (shared/side-bundle.ts) land beside the handler; a missing one would fail at run time.
  const sides = fn.sideBundles.map((name) => join(outdir, `${name}.mjs`));
  const missing = sides.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    console.error(`${fn.logicalId}: expected side bundles ${missing.join(', ')}`);
    process.exit(1);
  }
  const side = sides.map((path) => `, side bundle ${path.split('/').pop()} ${kib(path)} KiB`).join('');
  console.log(`${fn.logicalId}: ${bundle.slice(root.length + 1)} ${kib(bundle)} KiB${side} (${ms.toFixed(0)} ms)`);
}
