import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * The integration tests run the bundles that deploy: build them once per test run, exactly as
 * `npm run build` (and so `sam build`) does, before any test file starts.
 */
export default function setup(): void {
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
