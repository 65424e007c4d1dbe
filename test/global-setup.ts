import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * The integration tests run the bundles that deploy: build them once per test run, exactly as
 * `npm run build` (and so `sam build`) does, before any test file starts. Set
 * BACKUP_AUTOPILOT_SKIP_BUILD=1 to run tests that need no bundle (test/sandbox, test/shared) while
 * the functions do not build.
 */
export default function setup(): void {
  if (process.env.BACKUP_AUTOPILOT_SKIP_BUILD === '1') return;
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
