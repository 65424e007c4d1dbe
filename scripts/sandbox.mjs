// `npm start` and `npm run invoke`: builds the function bundles when their sources changed (exactly as
// `npm run build`, i.e. as `sam build` does), bundles the sandbox's command line with esbuild (Node 20
// cannot run .ts), and runs it. The sandbox bundle lives in dist/sandbox/ and never in a function bundle.
// Usage: node scripts/sandbox.mjs <start|invoke> [arguments...]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...rest] = process.argv.slice(2);
if (command !== 'start' && command !== 'invoke') {
  console.error('usage: node scripts/sandbox.mjs <start|invoke> [arguments...]');
  process.exit(2);
}

/** Newest modification time under the given paths (files or folders), in ms. */
const newest = (paths) => {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else latest = Math.max(latest, stat.mtimeMs);
  };
  for (const path of paths) visit(join(root, path));
  return latest;
};

const bundles = readdirSync(join(root, 'functions')).map((folder) => join(root, 'dist', folder, 'handler.mjs'));
const oldestBundle = Math.min(...bundles.map((b) => (existsSync(b) ? statSync(b).mtimeMs : 0)));
if (oldestBundle < newest(['functions', 'shared', 'template.yaml', 'package-lock.json', 'scripts/sam-esbuild.mjs'])) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const outfile = join(root, 'dist', 'sandbox', 'cli.mjs');
await build({
  entryPoints: [join(root, 'sandbox', 'cli', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies (dynalite, the SDK, yaml...) load from node_modules as they are.
  packages: 'external',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, command, ...rest], { cwd: process.cwd(), stdio: 'inherit' });
process.exit(run.status ?? 1);
