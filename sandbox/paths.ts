import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const isRepoRoot = (dir: string): boolean => {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'backup-autopilot';
  } catch {
    return false;
  }
};

/**
 * The folder holding the package.json named backup-autopilot, searched upwards from `start`. Searched
 * rather than computed from this file's place so it works from the TypeScript sources (sandbox/) and
 * from a bundled dist/sandbox/*.mjs alike.
 */
export const findRepoRoot = (start: string): string => {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isRepoRoot(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json named backup-autopilot above ${start}`);
  }
};

/** The repository's root folder (absolute). */
export const repoRoot: string = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** The built bundle of a function folder: `<repo>/dist/<folder>/handler.mjs` (what `npm run build` writes). */
export const bundlePath = (folder: string): string => join(repoRoot, 'dist', folder, 'handler.mjs');

/**
 * The plain-JavaScript files that run inside a function's process (never bundled: they must load
 * without a TypeScript loader, from the sources or from a bundled sandbox alike).
 */
export const lambdaRuntime = {
  worker: join(repoRoot, 'sandbox', 'lambda', 'runtime', 'worker.mjs'),
  virtualClock: join(repoRoot, 'sandbox', 'lambda', 'runtime', 'virtual-clock.mjs'),
} as const;
