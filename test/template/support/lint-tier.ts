import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

// The lint tier of npm test: cfn-lint (what `sam validate --lint` runs) and the least-privilege
// check (../shared/tools/iam-check.py, beside the clone as in CI). CI (.ci/run) runs both on every
// template and fails without them; on a machine without them npm test says why the tier does not
// run instead of failing (the brief: npm test must not need them).

const root = resolve(import.meta.dirname, '..', '..', '..');
/** The least-privilege check, beside the clone. */
export const IAM_CHECK = resolve(root, '..', 'shared', 'tools', 'iam-check.py');

const run = (command: string, args: readonly string[]): SpawnSyncReturns<string> =>
  spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 180_000 });

const version = run('cfn-lint', ['--version']);
const missing = [
  version.error || version.status !== 0 ? 'cfn-lint is not installed (pip install cfn-lint)' : undefined,
  existsSync(IAM_CHECK) ? undefined : `${IAM_CHECK} is not there (CI checks out ../shared beside the clone)`,
].filter((reason) => reason !== undefined);

/** Whether both tools are here; when not, {@link LINT_TIER_MISSING} says why. */
export const LINT_TIER_RUNS = missing.length === 0;
/** Why the lint tier cannot run on this machine (empty when it can). */
export const LINT_TIER_MISSING: readonly string[] = missing;

/** cfn-lint on one template (a path relative to the repository root, or absolute). */
export const cfnLint = (file: string): SpawnSyncReturns<string> => run('cfn-lint', [file]);

/** The least-privilege check on one template. */
export const iamCheck = (file: string): SpawnSyncReturns<string> => run('python3', [IAM_CHECK, file]);
