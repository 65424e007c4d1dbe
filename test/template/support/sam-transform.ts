import { spawnSync } from 'node:child_process';

/** The SAM-transformed template as JSON text, or why it could not be made here. */
export type SamTransform =
  | { readonly available: true; readonly json: string }
  | { readonly available: false; readonly reason: string };

/** Exit status of the script below when cfn-lint (and so samtranslator) cannot be imported. */
const NO_TRANSFORM = 3;

// The transform iam-check.py runs (../shared/tools/iam-check.py): cfn-lint's bundled samtranslator,
// so the statements checked are the ones SAM deploys (its generated roles and policy templates).
const SCRIPT = `
import json, sys
try:
    from cfnlint.decode import cfn_yaml
    from cfnlint.template.transforms._sam import Transform
except Exception as error:
    print(f'cannot import cfn-lint: {error}', file=sys.stderr)
    sys.exit(${NO_TRANSFORM})
raw = cfn_yaml.load(sys.argv[1])
sam = Transform(sys.argv[1], raw, sys.argv[2])
failed = sam.transform_template()
if failed:
    print(f'SAM transform failed: {failed[0]}', file=sys.stderr)
    sys.exit(2)
print(json.dumps(sam.template(), default=str))
`;

/**
 * Runs the SAM transform on a template file with python3 and cfn-lint. Unavailable (with the
 * reason) when python3 or cfn-lint is missing; a template the transform refuses throws, since that
 * is the template's fault, not the machine's.
 */
export const samTransform = (templatePath: string, region: string): SamTransform => {
  const run = spawnSync('python3', ['-c', SCRIPT, templatePath, region], { encoding: 'utf8', timeout: 120_000 });
  if (run.error) return { available: false, reason: `python3 could not run (${run.error.message})` };
  if (run.status === NO_TRANSFORM) return { available: false, reason: run.stderr.trim() };
  if (run.status !== 0)
    throw new Error(`SAM transform of ${templatePath}: ${run.stderr.trim() || `exit ${run.status}`}`);
  return { available: true, json: run.stdout };
};
